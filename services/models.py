"""The catalogue's tables: utilities, items and their revisions, and what they refer to."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.clock import utcnow
from services.db import db


def enum_column(enum_class: type[enum.Enum], length: int = 20) -> Enum:
    # Stored as plain strings (no native PG enum) so a new value needs no type migration.
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Sector(enum.StrEnum):
    WATER = "water"
    POWER = "power"
    GAS = "gas"
    HEATING = "heating"
    TELECOM = "telecom"
    TRANSPORT = "transport"
    HOSPITAL = "hospital"
    SCHOOL = "school"


class Nature(enum.StrEnum):
    STATUTORY = "statutory"  # 法定机关
    AUTHORISED = "authorised"  # 授权组织
    ENTRUSTED = "entrusted"  # 受委托单位
    PUBLIC_ENTERPRISE = "public_enterprise"  # 公共企事业单位 (政府信息公开条例 Art. 55)


class ItemKind(enum.StrEnum):
    SERVICE = "service"
    TARIFF = "tariff"


class ItemStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    RETIRED = "retired"


class RevisionStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # scheduled, then taken back before it was in force


class ChannelKind(enum.StrEnum):
    CONSULT = "consult"
    COMPLAINT = "complaint"
    SUPERVISION = "supervision"
    PRICE = "price"
    EMERGENCY = "emergency"
    REPAIR = "repair"


class ChannelRole(enum.StrEnum):
    """Whose complaint route a channel is, beyond the utility's own lines."""

    REGULATOR = "regulator"  # a sector's regulator (power: 12398, the energy regulator)
    COMPETENT_DEPARTMENT = "competent_department"  # 主管部门 (政府信息公开条例 Art. 55)


class BasisStatus(enum.StrEnum):
    PROPOSED = "proposed"  # asked for by a utility's editor, never shown publicly
    APPROVED = "approved"


class Role(enum.StrEnum):
    EDITOR = "editor"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class HolidayKind(enum.StrEnum):
    HOLIDAY = "holiday"
    WORKDAY = "workday"  # 调休: a weekend day that is worked


hall_utilities = Table(
    "hall_utility",
    db.metadata,
    Column("hall_id", ForeignKey("hall.id", ondelete="CASCADE"), primary_key=True),
    Column("utility_id", ForeignKey("utility.id", ondelete="CASCADE"), primary_key=True),
    info={"residents_see": True},  # which utilities a hall's board and kiosks show
)


class Utility(db.Model):
    """A provider (实施主体) that publishes service items and tariffs."""

    residents_see = True

    __tablename__ = "utility"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(40))
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    nature: Mapped[Nature] = mapped_column(enum_column(Nature))
    address: Mapped[str] = mapped_column(String(300), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    # {"zh_Hant": {"name": ...}, "en": {"name": ..., "short_name": ..., "address": ...}}
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)

    items: Mapped[list[Item]] = relationship(back_populates="utility", order_by="Item.position")
    channels: Mapped[list[Channel]] = relationship(back_populates="utility")


class Item(db.Model):
    """One thing a utility publishes: a service (办事事项) or a tariff (价格公示)."""

    residents_see = True

    __tablename__ = "item"
    __table_args__ = (UniqueConstraint("utility_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    utility_id: Mapped[int] = mapped_column(ForeignKey("utility.id"), index=True)
    kind: Mapped[ItemKind] = mapped_column(enum_column(ItemKind))
    slug: Mapped[str] = mapped_column(String(80))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[str] = mapped_column(String(80), default="")
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus), default=ItemStatus.ACTIVE)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Why an item is suspended or retired, shown to residents, and since when (city date).
    status_reason: Mapped[str] = mapped_column(Text, default="")
    status_since: Mapped[date | None] = mapped_column(Date)
    # What a retired item's readers are sent on to, if anything replaces it.
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"))

    utility: Mapped[Utility] = relationship(back_populates="items")
    successor: Mapped[Item | None] = relationship(remote_side=[id])
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="item", order_by="Revision.number"
    )


