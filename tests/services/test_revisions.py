"""The editing workflow: drafts, optimistic locking, review, publishing on a date, supersession."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from services.catalogue import queries as catalogue
from services.content.diff import diff
from services.content.schema import ContentError
from services.db import db
from services.models import (
    AuditEvent,
    Item,
    Revision,
    RevisionStatus,
    Role,
    SearchEntry,
    User,
    Utility,
)
from services.publishing import revisions
from services.publishing.drafts import DraftData, EditConflict, conflicting_fields, merge_drafts
from services.publishing.revisions import WorkflowError
from tests.factories import (
    make_item,
    make_revision,
    make_utility,
    service_content,
    tariff_content,
    unique,
)

TODAY = date(2026, 6, 1)
PROMISE_3 = {"value": 3, "unit": "working_days"}
IN_1_HOUR = {"value": 1, "unit": "hours"}


@pytest.fixture
def on_today(monkeypatch):
    """The city's clock stopped at 10:00 on TODAY."""
    monkeypatch.setenv("GONGSHI_FAKE_NOW", f"{TODAY.isoformat()}T10:00:00")


def make_actor(role: Role, utility: Utility | None = None) -> User:
    # No password hashing here: these accounts never sign in.
    user = User(username=unique(role.value), password_hash="-", role=role, utility=utility)
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def people(ctx):
    utility = make_utility()
    return utility, make_actor(Role.EDITOR, utility), make_actor(Role.REVIEWER)


@pytest.fixture
def mark(ctx) -> int:
    """The id of the newest audit event before the test: later ones are the test's own
    (ids of revisions that other tests created and deleted may be reused)."""
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def audit_actions(revision: Revision, mark: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(
                AuditEvent.entity == "revision",
                AuditEvent.entity_id == str(revision.id),
                AuditEvent.id > mark,
            )
            .order_by(AuditEvent.id)
        )
    )


def with_price(content: dict, tier: int, price: str) -> dict:
    changed = copy.deepcopy(content)
    changed["fees"][0]["pricing"]["tiers"][tier]["price"] = price
    return changed


def approved(item: Item, editor: User, reviewer: User, content: dict, **draft) -> Revision:
    revision = revisions.start_draft(item, editor)
    revisions.save_draft(
        revision,
        content,
        base_version=revision.version,
        change_summary=draft.get("summary", "调整第二阶梯水价"),
        is_major=draft.get("is_major", True),
        actor=editor,
    )
    revisions.submit(revision, editor, revision.version)
    return revisions.approve(revision, reviewer, "同意")


def test_a_draft_starts_from_the_latest_published_content(people, mark):
    utility, editor, _reviewer = people
    item = make_item(utility)
    published = make_revision(item)
    draft = revisions.start_draft(item, editor)
    assert (draft.number, draft.status, draft.author) == (2, RevisionStatus.DRAFT, editor)
    assert draft.content == published.content and draft.content is not published.content
    assert revisions.start_draft(item, editor) is draft  # one open revision per item
    assert audit_actions(draft, mark) == ["revision.start"]


def test_a_draft_starts_from_a_scheduled_change_rather_than_undoing_it(people, on_today):
    utility, editor, _reviewer = people
    item = make_item(utility)
    make_revision(item, effective_from=date(2024, 1, 1))
    scheduled = make_revision(item, content=tariff_content(), effective_from=date(2027, 1, 1))
    assert revisions.start_draft(item, editor).content == scheduled.content


def test_saving_a_draft_keeps_the_change_and_its_audit_trail(people):
    utility, editor, _reviewer = people
    draft = revisions.start_draft(make_item(utility), editor)
    content = draft.content | {"summary": "新的说明"}
    revisions.save_draft(
        draft, content, base_version=1, change_summary=" 改写说明 ", is_major=False, actor=editor
    )
    db.session.expire(draft)
    assert (draft.content["summary"], draft.change_summary, draft.is_major) == (
        "新的说明",
        "改写说明",
        False,
    )
    assert draft.version == 2
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event.action == "revision.save" and event.actor == editor.username
    assert event.before["content"]["summary"] != event.after["content"]["summary"]


