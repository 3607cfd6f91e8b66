"""The tables of hearings and consultations, and of residents' comments on them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.clock import utcnow
from services.db import db
from services.models import Item, User, Utility, enum_column


class HearingKind(enum.StrEnum):
    HEARING = "hearing"  # 价格听证会: a meeting at a time and place
    CONSULTATION = "consultation"  # 征求意见: written comments only


class Hearing(db.Model):
    """A proposed change of a tariff put to residents before it is decided.

    Times are naive UTC. `draft_content` is the tariff's content as proposed (the content
    in force with the proposed tiers), shown beside the one in force.
    """

    __tablename__ = "hearing"
    residents_see = True

    id: Mapped[int] = mapped_column(primary_key=True)
    utility_id: Mapped[int] = mapped_column(ForeignKey("utility.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    kind: Mapped[HearingKind] = mapped_column(enum_column(HearingKind))
    title: Mapped[str] = mapped_column(String(200))
    proposal: Mapped[str] = mapped_column(Text, default="")
    reasons: Mapped[str] = mapped_column(Text, default="")  # reasons and costs (价格法 Art.23)
    basis: Mapped[str] = mapped_column(Text, default="")
    held_at: Mapped[datetime | None] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    how_to_take_part: Mapped[str] = mapped_column(Text, default="")
    comments_open_at: Mapped[datetime] = mapped_column(DateTime)
    comments_close_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # A hearing's residents sign up to take part (听证参加人) or to watch (旁听) until this
    # moment, before the meeting; a consultation has no meeting and none.
    signup_close_at: Mapped[datetime | None] = mapped_column(DateTime)
    # How many residents' places the meeting has, when the announcement says so.
    signup_places: Mapped[int | None] = mapped_column(Integer)
    draft_content: Mapped[dict[str, Any]] = mapped_column(JSON)
    fee_index: Mapped[int] = mapped_column(Integer, default=0)  # the tiered fee proposed
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The outcome, published after the window: how many commented is counted, not typed.
    summary_published_at: Mapped[datetime | None] = mapped_column(DateTime)
    summary_points: Mapped[str] = mapped_column(Text, default="")
    summary_accepted: Mapped[str] = mapped_column(Text, default="")
    summary_not_accepted: Mapped[str] = mapped_column(Text, default="")
    summary_comment_count: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    utility: Mapped[Utility] = relationship()
    item: Mapped[Item] = relationship()
    author: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def summary(self) -> dict[str, Any]:
        """What the audit trail keeps of it (no resident's data is in it)."""
        return {
            "utility_id": self.utility_id,
            "item_id": self.item_id,
            "kind": self.kind,
            "title": self.title,
            "held_at": self.held_at,
            "place": self.place,
            "comments_open_at": self.comments_open_at,
            "comments_close_at": self.comments_close_at,
            "signup_close_at": self.signup_close_at,
            "signup_places": self.signup_places,
            "draft_tiers": self.draft_content["fees"][self.fee_index]["pricing"].get("tiers"),
            "summary_published_at": self.summary_published_at,
            "summary_comment_count": self.summary_comment_count,
        }


class HearingComment(db.Model):
    """A resident's comment. The text is counted and summarised; the name and contact are
    personal data: seen by the utility's staff and admins only, and purged after retention.
    Residents never see each other's comments, so a comment moves no public page."""

    __tablename__ = "hearing_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    body: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(String(80), default="")
    contact: Mapped[str] = mapped_column(String(120), default="")
    # A keyed digest of where the comment came from, for throttling; not reversible.
    source_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    contact_purged_at: Mapped[datetime | None] = mapped_column(DateTime)

    hearing: Mapped[Hearing] = relationship()


class SignupRole(enum.StrEnum):
    PARTICIPANT = "participant"  # 听证参加人: speaks at the meeting, if chosen
    OBSERVER = "observer"  # 旁听人: attends without speaking


class HearingSignup(db.Model):
    """A resident's sign-up to attend a hearing. All of it is personal data, seen by the
    utility's staff and admins only; name and contact are erased after the retention.
    Residents never see others' sign-ups, so a sign-up moves no public page."""

    __tablename__ = "hearing_signup"

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("hearing.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    role: Mapped[SignupRole] = mapped_column(enum_column(SignupRole))
    name: Mapped[str] = mapped_column(String(80), default="")
    contact: Mapped[str] = mapped_column(String(120), default="")
    # Whom the resident speaks for (居民用户, 非居民用户, 社区...), to balance the panel.
    represents: Mapped[str] = mapped_column(String(120), default="")
    source_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    contact_purged_at: Mapped[datetime | None] = mapped_column(DateTime)

    hearing: Mapped[Hearing] = relationship()