class Revision(db.Model):
    """A numbered content snapshot of an item; immutable once published."""

    residents_see = True

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("item_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[RevisionStatus] = mapped_column(
        enum_column(RevisionStatus), default=RevisionStatus.DRAFT, index=True
    )
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    effective_from: Mapped[date | None] = mapped_column(Date, index=True)
    effective_to: Mapped[date | None] = mapped_column(Date)
    change_summary: Mapped[str] = mapped_column(Text, default="")
    is_major: Mapped[bool] = mapped_column(Boolean, default=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    review_comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    # Optimistic locking: a save based on a stale version fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Everyone who saved this revision's content (user ids), so none of them approves it.
    edited_by: Mapped[list[int] | None] = mapped_column(JSON)
    # sha256 of the canonical content, written when published; `audit verify` compares.
    content_hash: Mapped[str | None] = mapped_column(String(64))

    item: Mapped[Item] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])

    __mapper_args__ = {"version_id_col": version}


class LegalBasis(db.Model):
    """A law, regulation or price document that a fee or a service rests on."""

    residents_see = True

    __tablename__ = "legal_basis"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    doc_number: Mapped[str] = mapped_column(String(120), default="")  # 文号
    issuer: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)
    # 1 law, 2 administrative regulation, 3 departmental rule, 4 local rule, 5 normative document
    rank: Mapped[int] = mapped_column(Integer, default=5)
    url: Mapped[str] = mapped_column(String(300), default="")
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    repealed_on: Mapped[date | None] = mapped_column(Date)
    version_in_force: Mapped[str] = mapped_column(String(120), default="")  # e.g. 2018年修正
    articles: Mapped[str] = mapped_column(Text, default="")  # the text of the articles cited
    status: Mapped[BasisStatus] = mapped_column(
        enum_column(BasisStatus), default=BasisStatus.APPROVED
    )
    # A proposal's editor and utility, so that only that utility's drafts may cite it.
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    proposed_for_id: Mapped[int | None] = mapped_column(ForeignKey("utility.id"))


class Channel(db.Model):
    """A way to consult, complain or report: global (12345) or a utility's own (95598)."""

    residents_see = True

    __tablename__ = "channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    # One channel may be several kinds at once (a hotline for enquiries and complaints).
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(40), default="")
    url: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[str] = mapped_column(String(120), default="")
    utility_id: Mapped[int | None] = mapped_column(ForeignKey("utility.id"), index=True)
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # A regulator's or a 主管部门's route serves one sector (every utility in it) or, with
    # utility_id, one utility; ordinary channels have neither.
    role: Mapped[ChannelRole | None] = mapped_column(enum_column(ChannelRole, 30))
    sector: Mapped[Sector | None] = mapped_column(enum_column(Sector))

    utility: Mapped[Utility | None] = relationship(back_populates="channels")

    @property
    def kind_list(self) -> list[ChannelKind]:
        """Every kind of the channel, in its order."""
        return [ChannelKind(kind) for kind in self.kinds or []]

    @property
    def kind(self) -> ChannelKind:
        """The channel's first kind, for readers that show one."""
        return self.kind_list[0]

    @kind.setter
    def kind(self, value: ChannelKind | str) -> None:
        self.kinds = [ChannelKind(value).value]


class Hall(db.Model):
    """A service hall with its opening hours, the utilities it shows and its screens."""

    residents_see = True

    __tablename__ = "hall"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    # [{"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"}, ...]
    opening_hours: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # [{"on": "2026-10-01", "closed": true, "note": "..."}]
    exceptions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    translations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    utilities: Mapped[list[Utility]] = relationship(
        secondary=hall_utilities, order_by="Utility.position"
    )
    devices: Mapped[list[Device]] = relationship(back_populates="hall")


