"""Tables of the resident's voice: ratings, the phone left with one, rectification cases and
the monthly handling figures utilities load."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.clock import utcnow
from services.db import db
from services.models import Item, Revision, User, Utility, enum_column


class CaseStatus(enum.StrEnum):
    OPEN = "open"  # waiting for the utility to verify it
    VALID = "valid"  # verified as valid: the utility is putting it right
    DISPUTED = "disputed"  # the utility holds it not valid: a reviewer decides
    CLOSED = "closed"


class Rating(db.Model):
    """One resident's rating of one item, in five levels (5 非常满意 … 1 非常不满意).

    Not marked `residents_see`: no cached page shows single ratings; the results pages that
    count them are read live, and a board's poll, kept at most to the end of the minute,
    counts them again then. Marking it would drop every cached page at each rating.
    """

    __tablename__ = "rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    utility_id: Mapped[int] = mapped_column(ForeignKey("utility.id"), index=True)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revision.id"))
    level: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(10))  # kiosk | phone
    # A kiosk taken out of service keeps its ratings, no longer tied to it.
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id", ondelete="SET NULL"))
    # A hash of the rating browser's random token: one rating per item per kiosk session,
    # or per item and day on a phone, without any account.
    rater_hash: Mapped[str] = mapped_column(String(64), index=True)
    rated_on: Mapped[date] = mapped_column(Date, index=True)  # the city's date
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    item: Mapped[Item] = relationship()
    case: Mapped[RectificationCase | None] = relationship(back_populates="rating")
    contact: Mapped[RatingContact | None] = relationship(cascade="all, delete-orphan")


class RatingContact(db.Model):
    """The phone number a resident left for a call back: personal data, in a table of its
    own so that nothing reading ratings can show it by accident. Purged after retention."""

    __tablename__ = "rating_contact"

    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(20))
    left_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class RectificationCase(db.Model):
    """What a bad review starts: verified, put right and closed by a due date (整改)."""

    __tablename__ = "rectification_case"
    residents_see = True  # a closed valid case is published on the item's page

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id"), unique=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    utility_id: Mapped[int] = mapped_column(ForeignKey("utility.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), index=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    working_days: Mapped[int] = mapped_column(Integer)  # the limit the due date was counted with
    is_valid: Mapped[bool | None] = mapped_column()
    verdict_reason: Mapped[str] = mapped_column(Text, default="")
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    called_back_at: Mapped[datetime | None] = mapped_column(DateTime)
    call_back_note: Mapped[str] = mapped_column(Text, default="")
    action_taken: Mapped[str] = mapped_column(Text, default="")
    action_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revision.id"))
    acted_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    rating: Mapped[Rating] = relationship(back_populates="case")
    item: Mapped[Item] = relationship()
    utility: Mapped[Utility] = relationship()
    action_revision: Mapped[Revision | None] = relationship()
    closed_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}


class HandlingFigures(db.Model):
    """A utility's handling figures for one item and month (办件情况), shown with the ratings."""

    __tablename__ = "handling_figures"
    __table_args__ = (UniqueConstraint("item_id", "month"),)
    residents_see = True  # shown on the results pages

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    utility_id: Mapped[int] = mapped_column(ForeignKey("utility.id"), index=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    received: Mapped[int] = mapped_column(Integer)
    completed: Mapped[int] = mapped_column(Integer)
    completed_on_time: Mapped[int] = mapped_column(Integer)
    average_working_days: Mapped[Decimal | None] = mapped_column(Numeric(6, 1))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    item: Mapped[Item] = relationship()
