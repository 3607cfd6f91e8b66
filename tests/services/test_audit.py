"""The audit trail: rows chained by hash, and verify_chain finding every kind of tampering."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from services.db import db
from services.models import AuditEvent
from services.publishing import audit


def three_events() -> list[AuditEvent]:
    return [
        audit.record("tester", "test.write", "thing", n, {"n": n}, {"n": n + 1}) for n in range(3)
    ]


def problems_about(report: audit.ChainReport, events: list[AuditEvent]) -> set[tuple[str, int]]:
    ids = {e.id for e in events}
    return {(p.kind, p.event_id) for p in report.problems if p.event_id in ids}


def test_each_event_is_chained_to_the_one_before(ctx):
    first, second, third = three_events()
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert third.hash == audit.event_hash(second.hash, third)


def test_an_untouched_chain_verifies(ctx):
    events = three_events()
    report = audit.verify_chain()
    assert report.is_ok, report.problems
    assert report.head == events[-1].hash


def test_dates_and_nested_values_hash_the_same_after_reading_back(ctx):
    from datetime import date

    event = audit.record("tester", "test.write", "thing", 1, None, {"on": date(2027, 1, 1)})
    db.session.expire(event)
    assert event.after == {"on": "2027-01-01"}
    assert audit.verify_chain().is_ok


def test_an_altered_row_is_reported(ctx):
    events = three_events()
    db.session.execute(
        update(AuditEvent).where(AuditEvent.id == events[1].id).values(after={"n": 99})
    )
    db.session.expire_all()
    assert problems_about(audit.verify_chain(), events) == {("altered", events[1].id)}


def test_a_deleted_row_is_reported_at_the_row_after_it(ctx):
    events = three_events()
    db.session.execute(delete(AuditEvent).where(AuditEvent.id == events[1].id))
    db.session.expire_all()
    assert problems_about(audit.verify_chain(), events) == {("deleted", events[2].id)}


def test_a_row_inserted_into_the_middle_is_reported(ctx):
    _first, second, third = three_events()
    # Make room between the second and third rows, then slip a forged row in.
    slot, moved_id = third.id, third.id + 1000
    table = AuditEvent.__table__
    db.session.execute(update(table).where(table.c.id == slot).values(id=moved_id))
    db.session.expunge_all()
    forged = AuditEvent(
        id=slot,
        occurred_at=second.occurred_at,
        actor="intruder",
        action="revision.publish",
        entity="revision",
        entity_id="1",
        prev_hash=hashlib.sha256(b"made up").hexdigest(),
    )
    forged.hash = audit.event_hash(forged.prev_hash, forged)
    db.session.add(forged)
    db.session.flush()
    db.session.expire_all()
    found = {(p.kind, p.event_id) for p in audit.verify_chain().problems}
    assert ("inserted", moved_id) in found  # the third row no longer follows the row before it


def test_rows_deleted_from_the_end_are_caught_against_an_earlier_head(ctx):
    events = three_events()
    head = audit.verify_chain().head
    db.session.execute(delete(AuditEvent).where(AuditEvent.id == events[-1].id))
    db.session.expire_all()
    assert audit.verify_chain().is_ok  # a shorter chain is still a whole chain...
    report = audit.verify_chain(expected_head=head)
    assert [p.kind for p in report.problems] == ["deleted"]  # ...but not the one we saw


def test_a_second_row_after_the_same_predecessor_is_refused(ctx):
    event = audit.record("tester", "test.write", "thing", 1)
    fork = AuditEvent(
        occurred_at=event.occurred_at,
        actor="tester",
        action="test.fork",
        entity="thing",
        entity_id="2",
        prev_hash=event.prev_hash,
    )
    fork.hash = audit.event_hash(fork.prev_hash, fork)
    db.session.add(fork)
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_overlong_actor_and_id_are_cut_to_fit(ctx):
    event = audit.record("x" * 200, "login.failed", "user", "y" * 200)
    assert len(event.actor) == 80 and len(event.entity_id) == 64
    assert db.session.scalar(select(AuditEvent.hash).where(AuditEvent.id == event.id))
