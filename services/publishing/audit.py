"""The append-only audit trail: every write leaves a row hash-chained to the row before it.

The hashes are HMACs under a key kept outside the database (GONGSHI_AUDIT_KEY, else the
app's secret key), so someone who can rewrite the table cannot recompute a chain that
verifies. Published content is hashed under the same key when it is published.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text

from services.clock import utcnow
from services.db import db
from services.models import AuditEvent

GENESIS = "0" * 64
SYSTEM = "system"  # the actor of changes nobody made by hand, such as a scheduled supersession


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spacing, so equal data always hashes the same."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def plain(value: Any) -> Any:
    """`value` as it will read back from a JSON column (dates become strings)."""
    return None if value is None else json.loads(canonical_json(value))


_key: bytes | None = None


def use_key(key: str | bytes) -> None:
    """Set the secret every hash is keyed with; the app does this once when it starts."""
    global _key
    if not key:
        raise ValueError("the audit key must not be empty")
    _key = key.encode() if isinstance(key, str) else key


def keyed_hash(text: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 of `text` under `key` (by default the configured one), as hex."""
    key = key if key is not None else _key
    if key is None:
        raise RuntimeError("no audit key: create the app, or call audit.use_key, first")
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def content_hash(content: Any, key: bytes | None = None) -> str:
    """The keyed hash of a revision's content, stored when it is published."""
    return keyed_hash(canonical_json(plain(content)), key)


def event_hash(prev_hash: str, event: AuditEvent, key: bytes | None = None) -> str:
    """The keyed hash over the previous row's hash and this row's canonical JSON."""
    row = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "before": event.before,
        "after": event.after,
    }
    return keyed_hash(prev_hash + canonical_json(row), key)


def _lock_chain() -> None:
    # On PostgreSQL two writers would both read the same head and fork the chain; a
    # transaction-scoped advisory lock makes them queue. SQLite allows one writer anyway,
    # and the unique prev_hash refuses a fork on either database.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(7104202611)"))


def record(
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one event after the current head of the chain; the caller commits."""
    _lock_chain()
    head = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        occurred_at=utcnow(),
        # Cut to the columns' sizes: a failed login may name any string as its username.
        actor=(actor or SYSTEM)[:80],
        action=action,
        entity=entity,
        entity_id=str(entity_id)[:64],
        before=plain(before),
        after=plain(after),
        prev_hash=head or GENESIS,
    )
    event.hash = event_hash(event.prev_hash, event)
    db.session.add(event)
    db.session.flush()
    return event


@dataclass(frozen=True)
class ChainProblem:
    """One break in the chain: `kind` is altered, inserted or deleted; `event_id` where it shows."""

    kind: str
    event_id: int
    detail: str


@dataclass
class ChainReport:
    count: int = 0
    head: str = GENESIS
    problems: list[ChainProblem] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        return not self.problems


def verify_chain(expected_head: str | None = None) -> ChainReport:
    """Recompute every hash and link; report altered, inserted and deleted rows.

    Deleting the newest rows leaves a chain that is whole but shorter: pass a head hash
    printed by an earlier check as `expected_head` to catch that too.
    """
    report = ChainReport()
    seen: dict[str, int] = {}
    previous = GENESIS
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        report.count += 1
        if event_hash(event.prev_hash, event) != event.hash:
            report.problems.append(
                ChainProblem("altered", event.id, f"event {event.id} does not match its hash")
            )
        if event.prev_hash != previous:
            if event.prev_hash in seen:
                detail = (
                    f"event {event.id} follows event {seen[event.prev_hash]}, not the row "
                    "before it: a row was inserted"
                )
                report.problems.append(ChainProblem("inserted", event.id, detail))
            else:
                detail = f"the event before {event.id} is missing or was rewritten"
                report.problems.append(ChainProblem("deleted", event.id, detail))
        seen[event.hash] = event.id
        previous = event.hash
    report.head = previous
    if expected_head and expected_head != GENESIS and expected_head not in seen:
        detail = f"the earlier head {expected_head} is no longer in the chain"
        report.problems.append(ChainProblem("deleted", 0, detail))
    return report


def legacy_event_hash(prev_hash: str, event: AuditEvent) -> str:
    """The unkeyed sha256 of chains written before the chain was keyed."""
    row = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "before": event.before,
        "after": event.after,
    }
    return hashlib.sha256((prev_hash + canonical_json(row)).encode()).hexdigest()


def rekey_chain(old_key: bytes | None = None) -> ChainReport:
    """Recompute the whole chain under the configured key, if it verifies under the old
    one (`old_key`, or None for a chain written before keys were used).

    Returns the check of the old chain; nothing is changed when it found problems. The
    caller commits.
    """
    report = ChainReport()
    previous = GENESIS
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
    for event in events:
        report.count += 1
        if old_key is None:
            expected = legacy_event_hash(event.prev_hash, event)
        else:
            expected = event_hash(event.prev_hash, event, old_key)
        if expected != event.hash or event.prev_hash != previous:
            report.problems.append(
                ChainProblem("altered", event.id, f"event {event.id} does not verify")
            )
        previous = event.hash
    if report.problems:
        return report
    _lock_chain()
    previous = GENESIS
    for event in events:
        # Move the old hashes out of the way first: both columns are unique.
        event.prev_hash, event.hash = f"~{event.id}", f"~~{event.id}"
    db.session.flush()
    for event in events:
        event.prev_hash = previous
        event.hash = event_hash(previous, event)
        previous = event.hash
    db.session.flush()
    report.head = previous
    return report


@dataclass(frozen=True)
class ContentProblem:
    """A published revision whose content no longer matches the hash taken at publishing."""

    revision_id: int
    detail: str


@dataclass
class ContentReport:
    checked: int = 0
    without_hash: int = 0  # published before content was hashed
    problems: list[ContentProblem] = field(default_factory=list)


def verify_published_content() -> ContentReport:
    """Check every published revision's content against its stored keyed hash, and that
    hash against the one the audit trail recorded when it was published."""
    from services.models import Revision, RevisionStatus  # the trail itself needs no revisions

    recorded: dict[str, Any] = {}
    for entity_id, after in db.session.execute(
        select(AuditEvent.entity_id, AuditEvent.after)
        .where(AuditEvent.entity == "revision", AuditEvent.action == "revision.publish")
        .order_by(AuditEvent.id)
    ):
        recorded[entity_id] = (after or {}).get("content_hash")
    report = ContentReport()
    statuses = (RevisionStatus.PUBLISHED, RevisionStatus.SUPERSEDED, RevisionStatus.WITHDRAWN)
    for revision in db.session.scalars(
        select(Revision).where(Revision.status.in_(statuses)).order_by(Revision.id)
    ):
        if revision.content_hash is None:
            report.without_hash += 1
            continue
        report.checked += 1
        where = f"revision {revision.id} (item {revision.item.code}, version {revision.number})"
        if content_hash(revision.content) != revision.content_hash:
            detail = f"{where}: its content does not match the hash taken when it was published"
            report.problems.append(ContentProblem(revision.id, detail))
        elif recorded.get(str(revision.id)) != revision.content_hash:
            detail = f"{where}: its hash differs from the one the audit trail recorded"
            report.problems.append(ContentProblem(revision.id, detail))
    return report
