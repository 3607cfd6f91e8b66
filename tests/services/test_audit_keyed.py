"""The audit chain and published content are keyed with a secret kept outside the database:
whoever rewrites the tables cannot make a forgery verify."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select, update

from kiosk import create_app
from services.clock import today as city_today
from services.db import db
from services.models import AuditEvent, Revision, RevisionStatus, Role
from services.publishing import audit, revisions
from tests.factories import make_item, make_revision, make_user


def three_events() -> list[AuditEvent]:
    return [audit.record("tester", "test.write", "thing", n, {"n": n}, {"n": n}) for n in range(3)]


def recompute_from(events: list[AuditEvent], start: int, hashing) -> None:
    """What a forger with write access to the table does: rewrite a row, then every hash
    after it, so that each row links to the one before."""
    previous = events[start - 1].hash if start else audit.GENESIS
    for event in events[start:]:
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.id == event.id)
            .values(prev_hash=f"~{event.id}", hash=f"~~{event.id}")
        )
    for event in events[start:]:
        db.session.refresh(event)
        event.prev_hash = previous
        event.hash = hashing(previous, event)
        previous = event.hash
        db.session.flush()


def unkeyed(previous: str, event: AuditEvent) -> str:
    return audit.legacy_event_hash(previous, event)


def wrong_key(previous: str, event: AuditEvent) -> str:
    return audit.event_hash(previous, event, b"dev-only-change-me-guessed")


@pytest.mark.parametrize("hashing", [unkeyed, wrong_key], ids=["sha256", "guessed key"])
def test_a_chain_recomputed_after_a_forgery_does_not_verify(ctx, hashing):
    events = three_events()
    assert audit.verify_chain().is_ok
    db.session.execute(
        update(AuditEvent).where(AuditEvent.id == events[1].id).values(after={"n": 999})
    )
    db.session.expire_all()
    recompute_from(events, 1, hashing)
    report = audit.verify_chain()
    altered = {p.event_id for p in report.problems if p.kind == "altered"}
    assert {events[1].id, events[2].id} <= altered


def test_the_key_is_the_configured_one_else_the_secret_key(app):
    try:
        create_app({"AUDIT_KEY": "from-the-environment", "SECRET_KEY": "s"})
        assert audit.keyed_hash("x") == audit.keyed_hash("x", b"from-the-environment")
        create_app({"AUDIT_KEY": "", "SECRET_KEY": "the-secret-key"})
        assert audit.keyed_hash("x") == audit.keyed_hash("x", b"the-secret-key")
    finally:
        audit.use_key(app.config["AUDIT_KEY"] or app.config["SECRET_KEY"])
    assert audit.keyed_hash("x") != hashlib.sha256(b"x").hexdigest()


def published() -> Revision:
    item = make_item()
    make_revision(item)
    draft = make_revision(item, status=RevisionStatus.APPROVED, effective_from=None)
    reviewer = make_user(Role.REVIEWER)
    return revisions.publish(draft, reviewer, city_today())


def test_published_content_is_checked_against_its_hash(ctx):
    revision = published()
    assert revision.content_hash == audit.content_hash(revision.content)
    report = audit.verify_published_content()
    assert report.problems == [] and report.checked >= 1


def test_content_changed_after_publishing_is_found(ctx):
    revision = published()
    changed = revision.content | {"summary": "没有人审核过的说明"}
    db.session.execute(update(Revision).where(Revision.id == revision.id).values(content=changed))
    db.session.expire_all()
    [problem] = audit.verify_published_content().problems
    assert problem.revision_id == revision.id and "does not match" in problem.detail


@pytest.mark.parametrize("key", [None, b"guessed"], ids=["sha256", "guessed key"])
def test_content_changed_with_a_recomputed_hash_is_still_found(ctx, key):
    revision = published()
    changed = revision.content | {"summary": "没有人审核过的说明"}
    forged = (
        hashlib.sha256(audit.canonical_json(changed).encode()).hexdigest()
        if key is None
        else audit.content_hash(changed, key)
    )
    db.session.execute(
        update(Revision)
        .where(Revision.id == revision.id)
        .values(content=changed, content_hash=forged)
    )
    db.session.expire_all()
    assert [p.revision_id for p in audit.verify_published_content().problems] == [revision.id]


def test_a_hash_recomputed_with_the_key_still_differs_from_the_trail(ctx):
    # Even with the key, changing the revision's own hash leaves the one in the chain.
    revision = published()
    changed = revision.content | {"summary": "改过"}
    db.session.execute(
        update(Revision)
        .where(Revision.id == revision.id)
        .values(content=changed, content_hash=audit.content_hash(changed))
    )
    db.session.expire_all()
    [problem] = audit.verify_published_content().problems
    assert "audit trail" in problem.detail


def only_our_chain() -> list[AuditEvent]:
    events = three_events()
    assert sorted(db.session.scalars(select(AuditEvent.id))) == [e.id for e in events]
    return events


def test_a_chain_written_before_keys_is_rekeyed_once_it_verifies(ctx):
    events = only_our_chain()
    recompute_from(events, 0, unkeyed)  # as the chain was written before it was keyed
    assert not audit.verify_chain().is_ok
    report = audit.rekey_chain(None)
    assert report.problems == [] and report.count == 3
    assert audit.verify_chain().is_ok


def test_a_broken_old_chain_is_not_rekeyed(ctx):
    events = only_our_chain()
    recompute_from(events, 0, unkeyed)
    db.session.execute(
        update(AuditEvent).where(AuditEvent.id == events[1].id).values(after={"n": 5})
    )
    db.session.expire_all()
    rows = select(AuditEvent.prev_hash, AuditEvent.hash).order_by(AuditEvent.id)
    before = db.session.execute(rows).all()
    assert audit.rekey_chain(None).problems
    assert db.session.execute(rows).all() == before