class Device(db.Model):
    """A registered kiosk or wall board of a hall."""

    __tablename__ = "device"

    id: Mapped[int] = mapped_column(primary_key=True)
    hall_id: Mapped[int] = mapped_column(ForeignKey("hall.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # kiosk | board
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(128), default="", index=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    content_version: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The one-time registration link (its hash only), burnt when the device opens it.
    registration_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    registration_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    registered_at: Mapped[datetime | None] = mapped_column(DateTime)

    hall: Mapped[Hall] = relationship(back_populates="devices")


class Holiday(db.Model):
    """A public holiday or an adjusted workday (调休) in the city's calendar."""

    residents_see = True

    __tablename__ = "holiday"

    on: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[HolidayKind] = mapped_column(enum_column(HolidayKind))
    name: Mapped[str] = mapped_column(String(120), default="")
    source: Mapped[str] = mapped_column(String(20), default="package")  # package | admin


class Setting(db.Model):
    """A city-wide setting kept in the database, such as the date the calendar is known until."""

    # The calendar's "known until" date decides which due dates are marked as estimates.
    residents_see = True

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(db.Model):
    """An editor (bound to one utility), a reviewer or an admin."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    utility_id: Mapped[int | None] = mapped_column(ForeignKey("utility.id"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Part of every session cookie; raising it (sign-out, new password) ends all sessions.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when an admin resets the password: the person chooses a new one at next sign-in.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)

    utility: Mapped[Utility | None] = relationship()

    # What Flask-Login asks of a signed-in user (is_active is the column above).
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        # The session version travels in the cookie: a raised version ends old sessions.
        return f"{self.id}.{self.session_version or 0}"


class AuditEvent(db.Model):
    """An append-only record of a write; each row's hash covers the previous row's hash."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(80), default="")
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # a fork is refused
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class SearchEntry(db.Model):
    """An item's current published text folded for search: Simplified, lower case, pinyin.

    `name*` and `body*` columns are aligned character by character with their text, so a
    match found in one column points at the same characters in the others.
    """

    # What the search page finds.
    residents_see = True

    __tablename__ = "search_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), unique=True)
    utility_id: Mapped[int] = mapped_column(ForeignKey("utility.id"), index=True)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revision.id"))
    # The day a scheduled revision takes effect: the entry is rebuilt then, with nobody acting.
    refresh_on: Mapped[date | None] = mapped_column(Date, index=True)
    # The name as written, for display: {"zh_Hans": ..., "zh_Hant": ..., "en": ...}
    names: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    name: Mapped[str] = mapped_column(Text, default="")
    name_initials: Mapped[str] = mapped_column(Text, default="")
    name_pinyin: Mapped[str] = mapped_column(Text, default="")
    name_pinyin_spaced: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_initials: Mapped[str] = mapped_column(Text, default="")
    body_pinyin_spaced: Mapped[str] = mapped_column(Text, default="")
    indexed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class CatalogueChange(db.Model):
    """A change residents can see that is not a new revision: a channel's phone, a hall's
    hours, an item suspended or retired. Listed on /changes and in its feed."""

    __tablename__ = "catalogue_change"

    residents_see = True

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    # utility | channel | hall | item | basis
    subject: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    # created | changed | suspended | resumed | retired | repealed
    action: Mapped[str] = mapped_column(String(20))
    # The subject's name as it stood, and the slugs of its page for residents:
    # {"utility": ..., "item": ...}, {"utility": ...} or {} when it has no page.
    name: Mapped[str] = mapped_column(String(300))
    link: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Which public fields changed, and any words for residents (a suspension's reason).
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"  # done, but its file was pruned: the next request builds it again


# A job in these states answers every identical request, so the same work is never queued twice.
ACTIVE_JOB_STATES = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE)


class BackgroundJob(db.Model):
    """Long work done by the job worker (a hall's notices), with its progress for staff."""

    __tablename__ = "background_job"
    __table_args__ = (
        Index(
            "uq_background_job_active_key",
            "kind",
            "key",
            unique=True,
            sqlite_where=text("status IN ('queued', 'running', 'done')"),
            postgresql_where=text("status IN ('queued', 'running', 'done')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    # What the result depends on: identical requests have the same key.
    key: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str] = mapped_column(String(128), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class CatalogueVersion(db.Model):
    """One row: a number that moves in the same transaction as every change residents can see
    (services.catalogue.version), read by every web worker to know its pages are stale."""

    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, default=1)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# The tables of the resident's voice (好差评) live with their domain.
import services.ratings.models  # noqa: E402,F401
from services.hearings.models import Hearing, HearingComment, HearingSignup  # noqa: E402,F401  (price hearings)
from services.outages.models import Outage, OutageUpdate  # noqa: E402,F401  (outage notices)
from services.requests.models import (  # noqa: E402,F401  (information requests)
    InfoRequest,
    InfoRequestContact,
    InfoRequestFile,
    InfoRequestStep,
)
