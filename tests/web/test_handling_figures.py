"""Handling figures in the editor: typed per service and month, or loaded from a spreadsheet;
checked whole before anything is kept, and shown on the published results."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from services.db import db
from services.models import Role
from services.ratings.models import HandlingFigures
from services.spreadsheets.files import write_csv, write_xlsx
from tests.factories import committed, make_item, make_revision, make_user, make_utility
from tests.html import parse
from tests.web.editor_pages import sign_in


@pytest.fixture
def office(app, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-20T10:00:00")

    def make():
        utility = make_utility()
        items = [make_revision(make_item(utility)).item for _n in range(2)]
        return {
            "utility": utility.slug,
            "items": [i.id for i in items],
            "codes": [i.code for i in items],
            "editor": make_user(Role.EDITOR, utility).id,
            "other": make_user(Role.EDITOR).id,
        }

    return committed(app, make)


def saved(app, item_ids) -> list[tuple]:
    with app.app_context():
        rows = db.session.scalars(
            select(HandlingFigures).where(HandlingFigures.item_id.in_(item_ids))
        )
        return sorted(
            (r.item_id, r.month.isoformat(), r.received, r.completed, r.completed_on_time)
            for r in rows
        )


def test_an_editor_types_a_months_figures_and_they_show_on_the_results(app, client, office):
    sign_in(client, office["editor"])
    first, second = office["items"]
    page = parse(client.get("/editor/figures?month=2026-10").data)
    assert page.select(f"input[name=received-{first}]")
    answer = client.post(
        "/editor/figures?month=2026-10",
        data={
            f"received-{first}": "40",
            f"completed-{first}": "38",
            f"completed_on_time-{first}": "36",
            f"average_working_days-{first}": "2.5",
        },
    )
    assert answer.status_code == 302
    assert saved(app, office["items"]) == [(first, "2026-10-01", 40, 38, 36)]
    results = parse(client.get(f"/u/{office['utility']}/results?month=2026-10").data)
    cells = [
        td.get_text(strip=True)
        for td in results.by_id("items-table").find("td").parent.find_all("td")
    ]
    assert cells[-4:] == ["40", "38", "36", "2.5"]


def test_one_wrong_row_keeps_every_row_out(app, client, office):
    sign_in(client, office["editor"])
    first, second = office["items"]
    answer = client.post(
        "/editor/figures?month=2026-10",
        data={
            f"received-{first}": "40",
            f"completed-{first}": "38",
            f"completed_on_time-{first}": "36",
            f"received-{second}": "5",
            f"completed-{second}": "3",
            f"completed_on_time-{second}": "4",
        },
    )
    assert answer.status_code == 422
    (error,) = parse(answer.data).select(".field-error")
    assert "按时办结的件数多于办结件数" in error.get_text()
    assert saved(app, office["items"]) == []


def sheet(rows, fmt="xlsx") -> bytes:
    header = [
        "事项编码 (item code)",
        "月份 (month)",
        "受理件数 (received)",
        "办结件数 (completed)",
        "承诺时限内办结 (completed on time)",
        "平均用时（工作日） (average working days)",
    ]
    if fmt == "csv":
        return write_csv(header, rows)
    return write_xlsx([("figures", header, rows)])


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_spreadsheet_loads_many_items_and_months(app, client, office, fmt):
    sign_in(client, office["editor"])
    a, b = office["codes"]
    data = sheet(
        [
            [a, "2026-09", 10, 9, 9, 1.5],
            [a, "2026-10", 12, 12, 11, ""],
            [b, "2026年10月", 3, 3, 3, 4],
        ],
        fmt,
    )
    answer = client.post("/editor/figures/import", data={"sheet": (io.BytesIO(data), f"f.{fmt}")})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:400]
    first, second = office["items"]
    assert saved(app, office["items"]) == [
        (first, "2026-09-01", 10, 9, 9),
        (first, "2026-10-01", 12, 12, 11),
        (second, "2026-10-01", 3, 3, 3),
    ]


def test_a_sheet_naming_another_utilitys_item_or_a_future_month_loads_nothing(app, client, office):
    sign_in(client, office["other"])
    a, _b = office["codes"]
    answer = client.post(
        "/editor/figures/import",
        data={"sheet": (io.BytesIO(sheet([[a, "2026-10", 1, 1, 1, ""]])), "f.xlsx")},
    )
    assert answer.status_code == 422 and parse(answer.data).by_id("import-errors")
    sign_in(client, office["editor"])
    future = client.post(
        "/editor/figures/import",
        data={"sheet": (io.BytesIO(sheet([[a, "2027-01", 1, 1, 1, ""]])), "f.xlsx")},
    )
    assert future.status_code == 422
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(HandlingFigures)
                .where(HandlingFigures.item_id.in_(office["items"]))
            )
            == 0
        )


def test_the_template_downloads_with_its_header(client, office):
    sign_in(client, office["editor"])
    import openpyxl

    response = client.get("/editor/figures/template.xlsx")
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.data)).active[1]]
    assert header[0] == "事项编码 (item code)" and len(header) == 6


def test_a_hostile_workbook_is_refused_before_loading_and_loads_nothing(app, client, office):
    from tests.services.test_hostile_sheets import with_merged

    sign_in(client, office["editor"])
    answer = client.post(
        "/editor/figures/import",
        data={"sheet": (io.BytesIO(with_merged("A1:XFD1048576")), "figures.xlsx")},
    )
    assert answer.status_code == 422
    assert parse(answer.data).by_id("import-errors") is not None
    with app.app_context():
        count = select(func.count()).select_from(HandlingFigures)
        assert db.session.scalar(count.where(HandlingFigures.item_id.in_(office["items"]))) == 0


def test_a_reviewer_switches_utility_and_keeps_the_month(app, client, office):
    reviewer = committed(app, lambda: make_user(Role.REVIEWER).id)
    sign_in(client, reviewer)
    page = parse(client.get(f"/editor/figures?month=2026-10&utility={office['utility']}").data)
    tabs = page.select("ul.utility-tabs a")
    ours = next(a for a in tabs if f"utility={office['utility']}" in a["href"])
    assert ours.get("aria-current") == "page" and "month=2026-10" in ours["href"]
    assert all("month=2026-10" in a["href"] for a in tabs)
    cases = parse(client.get("/editor/cases").data).select("ul.utility-tabs a")
    assert cases[0]["href"] == "/editor/cases" and cases[0].get("aria-current") == "page"
    assert any(f"utility={office['utility']}" in a["href"] for a in cases[1:])