def test_a_save_based_on_an_old_version_raises_a_conflict_with_both_versions(people):
    utility, editor, _reviewer = people
    draft = revisions.start_draft(make_item(utility), editor)
    theirs = draft.content | {"summary": "他们的说明"}
    revisions.save_draft(
        draft, theirs, base_version=1, change_summary="他们", is_major=True, actor=editor
    )
    mine = draft.content | {"summary": "我的说明"}
    with pytest.raises(EditConflict) as raised:
        revisions.save_draft(
            draft, mine, base_version=1, change_summary="我", is_major=True, actor=editor
        )
    assert raised.value.mine.content["summary"] == "我的说明" and raised.value.mine.version == 1
    assert raised.value.theirs.content["summary"] == "他们的说明"
    assert raised.value.theirs.version == 2 and raised.value.theirs.saved_by == editor.username
    assert draft.content["summary"] == "他们的说明"  # nothing was overwritten


@pytest.fixture
def committed_draft(app):
    """A draft committed to the database, removed again after the test."""
    with app.app_context():
        utility = make_utility()
        editor = make_actor(Role.EDITOR, utility)
        item = make_item(utility)
        make_revision(item)
        draft = revisions.start_draft(item, editor)
        db.session.commit()
        ids = (utility.id, editor.id, item.id, draft.id)
    yield ids
    with app.app_context():
        utility_id, editor_id, item_id, _draft_id = ids
        db.session.execute(delete(Revision).where(Revision.item_id == item_id))
        db.session.execute(delete(Item).where(Item.id == item_id))
        db.session.execute(delete(User).where(User.id == editor_id))
        db.session.execute(delete(Utility).where(Utility.id == utility_id))
        db.session.commit()


def test_two_people_saving_at_the_same_moment_cannot_overwrite_each_other(app, committed_draft):
    """Both read version 1; the other one commits first; ours must fail at the write."""
    _utility_id, editor_id, _item_id, draft_id = committed_draft
    with app.app_context():
        draft = db.session.get(Revision, draft_id)
        editor = db.session.get(User, editor_id)
        assert draft.version == 1
        with Session(db.engine) as other:
            theirs = other.get(Revision, draft_id)
            theirs.content = theirs.content | {"summary": "同事先保存的说明"}
            other.commit()
        mine = draft.content | {"summary": "我的说明"}
        with pytest.raises(EditConflict) as raised:
            revisions.save_draft(
                draft, mine, base_version=1, change_summary="我的修改", is_major=True, actor=editor
            )
        db.session.rollback()
        assert raised.value.theirs.content["summary"] == "同事先保存的说明"
        assert raised.value.theirs.version == 2
        assert raised.value.mine.content["summary"] == "我的说明"
        assert db.session.get(Revision, draft_id).content["summary"] == "同事先保存的说明"


def test_submitting_needs_a_change_summary(people):
    utility, editor, _reviewer = people
    draft = revisions.start_draft(make_item(utility), editor)
    with pytest.raises(ContentError) as raised:
        revisions.submit(draft, editor, draft.version)
    assert raised.value.field == "change_summary"


def test_submitting_invalid_content_names_the_field(people):
    utility, editor, _reviewer = people
    item = make_item(utility, kind="tariff")
    make_revision(item)
    draft = revisions.start_draft(item, editor)
    bad = with_price(draft.content, 1, "七元")
    revisions.save_draft(
        draft, bad, base_version=1, change_summary="改价", is_major=True, actor=editor
    )
    with pytest.raises(ContentError) as raised:
        revisions.submit(draft, editor, draft.version)
    assert raised.value.field == "fees[0].pricing.tiers[1].price"
    assert draft.status == RevisionStatus.DRAFT


def test_submitting_a_version_the_editor_has_not_seen_is_refused(people):
    utility, editor, _reviewer = people
    item = make_item(utility)
    make_revision(item)
    draft = revisions.start_draft(item, editor)
    with pytest.raises(WorkflowError) as raised:
        revisions.submit(draft, editor, seen_version=draft.version - 1)
    assert raised.value.code == "stale"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: with_price(c, 1, "7.50"), "fees[0].pricing.tiers[1].price"),
        (
            lambda c: c | {"time_limits": c["time_limits"] | {"promised": PROMISE_3}},
            "time_limits.promised.value",
        ),
        (
            lambda c: c | {"steps": [c["steps"][0] | {"time_limit": IN_1_HOUR}, *c["steps"][1:]]},
            "steps[0].time_limit.unit",
        ),
    ],
)
def test_a_minor_change_cannot_alter_fees_or_time_limits(people, change, field):
    utility, editor, _reviewer = people
    # Prices change on a tariff; time limits only exist on a service.
    item = make_item(utility, kind="tariff" if field.startswith("fees") else "service")
    make_revision(item)
    draft = revisions.start_draft(item, editor)
    revisions.save_draft(
        draft,
        change(draft.content),
        base_version=1,
        change_summary="小改",
        is_major=False,
        actor=editor,
    )
    with pytest.raises(ContentError) as raised:
        revisions.submit(draft, editor, draft.version)
    assert raised.value.field.startswith(field.rsplit(".", 1)[0])
    assert "minor" in raised.value.message


