"""The tables of information requests, their steps, and the applicant's contact."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.clock import utcnow
from services.db import db
from services.models import Utility, enum_column


class Requester(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class ReplyForm(enum.StrEnum):
    PAPER = "paper"  # 纸质
    ELECTRONIC = "electronic"  # 电子邮件等电子形式
    IN_PERSON = "in_person"  # 当场查阅


class RequestStatus(enum.StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    WAITING = "waiting"  # waiting for the applicant's clarification (补正): clock stopped
    REPLIED = "replied"
    CLOSED = "closed"


class Outcome(enum.StrEnum):
    DISCLOSED = "disclosed"  # 公开
    PARTLY = "partly"  # 部分公开
    REFUSED = "refused"  # 不予公开 (reason required)
    NOT_EXIST = "not_exist"  # 信息不存在
    NOT_OURS = "not_ours"  # 非本单位信息
    OTHER = "other"  # 其他


class StepKind(enum.StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    CLARIFICATION_ASKED = "clarification_asked"
    CLARIFICATION_ANSWERED = "clarification_answered"
    EXTENDED = "extended"
    REPLIED = "replied"
    CLOSED = "closed"


class InfoRequest(db.Model):
    """A request for information. Nothing here names the applicant: the name and contact are
    in InfoRequestContact. Marked `residents_see` because the public annual report (page,
    CSV, API) counts these rows by status, outcome and timeliness."""

    __tablename__ = "info_request"
    residents_see = True

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking: Mapped[str] = mapped_column(String(12), unique=True)
    utility_id: Mapped[int] = mapped_column(ForeignKey("utility.id"), index=True)
    requester: Mapped[Requester] = mapped_column(enum_column(Requester))
    description: Mapped[str] = mapped_column(Text)
    reply_form: Mapped[ReplyForm] = mapped_column(enum_column(ReplyForm))
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.RECEIVED
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    working_days: Mapped[int] = mapped_column(Integer)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    # The date the clock was stopped, while waiting for the applicant's clarification.
    stopped_on: Mapped[date | None] = mapped_column(Date)
    # Working days the clock stood still in finished stops; they move the due date.
    stopped_days: Mapped[int] = mapped_column(Integer, default=0)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    reply_text: Mapped[str] = mapped_column(Text, default="")
    replied_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    contact_purged_at: Mapped[datetime | None] = mapped_column(DateTime)
    # A keyed digest of where the request came from, for throttling; not reversible.
    source_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    utility: Mapped[Utility] = relationship()
    steps: Mapped[list[InfoRequestStep]] = relationship(
        back_populates="request", order_by="InfoRequestStep.id"
    )
    files: Mapped[list[InfoRequestFile]] = relationship(
        back_populates="request", order_by="InfoRequestFile.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def summary(self) -> dict:
        """What the audit trail keeps of it (nothing personal)."""
        return {
            "tracking": self.tracking,
            "utility_id": self.utility_id,
            "status": self.status,
            "due_on": self.due_on,
            "stopped_on": self.stopped_on,
            "stopped_days": self.stopped_days,
            "extension_days": self.extension_days,
            "outcome": self.outcome,
        }


class InfoRequestStep(db.Model):
    """One step in a request's handling, with the due date as it stood after it; the
    applicant sees these on the lookup page."""

    __tablename__ = "info_request_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id"), index=True)
    kind: Mapped[StepKind] = mapped_column(enum_column(StepKind, 30))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(80), default="")

    request: Mapped[InfoRequest] = relationship(back_populates="steps")


class InfoRequestContact(db.Model):
    """Who asked and how to reach them: personal data, seen by the utility's staff and admins
    only, each reading audited, deleted after the retention."""

    __tablename__ = "info_request_contact"

    request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    contact: Mapped[str] = mapped_column(String(200))


class InfoRequestFile(db.Model):
    """A file sent with the reply (a scanned document, a table as PDF), kept under the
    upload directory by its SHA-256 and shown to whoever holds the tracking number."""

    __tablename__ = "info_request_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("info_request.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(80), default="")

    request: Mapped[InfoRequest] = relationship(back_populates="files")
