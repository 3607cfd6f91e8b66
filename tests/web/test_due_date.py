"""The kiosk shows when a service applied for today is promised, and the calendar behind it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete

from services.calendar import working_days as calendar
from services.db import db
from services.models import Holiday, HolidayKind, ItemKind, RevisionStatus, Setting
from tests.factories import committed, make_item, make_revision, service_content
from tests.html import parse


class Elements:
    """Text and attributes of every element that has an id."""

    def __init__(self, html: str):
        page = parse(html)
        self.text = {tag["id"]: tag.get_text() for tag in page.find_all(id=True)}
        self.attrs = {tag["id"]: tag.attrs for tag in page.find_all(id=True)}


@pytest.fixture
def seeded(app):
    """The official 2026 calendar, committed and removed after the test."""
    with app.app_context():
        calendar.seed_holidays(first_year=2026)
        db.session.commit()
    yield
    with app.app_context():
        db.session.execute(delete(Holiday))
        db.session.execute(delete(Setting).where(Setting.key == calendar.KNOWN_UNTIL_KEY))
        db.session.commit()


def item_page(client, promised: dict, lang: str = "en") -> Elements:
    content = service_content()
    content["time_limits"] = {
        "statutory": {"value": 20, "unit": "working_days"},
        "promised": promised,
    }

    def made() -> str:
        item = make_revision(content=content).item
        return f"/u/{item.utility.slug}/{item.slug}"

    response = client.get(f"{committed(client.application, made)}?lang={lang}")
    assert response.status_code == 200
    return Elements(response.get_data(as_text=True))


def flat(text: str) -> str:
    return " ".join(text.split())


def test_item_page_shows_the_date_promised_for_an_application_made_today(
    seeded, client, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-02-13T10:00:00")
    page = item_page(client, {"value": 5, "unit": "working_days"})
    assert page.attrs["due-1-promised"]["datetime"] == "2026-02-27"
    assert "Apply today → promised by February 27, 2026" in flat(page.text["due-date"])
    assert "due-date-estimate" not in page.text


@pytest.mark.parametrize(
    ("now", "promised_by"),
    [
        ("2026-02-13T08:00:00", "2026-02-27"),  # a Friday morning, before the hall opens
        ("2026-02-13T16:59:00", "2026-02-27"),  # the last minute before the daily cut-off
        ("2026-02-13T17:00:00", "2026-02-28"),  # received on the next working day, 调休 Saturday
        ("2026-02-13T23:30:00", "2026-02-28"),  # late evening
        ("2026-09-30T16:00:00", "2026-10-13"),  # the eve of the National Day holiday
        ("2026-09-30T17:30:00", "2026-10-14"),  # received only after the holiday, on 8 October
        ("2026-10-03T11:00:00", "2026-10-14"),  # during the holiday
    ],
)
def test_the_promised_date_follows_the_daily_cut_off_and_the_holidays(
    seeded, client, monkeypatch, now, promised_by
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", now)
    page = item_page(client, {"value": 5, "unit": "working_days"})
    assert page.attrs["due-1-promised"]["datetime"] == promised_by


def five_working_days_promised() -> str:
    """The page of a service promised in 5 working days (20 by law)."""
    limits = {
        "statutory": {"value": 20, "unit": "working_days"},
        "promised": {"value": 5, "unit": "working_days"},
    }
    item = make_revision(content=service_content(time_limits=limits)).item
    return f"/u/{item.utility.slug}/{item.slug}"


def test_a_cached_item_page_moves_its_promised_date_at_the_cut_off(
    seeded, app, client, monkeypatch
):
    url = committed(app, five_working_days_promised)
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-02-13T16:59:00")
    for _ in range(2):
        assert (
            Elements(client.get(url).get_data(as_text=True)).attrs["due-1-promised"]["datetime"]
            == "2026-02-27"
        )
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-02-13T17:01:00")
    page = Elements(client.get(url).get_data(as_text=True))
    assert page.attrs["due-1-promised"]["datetime"] == "2026-02-28"


def test_due_date_is_shown_in_chinese_by_default(seeded, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-09-30T10:00:00")
    page = item_page(client, {"value": 3, "unit": "working_days"}, lang="zh_Hans")
    assert page.text["due-1-promised"] == "2026年10月10日"


def test_due_date_past_the_published_calendar_is_marked_as_an_estimate(seeded, client, monkeypatch):
    # 1 January 2027 is estimated as a holiday: the count runs one working day longer.
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-12-24T10:00:00")
    page = item_page(client, {"value": 10, "unit": "working_days"})
    assert page.attrs["due-1-promised"]["datetime"] == "2027-01-08"
    assert page.text["due-date-estimate"] == (
        "(estimate: the holiday calendar is published only until December 31, 2026)"
    )


def test_calendar_day_and_hour_limits_also_show_a_due_date(seeded, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-02-10T10:00:00")
    days = item_page(client, {"value": 5, "unit": "calendar_days"})
    assert days.attrs["due-1-promised"]["datetime"] == "2026-02-24"
    hours = item_page(client, {"value": 48, "unit": "hours"})
    assert hours.attrs["due-1-promised"]["datetime"] == "2026-02-12T10:00+08:00"


def test_a_service_done_on_the_spot_shows_no_due_date(seeded, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-02-13T10:00:00")
    page = item_page(client, {"value": 0, "unit": "on_the_spot"})
    assert "due-date" not in page.text


def test_a_price_notice_and_a_superseded_version_show_no_due_date(seeded, app, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-02-13T10:00:00")
    tariff = committed(app, lambda: make_revision(item=make_item(kind=ItemKind.TARIFF)).id)
    page = Elements(client.get(f"/r/{tariff}?lang=en").get_data(as_text=True))
    assert "due-date" not in page.text

    def superseded() -> int:
        old = make_revision(status=RevisionStatus.SUPERSEDED, effective_to=date(2025, 1, 1))
        make_revision(item=old.item, effective_from=date(2025, 1, 1))
        return old.id

    page = Elements(client.get(f"/r/{committed(app, superseded)}?lang=en").get_data(as_text=True))
    assert "due-date" not in page.text


def test_calendar_page_lists_the_2026_holidays_and_adjusted_workdays(seeded, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-27T10:00:00")
    response = client.get("/calendar?lang=en")
    page = Elements(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "December 31, 2026" in page.text["known-until"]
    assert "Holiday" in page.text["day-2026-02-17"]
    assert "Adjusted workday" in page.text["day-2026-02-14"]
    assert "Adjusted workday" in page.text["day-2026-09-20"]
    assert "National Day" in page.text["day-2026-10-01"]
    assert "day-2026-02-15" not in page.attrs  # a Sunday, off anyway: not listed


def test_calendar_page_marks_a_day_set_by_the_admin(seeded, app, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-27T10:00:00")
    committed(app, lambda: calendar.set_day(date(2026, 12, 31), HolidayKind.HOLIDAY, "城市纪念日"))
    page = Elements(client.get("/calendar?lang=en").get_data(as_text=True))
    assert "set locally" in page.text["day-2026-12-31"]
    assert "set locally" not in page.text["day-2026-10-01"]


def test_calendar_page_converts_names_for_traditional_readers(seeded, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-27T10:00:00")
    page = Elements(client.get("/calendar?lang=zh_Hant").get_data(as_text=True))
    assert "國慶節" in page.text["day-2026-10-01"]


def test_calendar_page_is_a_fragment_for_htmx(seeded, client):
    response = client.get("/calendar", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert 'id="holiday-calendar"' in body
    assert "HX-Request" in response.headers["Vary"]


def test_holidays_cli_sets_and_removes_an_admin_day(app):
    runner = app.test_cli_runner()
    day = date(2031, 5, 6)  # a Tuesday
    result = runner.invoke(args=["holidays", "set", day.isoformat(), "holiday", "--name", "测试"])
    assert result.exit_code == 0, result.output
    try:
        with app.app_context():
            assert not calendar.is_working_day(day)
    finally:
        result = runner.invoke(args=["holidays", "remove", day.isoformat()])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert calendar.is_working_day(day)
    assert runner.invoke(args=["holidays", "remove", day.isoformat()]).exit_code != 0


def test_an_item_page_built_again_after_the_cut_off_moves_its_promised_date(
    seeded, app, client, monkeypatch
):
    url = committed(app, five_working_days_promised)

    def promised_by(**headers: str) -> str:
        # Another page of the page cache each time (page, #main swap, panel): built again,
        # with the rest of its body kept.
        page = Elements(client.get(url, headers=headers).get_data(as_text=True))
        return page.attrs["due-1-promised"]["datetime"]

    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-02-13T16:59:00")
    assert promised_by() == promised_by(**{"HX-Request": "true"}) == "2026-02-27"
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-02-13T17:01:00")
    assert promised_by(**{"HX-Request": "true", "HX-Target": "panel"}) == "2026-02-28"


def test_calendar_page_names_the_official_days_in_english(seeded, app, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-27T10:00:00")
    committed(app, lambda: calendar.set_day(date(2026, 12, 31), HolidayKind.HOLIDAY, "城市纪念日"))
    html = client.get("/calendar?lang=en").get_data(as_text=True)
    page, soup = Elements(html), parse(html).soup
    assert "National Day" in page.text["day-2026-10-01"]
    assert "Day off, worked instead on October 10, 2026" in page.text["day-2026-10-07"]
    assert "Working day, in exchange for October 7, 2026 off" in page.text["day-2026-10-10"]
    names = {row["id"]: row.find_all("td")[-1] for row in soup.select("tr[id^=day-]")}
    assert names["day-2026-10-01"].get("lang") is None
    # A name the city set itself has no translation: it is shown as written, marked so.
    assert names["day-2026-12-31"].get_text() == "城市纪念日"
    assert names["day-2026-12-31"].get("lang") == "zh-Hans"
    assert not [cell for cell in names.values() if cell.get("lang") is None and "调休" in cell.text]