def test_a_minor_change_may_reword_the_text(people):
    utility, editor, _reviewer = people
    item = make_item(utility)
    make_revision(item)
    draft = revisions.start_draft(item, editor)
    revisions.save_draft(
        draft,
        draft.content | {"summary": "措辞调整"},
        base_version=1,
        change_summary="措辞",
        is_major=False,
        actor=editor,
    )
    assert revisions.submit(draft, editor, draft.version).status == RevisionStatus.IN_REVIEW


def test_the_author_cannot_approve_their_own_change(people):
    utility, editor, _reviewer = people
    item = make_item(utility)
    make_revision(item)
    draft = revisions.start_draft(item, editor)
    revisions.save_draft(
        draft, draft.content, base_version=1, change_summary="核对", is_major=True, actor=editor
    )
    revisions.submit(draft, editor, draft.version)
    with pytest.raises(WorkflowError) as raised:
        revisions.approve(draft, editor)
    assert raised.value.code == "own_change"


def test_a_returned_change_needs_a_comment_and_can_be_edited_again(people, mark):
    utility, editor, reviewer = people
    item = make_item(utility)
    make_revision(item)
    draft = revisions.start_draft(item, editor)
    revisions.save_draft(
        draft, draft.content, base_version=1, change_summary="核对", is_major=True, actor=editor
    )
    revisions.submit(draft, editor, draft.version)
    with pytest.raises(WorkflowError):
        revisions.reject(draft, reviewer, "  ")
    revisions.reject(draft, reviewer, "请补充收费依据")
    assert (draft.status, draft.review_comment) == (RevisionStatus.REJECTED, "请补充收费依据")
    revisions.save_draft(
        draft,
        draft.content,
        base_version=draft.version,
        change_summary="已补充",
        is_major=True,
        actor=editor,
    )
    assert draft.status == RevisionStatus.DRAFT
    assert audit_actions(draft, mark) == [
        "revision.start",
        "revision.save",
        "revision.submit",
        "revision.reject",
        "revision.save",
    ]


def test_publishing_today_replaces_the_current_revision_at_once(people, on_today, mark):
    utility, editor, reviewer = people
    item = make_item(utility, kind="tariff")
    old = make_revision(item)
    new = approved(item, editor, reviewer, with_price(old.content, 1, "7.50"))
    revisions.publish(new, reviewer, TODAY)
    assert catalogue.current_revision(item) is new
    # Its last day in force was yesterday: two ranges never share a day.
    assert (old.status, old.effective_to) == (RevisionStatus.SUPERSEDED, TODAY - timedelta(days=1))
    assert new.published_at is not None and new.approver is reviewer
    assert audit_actions(new, mark)[-1] == "revision.publish"
    assert audit_actions(old, mark) == ["revision.supersede"]
    entry = db.session.scalar(select(SearchEntry).where(SearchEntry.item_id == item.id))
    assert entry.revision_id == new.id  # the search index follows at once


def test_a_future_revision_takes_over_on_its_date_with_nobody_acting(people, on_today, monkeypatch):
    utility, editor, reviewer = people
    item = make_item(utility, kind="tariff")
    old = make_revision(item)
    new = approved(item, editor, reviewer, with_price(old.content, 1, "7.50"))
    revisions.publish(new, reviewer, date(2026, 7, 1))
    # Until the date both are published: the old one in force, the new one announced.
    assert (old.status, new.status) == (RevisionStatus.PUBLISHED, RevisionStatus.PUBLISHED)
    assert catalogue.current_revision(item) is old
    assert catalogue.upcoming_revision(item) is new
    assert (revisions.revision_state(old), revisions.revision_state(new)) == ("current", "upcoming")
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-07-01T00:00:01")
    assert catalogue.current_revision(item) is new  # no write was needed for that
    assert revisions.revision_state(old) == "superseded"
    assert revisions.settle_schedule() == [old]
    assert (old.status, old.effective_to) == (RevisionStatus.SUPERSEDED, date(2026, 6, 30))
    assert revisions.settle_schedule() == []


