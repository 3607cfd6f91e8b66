"""The wall board page and its poll: slides, the closed screen, 304 until something changes."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from services.clock import city_zone
from services.db import db
from services.models import Hall, ItemKind
from tests.factories import make_hall, make_item, make_revision, make_utility, tariff_content
from tests.html import parse

MONDAY_MORNING = "2031-03-03T10:00:00"  # the hall opens 09:00-17:00 on weekdays


@pytest.fixture
def hall(app) -> str:
    """A hall open on weekdays and Saturday mornings, closed on 2026-10-01, showing a water
    utility with ten tariffs and six services; committed. Returns its slug."""
    with app.app_context():
        water = make_utility()
        for kind in (ItemKind.TARIFF, ItemKind.SERVICE):
            for _ in range(10 if kind == ItemKind.TARIFF else 6):
                make_revision(make_item(water, kind=kind))
        hours = [
            {"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"},
            {"weekdays": [6], "opens": "09:00", "closes": "12:00"},
        ]
        hall = make_hall(
            [water],
            name="澄州市民中心",
            opening_hours=hours,
            exceptions=[{"on": "2026-10-01", "closed": True, "note": "国庆节闭馆"}],
            translations={"en": {"name": "Chengzhou Civic Centre"}},
        )
        db.session.commit()
        return hall.slug


@pytest.fixture
def board_url(hall) -> str:
    return f"/board/{hall}"


@pytest.fixture
def poll_url(hall) -> str:
    return f"/board/{hall}/poll"


@pytest.fixture
def open_hours(monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", MONDAY_MORNING)


def test_the_board_is_a_full_page_of_slides_with_clock_and_as_of_time(
    client, open_hours, board_url, poll_url
):
    response = client.get(board_url)
    assert response.status_code == 200
    page = parse(response.data)
    assert "澄州市民中心" in page.title and page.lang == "zh-Hans"
    for element_id in ("board-content", "board-screen", "board-clock", "board-as-of"):
        assert page.ids[element_id] == 1
    assert not page.duplicate_ids
    slides = page.find_all("section", class_="slide")
    assert len(slides) > 10 and len(page.find_all("section", class_="is-active")) == 1
    assert "居民生活用水价格" in page.text and "12345" in page.text
    body = page.find_all("body")[0]
    assert body["data-poll-url"] == f"{poll_url}?lang=zh_Hans"
    monday_morning = datetime.fromisoformat(MONDAY_MORNING).replace(tzinfo=city_zone())
    assert response.headers["X-Board-Time"] == str(int(monday_morning.timestamp() * 1000))


def test_the_board_loads_nothing_inline_and_nothing_from_elsewhere(client, open_hours, board_url):
    html = client.get(board_url).get_data(as_text=True)
    page = parse(html)
    assert all(s.get("src", "").startswith("/static/") for s in page.find_all("script"))
    assert "<script>" not in html and "style=" not in html and "<style" not in html


def test_the_board_speaks_the_language_asked_for(client, open_hours, board_url):
    page = parse(client.get(board_url + "?lang=en").data)
    assert page.lang == "en" and "Chengzhou Civic Centre" in page.title
    assert page.find_all("body")[0]["data-poll-url"].endswith("lang=en")


def test_an_unknown_hall_has_no_board(client):
    assert client.get("/board/no-such-hall").status_code == 404
    assert client.get("/board/no-such-hall/poll").status_code == 404


def test_outside_opening_hours_the_board_is_a_closed_screen_with_the_next_opening(
    client, monkeypatch, board_url
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-08T13:00:00")  # Saturday, after noon
    page = parse(client.get(board_url).data)
    assert page.ids["closed-screen"] == 1 and not page.find_all("section", class_="slide")
    # The header shows today (8 March); the next opening is Monday 10 March.
    assert "2031年3月10日星期一" in page.text and "09:00" in page.text


def test_a_public_holiday_in_the_hall_exceptions_keeps_the_board_closed(
    client, monkeypatch, board_url
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-10-01T10:00:00")  # 国庆节闭馆
    page = parse(client.get(board_url).data)
    assert page.ids["closed-screen"] == 1


def test_the_poll_answers_304_while_nothing_changed(client, open_hours, poll_url):
    first = client.get(poll_url)
    assert first.status_code == 200 and first.headers["ETag"].startswith('"zh_Hans-')
    assert "no-store" in first.headers["Cache-Control"]
    assert parse(first.data).ids["board-screen"] == 1
    again = client.get(poll_url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["X-Board-Time"]


def test_the_page_and_its_poll_agree_on_the_version(client, open_hours, board_url, poll_url):
    page = parse(client.get(board_url).data)
    etag = page.find_all("body")[0]["data-etag"]
    poll = client.get(poll_url + "?lang=zh_Hans", headers={"If-None-Match": f'"{etag}"'})
    assert poll.status_code == 304


def test_publishing_for_the_hall_changes_what_the_poll_answers(
    client,
    app,
    hall,
    poll_url,
    open_hours,
):
    etag = client.get(poll_url).headers["ETag"]
    with app.app_context():
        utility = db.session.scalar(select(Hall).filter_by(slug=hall)).utilities[0]
        item = make_item(utility, kind=ItemKind.TARIFF)
        make_revision(
            item,
            effective_from=date(2031, 3, 1),
            content=tariff_content(name="居民生活用水价格（试行）"),
        )
        db.session.commit()
    changed = client.get(poll_url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "居民生活用水价格（试行）" in changed.get_data(as_text=True)


def test_the_closing_of_the_hall_changes_what_the_poll_answers(
    client, monkeypatch, open_hours, poll_url
):
    etag = client.get(poll_url).headers["ETag"]
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T17:00:00")
    closed = client.get(poll_url, headers={"If-None-Match": etag})
    assert closed.status_code == 200 and parse(closed.data).ids["closed-screen"] == 1


def test_a_repeated_poll_is_answered_before_flask_with_the_servers_time(
    client, monkeypatch, open_hours, poll_url, dispatched
):
    etag = client.get(poll_url).headers["ETag"]
    client.get(poll_url, headers={"If-None-Match": etag})
    dispatched.clear()
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T10:00:30")
    early = client.get(poll_url, headers={"If-None-Match": etag})
    assert dispatched == []
    assert early.status_code == 304 and early.headers["ETag"] == etag
    thirty_seconds_on = datetime(2031, 3, 3, 10, 0, 30, tzinfo=city_zone())
    assert early.headers["X-Board-Time"] == str(int(thirty_seconds_on.timestamp() * 1000))


def test_the_next_minute_asks_flask_again(client, monkeypatch, open_hours, poll_url, dispatched):
    etag = client.get(poll_url).headers["ETag"]
    client.get(poll_url, headers={"If-None-Match": etag})
    dispatched.clear()
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T10:01:00")
    again = client.get(poll_url, headers={"If-None-Match": etag})
    assert dispatched == ["request"] and again.status_code == 304
