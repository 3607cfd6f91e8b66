"""Published results (办事结果公开): per month and item, ratings by level, the satisfaction
rate, bad reviews put right on time or overdue, beside the handling figures; as charts and
tables on /results and /u/<utility>/results, and as CSV, XLSX and JSON."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from services.db import db
from services.models import Role
from services.ratings import cases, figures, taking
from services.ratings import results as ratings_results
from tests.factories import committed, make_bad_review, make_item, make_revision, make_user, unique
from tests.html import parse

MONTH = "2026-11"


def rate(item, level: int) -> None:
    form = taking.read_form(str(level), ["other"], "", "")
    taking.record_rating(item, item.revisions[-1], form, taking.PHONE, unique("rater"))


@pytest.fixture
def rated(app, monkeypatch):
    """A utility with one service rated in October and November 2026, a bad review put right
    on time, one overdue, and November's handling figures."""
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-10-12T10:00:00")

    def october():
        item = make_revision(make_item(slug=unique("water"))).item
        for level in (5, 5, 4, 1):
            rate(item, level)
        return item.id

    item_id = committed(app, october)
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-03T10:00:00")

    def november():
        from services.models import Item

        item = db.session.get(Item, item_id)
        for level in (5, 4, 3, 3):
            rate(item, level)
        editor = make_user(Role.EDITOR, item.utility)
        on_time = make_bad_review(item)
        cases.verify(on_time, editor, True, "")
        cases.record_action(on_time, editor, "已更正指南")
        cases.close(on_time, make_user(Role.REVIEWER))
        make_bad_review(item, level=1)  # left open
        figures.save_figures(
            item,
            figures.MonthFigures(date(2026, 11, 1), 120, 110, 100, Decimal("3.5")),
            editor.username,
        )
        return {"utility": item.utility.slug, "code": item.code}

    made = committed(app, november)
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-30T10:00:00")  # the open one is overdue
    return made


def test_the_utility_page_shows_the_month_per_item_and_per_month(client, rated):
    page = parse(client.get(f"/u/{rated['utility']}/results?month={MONTH}").data)
    summary = page.text_of("results-summary")
    # November: 5, 4, 3, 3 and the two bad reviews (2, 1): 4 of 6 satisfied.
    assert "66.7%" in summary
    items = page.by_id("items-table").find("tbody").find_all("tr")
    assert len(items) == 1
    cells = [td.get_text(strip=True) for td in items[0].find_all("td")]
    assert cells == ["6", "66.7%", "2", "1", "1", "120", "110", "100", "3.5"]
    months = {
        row.find("th").get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in page.by_id("months-table").find("tbody").find_all("tr")
    }
    assert months["2026-10"][:3] == ["4", "75.0%", "1"]
    assert months["2026-11"] == ["6", "66.7%", "2", "1", "1", "120", "100 / 110"]
    assert len(months) == 12
    levels = [td.get_text(strip=True) for td in page.by_id("levels-table").find_all("td")]
    assert levels == ["1", "1", "2", "1", "1"]


def test_the_charts_are_svg_with_a_title_of_their_figures(client, rated):
    page = parse(client.get(f"/u/{rated['utility']}/results?month={MONTH}").data)
    chart = page.by_id("satisfaction-chart")
    assert chart.name == "svg" and chart["role"] == "img"
    title = chart.find("title").get_text()
    assert "2026-10 75.0%" in title and "2026-11 66.7%" in title
    assert len(chart.find_all("rect")) == 2  # months without ratings get no bar
    on_time = page.by_id("on-time-chart").find("title").get_text()
    assert "2026-11 50.0%" in on_time


def test_the_city_wide_page_names_each_items_provider(client, rated):
    page = parse(client.get(f"/results?month={MONTH}").data)
    assert f"/u/{rated['utility']}/" in " ".join(page.links)
    assert page.by_id("satisfaction-chart")


def test_downloads_carry_the_same_figures_and_no_formula(app, client, rated):
    csv_response = client.get(
        f"/api/v1/exports/results.csv?utility={rated['utility']}&month={MONTH}"
    )
    rows = list(csv.DictReader(io.StringIO(csv_response.data.decode("utf-8-sig"))))
    november = [r for r in rows if r["month"] == MONTH][0]
    assert november["ratings"] == "6" and november["satisfaction_rate_percent"] == "66.7"
    assert november["received"] == "120" and november["overdue"] == "1"
    xlsx = client.get(f"/api/v1/exports/results.xlsx?utility={rated['utility']}&month={MONTH}")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    header = [c.value for c in sheet[1]]
    assert header == ratings_results.COLUMNS
    assert sheet.max_row == 3  # October and November


def test_a_name_that_looks_like_a_formula_is_written_as_text(app, client):
    def make():
        item = make_revision(make_item(slug=unique("formula"))).item
        item.revisions[-1].content = item.revisions[-1].content | {"name": "=HYPERLINK(1)"}
        rate(item, 5)
        return item.utility.slug

    slug = committed(app, make)
    body = client.get(f"/api/v1/exports/results.csv?utility={slug}").data.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body


def test_the_api_gives_the_months_and_items(client, rated):
    data = client.get(f"/api/v1/results?utility={rated['utility']}&month={MONTH}").json["data"]
    assert data["month"] == MONTH and len(data["months"]) == 12
    (line,) = data["items"]
    assert line["item"] == rated["code"] and line["satisfaction_rate_percent"] == 66.7
    assert line["average_working_days"] == 3.5
    assert client.get("/api/v1/results?month=2026-13").status_code == 400


@pytest.mark.parametrize(
    ("month", "numbers", "code"),
    [
        (date(2026, 11, 2), (1, 1, 1), "month"),
        (date(2099, 1, 1), (1, 1, 1), "month"),
        (date(2026, 11, 1), (-1, 1, 1), "count"),
        (date(2026, 11, 1), (5, 3, 4), "on_time"),
    ],
)
def test_figures_that_cannot_be_true_are_refused(ctx, month, numbers, code):
    with pytest.raises(figures.FiguresError, match=code):
        figures.check_figures(figures.MonthFigures(month, *numbers, None))


def test_the_board_of_a_hall_that_asks_for_it_shows_this_months_ratings(app, client, rated):
    def make():
        from services.catalogue import queries as catalogue
        from tests.factories import make_hall

        utility = catalogue.utility_by_slug(rated["utility"])
        return make_hall([utility], settings={"board_slides": ["ratings"]}).slug

    slug = committed(app, make)
    page = parse(client.get(f"/board/{slug}").data)
    slide = page.select("section.slide-ratings")[0]
    assert "本月服务评价" in slide.get_text()
    assert "66.7%" in slide.get_text()
