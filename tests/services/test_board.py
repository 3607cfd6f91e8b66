"""What a hall's board shows, in the hall's order, and when its version changes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.clock import city_zone
from services.db import db
from services.devices import board
from services.models import Hall, ItemKind
from tests.factories import make_item, make_revision, make_utility, tariff_content, unique

# 2031-03-03 is a Monday; the test hall opens 09:00-17:00 on weekdays.
MONDAY_10 = datetime(2031, 3, 3, 10, 0, tzinfo=city_zone())
TUESDAY_10 = datetime(2031, 3, 4, 10, 0, tzinfo=city_zone())
MONDAY_20 = datetime(2031, 3, 3, 20, 0, tzinfo=city_zone())


@pytest.fixture
def hall(ctx) -> Hall:
    """A hall showing one fresh utility with a tariff and a service."""
    utility = make_utility()
    tariff = make_item(utility, kind=ItemKind.TARIFF)
    make_revision(tariff)
    make_revision(make_item(utility))
    hall = Hall(
        slug=unique("hall"),
        name="测试大厅",
        opening_hours=[{"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"}],
        settings={},
    )
    hall.utilities = [utility]
    db.session.add(hall)
    db.session.flush()
    return hall


def kinds(slides: list[board.Slide]) -> list[str]:
    return [slide.kind for slide in slides]


def test_the_board_shows_tariffs_fees_and_hotlines_in_the_default_order(hall):
    content = board.board_for(hall, MONDAY_10)
    assert kinds(content.slides) == ["tariffs", "fees", "hotlines"]
    assert content.slides[0].content["name"] == "居民生活用水价格"
    assert content.slides[1].rows[0].fee["name"] == "水表安装费"
    assert content.schedule.is_open and content.slide_seconds == 12


def test_the_hall_settings_choose_the_slides_their_order_and_time(hall):
    hall.settings = {"board_slides": ["hotlines", "tariffs", "weather"], "slide_seconds": 20}
    content = board.board_for(hall, MONDAY_10)
    assert kinds(content.slides) == ["hotlines", "tariffs"]
    assert content.slide_seconds == 20


def test_hall_notices_show_within_their_dates_with_coming_closures(hall):
    hall.settings = {
        "notices": [
            {"text": "二楼窗口装修，请到一楼办理。", "until": "2031-03-31"},
            {"text": "已过期的通知", "until": "2031-02-28"},
            {"text": "尚未开始的通知", "from": "2031-04-01"},
        ]
    }
    hall.exceptions = [{"on": "2031-03-10", "closed": True, "note": "系统升级闭馆"}]
    slide = board.board_for(hall, MONDAY_10).slides[0]
    assert slide.kind == "notices"
    assert [row.text for row in slide.rows if isinstance(row, board.Notice)] == [
        "二楼窗口装修，请到一楼办理。"
    ]
    assert [(row.on, row.note) for row in slide.rows if not isinstance(row, board.Notice)] == [
        (date(2031, 3, 10), "系统升级闭馆")
    ]


def test_long_fee_lists_go_on_several_slides(hall):
    utility = hall.utilities[0]
    for _ in range(board.ROWS_PER_SLIDE["fees"]):
        make_revision(make_item(utility))
    fee_slides = [s for s in board.board_for(hall, MONDAY_10).slides if s.kind == "fees"]
    assert [(s.page, s.pages) for s in fee_slides] == [(1, 2), (2, 2)]
    assert len({s.key for s in fee_slides}) == 2


def test_an_upcoming_change_is_announced_and_becomes_current_on_its_date(hall):
    tariff = hall.utilities[0].items[0]
    make_revision(
        tariff,
        effective_from=date(2031, 3, 4),
        change_summary="第一档水价调整",
        content=tariff_content(name="居民生活用水价格（2031年）"),
    )
    monday = board.board_for(hall, MONDAY_10)
    upcoming = [s for s in monday.slides if s.kind == "upcoming"]
    assert upcoming and upcoming[0].rows[0].upcoming.change_summary == "第一档水价调整"
    tuesday = board.board_for(hall, TUESDAY_10)
    assert tuesday.slides[0].content["name"] == "居民生活用水价格（2031年）"
    assert "upcoming" not in kinds(tuesday.slides)
    assert monday.version != tuesday.version


def test_the_version_holds_while_nothing_shown_changes(hall):
    assert board.content_version(hall, MONDAY_10) == board.content_version(hall, TUESDAY_10)
    assert board.content_version(hall, MONDAY_10) == board.board_for(hall, MONDAY_10).version


def test_publishing_for_the_hall_changes_the_version_and_elsewhere_does_not(hall):
    before = board.content_version(hall, MONDAY_10)
    make_revision(make_item())  # a utility this hall does not show
    assert board.content_version(hall, MONDAY_10) == before
    make_revision(make_item(hall.utilities[0]))
    assert board.content_version(hall, MONDAY_10) != before


def test_closing_time_changes_the_version_and_shows_the_next_opening(hall):
    evening = board.board_for(hall, MONDAY_20)
    assert not evening.schedule.is_open
    assert evening.schedule.next_opening == TUESDAY_10.replace(hour=9)
    assert evening.version != board.content_version(hall, MONDAY_10)


def test_a_hall_that_lists_the_ratings_slide_shows_this_months_ratings(hall, monkeypatch):
    from services.ratings import taking

    assert "ratings" not in kinds(board.board_for(hall, MONDAY_10).slides)  # not by default
    hall.settings = {"board_slides": ["tariffs", "ratings"]}
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T10:00:00")
    before = board.content_version(hall, MONDAY_10)
    service = next(i for i in hall.utilities[0].items if i.kind == ItemKind.SERVICE)
    for level in (5, 4, 1):
        form = taking.read_form(str(level), ["other"], "", "")
        taking.record_rating(service, service.revisions[-1], form, taking.KIOSK, unique("r"))
    content = board.board_for(hall, MONDAY_10)
    assert kinds(content.slides) == ["tariffs", "ratings"]
    (row,) = content.slides[1].rows
    assert row.utility == hall.utilities[0]
    assert (row.figures.total, str(row.figures.satisfaction_rate), row.figures.bad) == (
        3,
        "66.7",
        1,
    )
    assert content.version != before  # the board refreshes with new ratings
