"""Price hearings: the draft tariff beside the one in force, the comment window, throttling,
the summary after the window, and the purge of residents' contacts."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from services.catalogue import queries as catalogue
from services.clock import city_zone
from services.db import db
from services.devices import board
from services.hearings import comments, publishing
from services.hearings import queries as hearings
from services.hearings.comparison import compare, typical_usages
from services.hearings.models import HearingComment, HearingKind
from services.models import AuditEvent
from tests.factories import make_hall, make_hearing

NOW = datetime(2026, 9, 15, 9, 0, tzinfo=city_zone())
PER_HOUR = 3


def test_the_draft_is_the_tariff_in_force_with_the_proposed_tiers(ctx):
    hearing = make_hearing(now=NOW)
    tiers = hearing.draft_content["fees"][0]["pricing"]["tiers"]
    assert [(t["lower"], t["upper"], t["price"]) for t in tiers] == [
        ("0", "180", "5.50"),
        ("180", "260", "7.50"),
        ("260", None, "9.50"),
    ]
    assert hearing.draft_content["name"] == "居民生活用水价格"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "hearing"))
    assert event.action == "hearing.announce"


def test_bills_of_typical_households_are_compared_under_both(ctx):
    hearing = make_hearing(now=NOW)
    current = catalogue.current_revision(hearing.item).content
    comparison = compare(current, hearing.draft_content, hearing.fee_index)
    usages = [row.usage for row in comparison.bills]
    assert usages == [Decimal(90), Decimal(180), Decimal(260), Decimal(325)]
    at_180 = comparison.bills[1]
    assert (at_180.current, at_180.draft, at_180.change) == (
        Decimal("900.00"),
        Decimal("990.00"),
        Decimal("90.00"),
    )
    assert at_180.percent == Decimal("10.0")
    assert typical_usages({"type": "tiers", "tiers": [{"lower": "0", "price": "1"}]}) == []


@pytest.mark.parametrize(
    ("tiers", "code"),
    [
        ("0-180 5.5\n200- 7", "tiers_invalid"),
        ("0-180 5.5\nabc", "tier_line"),
        ("", "tiers_missing"),
    ],
)
def test_proposed_tiers_that_do_not_make_a_table_are_refused(ctx, tiers, code):
    with pytest.raises(publishing.HearingError, match=code):
        make_hearing(now=NOW, draft_tiers=tiers)


def test_a_hearing_needs_its_meeting_and_a_window_in_the_future(ctx):
    with pytest.raises(publishing.HearingError, match="meeting_missing"):
        make_hearing(now=NOW, held_at=None)
    with pytest.raises(publishing.HearingError, match="window_over"):
        make_hearing(
            now=NOW,
            comments_open_at=NOW - timedelta(days=3),
            comments_close_at=NOW - timedelta(days=1),
        )
    consultation = make_hearing(now=NOW, kind=HearingKind.CONSULTATION, held_at=None, place="")
    assert consultation.held_at is None


def test_comments_are_taken_only_while_the_window_is_open(ctx):
    hearing = make_hearing(now=NOW + timedelta(days=1), comments_open_at=NOW + timedelta(days=2))
    with pytest.raises(comments.CommentError, match="window_shut"):
        comments.add_comment(hearing, "太贵了", "", "", "s", NOW + timedelta(days=1), PER_HOUR)
    comments.add_comment(hearing, "太贵了", "", "", "s", NOW + timedelta(days=2), PER_HOUR)
    closed = NOW + timedelta(days=15, hours=1)
    with pytest.raises(comments.CommentError, match="window_shut"):
        comments.add_comment(hearing, "迟到的意见", "", "", "s", closed, PER_HOUR)


def test_one_source_is_throttled_within_the_hour(ctx):
    hearing = make_hearing(now=NOW)
    for n in range(PER_HOUR):
        comments.add_comment(hearing, f"意见{n}", "", "", "kiosk-1", NOW, PER_HOUR)
    with pytest.raises(comments.CommentError, match="too_many"):
        comments.add_comment(hearing, "再一条", "", "", "kiosk-1", NOW, PER_HOUR)
    comments.add_comment(hearing, "另一台", "", "", "phone-2", NOW, PER_HOUR)
    later = NOW + timedelta(hours=1, minutes=1)
    comments.add_comment(hearing, "一小时后", "", "", "kiosk-1", later, PER_HOUR)


def test_an_empty_or_overlong_comment_is_refused(ctx):
    hearing = make_hearing(now=NOW)
    with pytest.raises(comments.CommentError, match="empty"):
        comments.add_comment(hearing, "   ", "", "", "s", NOW, PER_HOUR)
    with pytest.raises(comments.CommentError, match="too_long"):
        comments.add_comment(hearing, "长" * 2001, "", "", "s", NOW, PER_HOUR)


def test_the_summary_counts_the_comments_and_waits_for_the_window(ctx):
    hearing = make_hearing(now=NOW)
    comments.add_comment(hearing, "建议分步调整", "张三", "13800000000", "a", NOW, PER_HOUR)
    comments.add_comment(hearing, "保障低收入家庭", "", "", "b", NOW, PER_HOUR)
    with pytest.raises(publishing.HearingError, match="window_open"):
        publishing.publish_summary(hearing, "要点", "", "", "ed", NOW, hearing.version)
    after = NOW + timedelta(days=15)
    publishing.publish_summary(
        hearing, "多数意见赞成分步调整", "低保户免费水量", "", "ed", after, hearing.version
    )
    assert hearing.summary_comment_count == 2
    assert hearings.stage_at(hearing, after) == hearings.Stage.CONCLUDED
    with pytest.raises(publishing.HearingError, match="summary_published"):
        publishing.publish_summary(hearing, "再改", "", "", "ed", after, hearing.version)


def test_stages_follow_the_window(ctx):
    hearing = make_hearing(now=NOW, comments_open_at=NOW + timedelta(days=1))
    assert hearings.stage_at(hearing, NOW) == hearings.Stage.ANNOUNCED
    assert hearings.stage_at(hearing, NOW + timedelta(days=1)) == hearings.Stage.OPEN
    assert hearings.stage_at(hearing, NOW + timedelta(days=15)) == hearings.Stage.CLOSED
    assert hearings.next_stage_change([hearing], NOW) == NOW + timedelta(days=1)


def test_contacts_are_purged_after_their_retention_and_the_purge_audited(ctx):
    hearing = make_hearing(now=NOW)
    kept = comments.add_comment(hearing, "意见", "李四", "13900000000", "a", NOW, PER_HOUR)
    closed = NOW + timedelta(days=14)
    assert comments.purge_contacts(closed + timedelta(days=179), timedelta(days=180)) == 0
    assert kept.contact == "13900000000"
    assert comments.purge_contacts(closed + timedelta(days=181), timedelta(days=180)) == 1
    assert (kept.name, kept.contact, kept.body) == ("", "", "意见")
    assert kept.contact_purged_at is not None
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "hearing.contacts_purged")
    )
    assert event.after["comments"] == 1 and "13900000000" not in str(event.after)


def test_reading_comments_with_contacts_is_audited(ctx):
    hearing = make_hearing(now=NOW)
    comments.add_comment(hearing, "意见", "王五", "wang@example.org", "a", NOW, PER_HOUR)
    found = comments.comments_for_staff(hearing, "editor-1")
    assert [c.contact for c in found] == ["wang@example.org"]
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "hearing.comments_read")
    )
    assert event.actor == "editor-1"
    assert db.session.scalar(select(HearingComment.source_hash)) == "a"


def test_the_kiosks_page_version_moves_when_a_hearings_window_closes(ctx):
    hearing = make_hearing(now=NOW)
    hall = make_hall([hearing.utility])
    closes = NOW + timedelta(days=14)
    before = board.catalogue_version(hall, closes.date(), closes - timedelta(minutes=1))
    assert before != board.catalogue_version(hall, closes.date(), closes)


def test_a_comment_with_a_control_character_is_refused_not_stored(ctx):
    hearing = make_hearing(now=NOW)
    for body, contact in (("意见\x00", ""), ("意见", "136\x07")):
        with pytest.raises(comments.CommentError) as refused:
            comments.add_comment(hearing, body, "", contact, "src-nul", NOW, PER_HOUR)
        assert refused.value.code == "control"
    assert db.session.scalar(select(HearingComment)) is None
