"""The tables of outage notices and of each change made to one after it was published."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.clock import utcnow
from services.db import db
from services.models import Channel, User, Utility, enum_column


class OutageKind(enum.StrEnum):
    PLANNED = "planned"  # 计划停水 / 计划停电: owes the sector's notice period
    EMERGENCY = "emergency"  # 抢修: announced as soon as possible


class UpdateKind(enum.StrEnum):
    PUBLISHED = "published"
    EXTENDED = "extended"  # the expected end moved later
    ENDED = "ended"  # supply restored before the expected end
    CANCELLED = "cancelled"  # called off before it began


class Outage(db.Model):
    """A planned or emergency cut of a utility's supply, as residents were told of it.

    Times are naive UTC like every timestamp in the database; the screens show them in the
    city's time. `ends_at` is the expected end, moved by each extension or early end.
    """

    __tablename__ = "outage"
    residents_see = True

    id: Mapped[int] = mapped_column(primary_key=True)
    utility_id: Mapped[int] = mapped_column(ForeignKey("utility.id"), index=True)
    kind: Mapped[OutageKind] = mapped_column(enum_column(OutageKind))
    area: Mapped[str] = mapped_column(Text)
    # For filtering: the districts (区) and streets (街道 / 路) named in the area.
    districts: Mapped[list[str]] = mapped_column(JSON, default=list)
    streets: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channel.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # The notice owed and the notice given, in whole hours, fixed when it was published
    # (None for emergencies, which owe none).
    required_notice_hours: Mapped[int | None] = mapped_column(Integer)
    given_notice_hours: Mapped[int | None] = mapped_column(Integer)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Optimistic locking: an extension based on a stale page fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)

    utility: Mapped[Utility] = relationship()
    channel: Mapped[Channel | None] = relationship()
    author: Mapped[User | None] = relationship()
    updates: Mapped[list[OutageUpdate]] = relationship(
        back_populates="outage", order_by="OutageUpdate.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_short_notice(self) -> bool:
        """True when a planned outage was published with less notice than its sector owes."""
        return (
            self.required_notice_hours is not None
            and self.given_notice_hours is not None
            and self.given_notice_hours < self.required_notice_hours
        )

    def summary(self) -> dict[str, Any]:
        """What the audit trail keeps of it."""
        return {
            "utility_id": self.utility_id,
            "kind": self.kind,
            "area": self.area,
            "districts": self.districts,
            "streets": self.streets,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "reason": self.reason,
            "advice": self.advice,
            "channel_id": self.channel_id,
            "required_notice_hours": self.required_notice_hours,
            "given_notice_hours": self.given_notice_hours,
            "cancelled_at": self.cancelled_at,
        }


class OutageUpdate(db.Model):
    """One change to a published outage, shown with its time in the outage's update log."""

    __tablename__ = "outage_update"
    residents_see = True

    id: Mapped[int] = mapped_column(primary_key=True)
    outage_id: Mapped[int] = mapped_column(ForeignKey("outage.id"), index=True)
    kind: Mapped[UpdateKind] = mapped_column(enum_column(UpdateKind))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ends_at: Mapped[datetime] = mapped_column(DateTime)  # the expected end after this change
    note: Mapped[str] = mapped_column(Text, default="")

    outage: Mapped[Outage] = relationship(back_populates="updates")
