"""The append-only audit trail: every write leaves a row hash-chained to the row before it."""

from __future__ import annotations

import hashlib
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


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    """sha256 over the previous row's hash and this row's canonical JSON."""
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
