"""Outage notices: the notice each sector owes, ongoing / coming / ended by the clock alone,
extending and ending early with an update log, and the lookups screens and search use."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from services.clock import city_zone
from services.db import db
from services.devices import board
from services.models import AuditEvent, Sector
from services.outages import live, publishing
from services.outages import queries as outages
from services.outages.models import OutageKind, UpdateKind
from services.outages.notice import check_notice
from services.outages.presenting import outage_view
from tests.factories import make_hall, make_outage, make_utility


def city(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


NOW = city(2026, 9, 15, 9, 0)


@pytest.mark.parametrize(
    ("sector", "ahead", "short"),
    [
        ("power", timedelta(days=7), False),
        ("power", timedelta(days=7) - timedelta(minutes=1), True),
        ("water", timedelta(hours=24), False),
        ("water", timedelta(hours=23, minutes=59), True),
        ("gas", timedelta(hours=48), False),
        ("gas", timedelta(hours=47), True),
    ],
)
def test_a_planned_outage_owes_its_sectors_notice_to_the_minute(sector, ahead, short):
    check = check_notice(True, sector, NOW, NOW + ahead)
    assert check.is_short is short
    assert check.required == {"power": 168, "water": 24, "gas": 48}[sector]


def test_an_emergency_owes_no_notice():
    check = check_notice(False, "power", NOW, NOW + timedelta(minutes=5))
    assert check.required is None and not check.is_short


def test_a_city_setting_overrides_the_notice_of_one_sector_only():
    settings = {"power": 72}
    assert not check_notice(True, "power", NOW, NOW + timedelta(hours=72), settings).is_short
    assert check_notice(True, "water", NOW, NOW + timedelta(hours=23), settings).is_short


def test_notice_is_counted_in_clock_hours_across_national_day():
    # Published on the first morning of the National Day holiday for the morning after it:
    # seven days of notice, though hardly a working day lies between.
    published = city(2026, 10, 1, 8, 0)
    check = check_notice(True, "power", published, city(2026, 10, 8, 8, 0))
    assert (check.given, check.is_short) == (168, False)
    assert check_notice(True, "power", published, city(2026, 10, 8, 7, 0)).is_short


def test_notice_across_spring_festival_is_not_lengthened_by_the_holiday():
    # 2027 Spring Festival (6 Feb): a water stop 24 h after its notice on New Year's Eve.
    published = city(2027, 2, 5, 18, 0)
    assert not check_notice(True, "water", published, city(2027, 2, 6, 18, 0)).is_short


def test_publishing_late_is_allowed_and_kept_in_the_record(ctx):
    power = make_utility(sector=Sector.POWER)
    outage = make_outage(power, now=NOW, starts_at=NOW + timedelta(days=2))
    assert outage.is_short_notice
    assert (outage.given_notice_hours, outage.required_notice_hours) == (48, 168)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity == "outage"))
    assert event.action == "outage.publish" and event.after["given_notice_hours"] == 48
    assert [u.kind for u in outage.updates] == [UpdateKind.PUBLISHED]


def test_an_emergency_is_never_marked_late(ctx):
    outage = make_outage(
        make_utility(sector=Sector.POWER),
        now=NOW,
        kind=OutageKind.EMERGENCY,
        starts_at=NOW - timedelta(minutes=10),
    )
    assert not outage.is_short_notice and outage.required_notice_hours is None


def test_coming_ongoing_and_ended_follow_the_clock(ctx):
    outage = make_outage(now=NOW, starts_at=NOW + timedelta(days=2))
    starts = NOW + timedelta(days=2)
    assert outages.state_at(outage, NOW) == outages.State.COMING
    assert outages.state_at(outage, starts) == outages.State.ONGOING
    assert outages.state_at(outage, starts + timedelta(hours=8)) == outages.State.ENDED


def test_the_start_screen_shows_the_next_seven_days_and_not_what_ended(ctx):
    utility = make_utility()
    soon = make_outage(utility, now=NOW, starts_at=NOW + timedelta(days=6, hours=23))
    later = make_outage(utility, now=NOW, starts_at=NOW + timedelta(days=7, hours=1))
    known = live.live_outages(NOW)

    def shown(at: datetime) -> list[int]:
        return [o.id for o in live.current_of(known, at, utility.id)]

    assert shown(NOW) == [soon.id]
    # Eight hours after it started it is over, and leaves the screen by itself.
    after = NOW + timedelta(days=6, hours=23, minutes=1) + timedelta(hours=8)
    assert shown(after) == [later.id]
    assert soon in outages.listed_outages(after, outages.State.ENDED, utility=utility)


def test_a_district_filter_keeps_only_that_districts_outages(ctx):
    utility = make_utility()
    here = make_outage(utility, now=NOW, districts=["龙城区"])
    there = make_outage(utility, now=NOW, districts=["澄江区"])
    found = outages.listed_outages(NOW, outages.State.COMING, "澄江区", utility)
    assert found == [there] and here not in found


def test_extending_moves_the_end_and_logs_it(ctx):
    outage = make_outage(now=NOW, starts_at=NOW + timedelta(hours=1))
    end = outages.local_time(outage.ends_at)
    later = NOW + timedelta(hours=3)
    publishing.extend_outage(outage, end + timedelta(hours=4), "抢修难度大", "ed", later, 1)
    assert outages.local_time(outage.ends_at) == end + timedelta(hours=4)
    assert [u.kind for u in outage.updates] == [UpdateKind.PUBLISHED, UpdateKind.EXTENDED]
    assert outage.updates[-1].note == "抢修难度大"
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "outage"))
    assert list(actions) == ["outage.publish", "outage.extended"]


def test_an_extension_must_be_later_and_based_on_the_latest_version(ctx):
    outage = make_outage(now=NOW)
    end = outages.local_time(outage.ends_at)
    with pytest.raises(publishing.OutageError, match="not_later"):
        publishing.extend_outage(outage, end - timedelta(hours=1), "", "ed", NOW, 1)
    publishing.extend_outage(outage, end + timedelta(hours=1), "", "ed", NOW, 1)
    with pytest.raises(publishing.StaleOutage):
        publishing.extend_outage(outage, end + timedelta(hours=2), "", "ed", NOW, 1)


def test_ending_early_ends_it_now_and_before_the_start_calls_it_off(ctx):
    ongoing = make_outage(now=NOW, starts_at=NOW + timedelta(hours=1))
    restored = NOW + timedelta(hours=3)
    publishing.end_outage(ongoing, "已恢复供水", "ed", restored, ongoing.version)
    assert outages.state_at(ongoing, restored) == outages.State.ENDED
    assert outages.local_time(ongoing.ends_at) == restored
    assert ongoing.updates[-1].kind == UpdateKind.ENDED

    coming = make_outage(now=NOW)
    publishing.end_outage(coming, "工程取消", "ed", NOW, coming.version)
    assert coming.updates[-1].kind == UpdateKind.CANCELLED
    assert outages.state_at(coming, NOW) == outages.State.ENDED
    with pytest.raises(publishing.OutageError, match="already_over"):
        publishing.end_outage(coming, "", "ed", NOW, coming.version)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"area": "  "}, "area_missing"),
        ({"ends_at": NOW + timedelta(days=1)}, "end_before_start"),
        ({"ends_at": NOW + timedelta(days=90)}, "too_long"),
    ],
)
def test_what_cannot_be_published_is_refused(ctx, change, code):
    with pytest.raises(publishing.OutageError, match=code):
        make_outage(now=NOW, starts_at=NOW + timedelta(days=2), **change)


def test_an_outage_already_over_cannot_be_published(ctx):
    with pytest.raises(publishing.OutageError, match="already_over"):
        make_outage(now=NOW, starts_at=NOW - timedelta(hours=9))


def test_the_next_transition_is_the_first_start_end_or_entry_into_the_window(ctx):
    outage = make_outage(now=NOW, starts_at=NOW + timedelta(days=10))
    starts = outages.local_time(outage.starts_at)
    assert outages.next_transition(NOW) == starts
    assert outages.next_transition(NOW, lead_days=7) == starts - timedelta(days=7)
    assert outages.next_change([outage], starts) == starts + timedelta(hours=8)


def test_search_finds_current_outages_by_street_in_either_script(ctx):
    outage = make_outage(now=NOW, streets=["幸福路", "龙城大道"])
    known = live.live_outages(NOW)
    assert [o.id for o in live.matching_street_of(known, "幸福路", NOW)] == [outage.id]
    assert [o.id for o in live.matching_street_of(known, "龍城大道", NOW)] == [outage.id]
    assert live.matching_street_of(known, "路", NOW) == []  # one character names too much
    over = NOW + timedelta(days=9)  # it ended the day before
    assert live.matching_street_of(known, "幸福路", over) == []


def test_the_shared_snapshot_gives_the_same_screen_as_the_database(ctx):
    utility = make_utility()
    soon = make_outage(utility, now=NOW, starts_at=NOW + timedelta(days=2))
    make_outage(utility, now=NOW, starts_at=NOW + timedelta(days=9))
    known = live.live_outages(NOW)
    assert [o.id for o in live.current_of(known, NOW, utility.id)] == [soon.id]
    assert live.next_transition_of(known, NOW, 7) == outages.next_transition(NOW, 7)
    assert live.next_transition_of(known, NOW, 0) == outages.next_transition(NOW)
    assert known[0].is_short_notice is soon.is_short_notice


def test_traditional_readers_get_converted_text_and_english_readers_the_chinese(ctx):
    outage = make_outage(now=NOW, area="龙城街道幸福路")
    hant = outage_view(outage, "zh_Hant", NOW)
    assert (hant.text["area"], hant.mode) == ("龍城街道幸福路", "converted")
    en = outage_view(outage, "en", NOW)
    assert (en.text["area"], en.mode) == ("龙城街道幸福路", "fallback")


def test_the_kiosks_page_version_moves_when_an_outage_starts(ctx):
    utility = make_utility()
    hall = make_hall([utility])
    make_outage(utility, now=NOW, starts_at=NOW + timedelta(hours=1))
    before = board.catalogue_version(hall, NOW.date(), NOW)
    assert before == board.catalogue_version(hall, NOW.date(), NOW + timedelta(minutes=59))
    assert before != board.catalogue_version(hall, NOW.date(), NOW + timedelta(hours=1))