def test_publishing_with_a_past_date_is_refused(people, on_today):
    utility, editor, reviewer = people
    item = make_item(utility, kind="tariff")
    old = make_revision(item)
    new = approved(item, editor, reviewer, with_price(old.content, 1, "7.50"))
    with pytest.raises(WorkflowError) as raised:
        revisions.publish(new, reviewer, date(2026, 5, 31))
    assert raised.value.code == "past_date"


def test_a_later_change_must_come_after_the_one_already_scheduled(people, on_today):
    utility, editor, reviewer = people
    item = make_item(utility, kind="tariff")
    old = make_revision(item)
    first = approved(item, editor, reviewer, with_price(old.content, 1, "7.50"))
    revisions.publish(first, reviewer, date(2026, 9, 1))
    second = approved(item, editor, reviewer, with_price(first.content, 2, "9.50"))
    with pytest.raises(WorkflowError) as raised:
        revisions.publish(second, reviewer, date(2026, 9, 1))
    assert raised.value.params == {"number": first.number, "date": "2026-09-01"}
    revisions.publish(second, reviewer, date(2026, 10, 1))
    assert catalogue.upcoming_revision(item) is first


def test_only_an_approved_revision_can_be_published(people, on_today):
    utility, editor, reviewer = people
    item = make_item(utility)
    make_revision(item)
    draft = revisions.start_draft(item, editor)
    with pytest.raises(WorkflowError) as raised:
        revisions.publish(draft, reviewer, TODAY)
    assert raised.value.params == {"status": "draft"}


def test_the_diff_flags_fee_and_time_limit_changes_and_ignores_blank_fields():
    old = service_content(fees=tariff_content()["fees"])  # tiered prices and time limits
    new = with_price(old, 1, "7.50")
    new["time_limits"]["promised"]["value"] = 3
    new["summary"] = "新说明"
    new["conditions"] = []
    old_with_blank = old | {"online_url": "", "faq": []}
    changes = {c.path: c for c in diff(old_with_blank, new)}
    assert set(changes) == {
        "summary",
        "conditions[0]",
        "conditions[1]",
        "time_limits.promised.value",
        "fees[0].pricing.tiers[1].price",
    }
    assert [c.path for c in diff(old, new)][0] == "summary"  # in the content's own order
    assert changes["fees[0].pricing.tiers[1].price"].is_fee
    assert changes["time_limits.promised.value"].is_time_limit
    assert changes["conditions[0]"].kind == "removed" and not changes["summary"].is_fee


def test_a_conflict_says_who_changed_each_field_since_the_shared_version():
    base = DraftData(tariff_content(), "", True, 1)
    theirs = DraftData(base.content | {"summary": "他们"}, "他们的摘要", True, 2, "li")
    mine = DraftData(base.content | {"name": "我的名称"}, "我的摘要", True, 1, "wang")
    found = {
        c.field: (c.changed_by_me, c.changed_by_them)
        for c in conflicting_fields(theirs, mine, base)
    }
    assert found == {
        "name": (True, False),
        "summary": (False, True),
        "change_summary": (True, True),
    }
    suggested = {c.field for c in conflicting_fields(theirs, mine, base) if c.keep_mine}
    assert suggested == {"name", "change_summary"}  # their summary is not undone
    assert all(c.keep_mine for c in conflicting_fields(theirs, mine))  # no base: both changed


def test_a_merge_takes_the_chosen_fields_from_mine_and_the_rest_from_theirs():
    base = tariff_content()
    theirs = DraftData(base | {"summary": "他们"}, "他们的摘要", True, 3, "li")
    mine = DraftData(base | {"name": "我的名称", "summary": "我的"}, "我的摘要", True, 2, "wang")
    merged = merge_drafts(theirs, mine, {"name", "change_summary"})
    assert (merged.content["name"], merged.content["summary"]) == ("我的名称", "他们")
    assert (merged.change_summary, merged.version) == ("我的摘要", 3)
