"""Residents see where each time limit comes from, both due dates and one per case, a time
of day for limits in hours or minutes; the editor says what is wrong at the field; the API
names each limit's source."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from services.calendar import working_days as calendar
from services.db import db
from services.models import (
    Holiday,
    Item,
    Revision,
    RevisionStatus,
    SearchEntry,
    Setting,
    User,
    Utility,
)
from tests.factories import (
    committed,
    make_item,
    make_legal_basis,
    make_revision,
    service_content,
    unique,
)
from tests.html import form_values, parse
from tests.web.editor_pages import accounts_fixture, sign_in  # noqa: F401  (fixtures)

PROMISE = {"kind": "promise"}


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


def with_law(statutory: dict | None, promised: dict, **overrides) -> tuple[str, int]:
    """(kiosk address, revision id) of a service whose statutory limit cites a rule of its
    own, 《测试供电服务规章》 (测试令第9号), article 第十三条."""
    basis = make_legal_basis(
        code=unique("rule"), title="《测试供电服务规章》", doc_number="测试令第9号"
    )
    limits = {"promised": promised}
    if statutory is not None:
        source = {"kind": "law", "code": basis.code, "article": "第十三条"}
        limits["statutory"] = statutory | {"source": source}
    revision = make_revision(content=service_content(time_limits=limits, **overrides))
    item = revision.item
    return f"/u/{item.utility.slug}/{item.slug}", revision.id


def page_of(client, url: str, lang: str = "en"):
    response = client.get(f"{url}?lang={lang}")
    assert response.status_code == 200
    return parse(response.data)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_page_shows_both_due_dates_and_where_each_limit_comes_from(
    seeded, app, client, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-09-30T10:00:00")
    url, _rid = committed(
        app,
        lambda: with_law(
            {"value": 20, "unit": "working_days"},
            {"value": 5, "unit": "working_days", "source": PROMISE},
        ),
    )
    page = page_of(client, url)
    assert page.by_id("due-1-promised")["datetime"] == "2026-10-13"
    assert page.by_id("due-1-statutory")["datetime"] == "2026-11-03"
    assert (
        "Apply today → promised by October 13, 2026; by law at the latest November 3, 2026"
        in flat(page.by_id("due-line-1").get_text())
    )
    statutory = flat(page.by_id("limit-statutory").get_text())
    assert "20 working days" in statutory
    assert "Set by 《测试供电服务规章》（测试令第9号） 第十三条" in statutory
    assert "Our own promise" in page.by_id("limit-promised").get_text()

    chinese = page_of(client, url, "zh_Hans")
    assert "今天申请 → 承诺于 2026年10月13日 前办结；法定最迟 2026年11月3日" in flat(
        chinese.by_id("due-line-1").get_text()
    )
    assert "本单位承诺" in chinese.by_id("limit-promised").get_text()


def test_each_case_has_its_own_line_and_due_date(seeded, app, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-03-02T10:00:00")
    promised = {
        "value": 8,
        "unit": "working_days",
        "source": PROMISE,
        "cases": [
            {"label": "无外线工程", "value": 3, "unit": "working_days"},
            {"label": "有外线工程", "value": 8, "unit": "working_days"},
        ],
    }
    url, _rid = committed(app, lambda: with_law({"value": 13, "unit": "working_days"}, promised))
    page = page_of(client, url)
    first, second = (flat(page.by_id(f"due-line-{n}").get_text()) for n in (1, 2))
    assert first.startswith("无外线工程 Apply today → promised by March 5, 2026")
    assert second.startswith("有外线工程 Apply today → promised by March 12, 2026")
    assert page.by_id("due-2-statutory")["datetime"] == "2026-03-19"
    cases = [flat(li.get_text()) for li in page.by_id("limit-promised").find_all("li")]
    assert cases == ["无外线工程: 3 working days", "有外线工程: 8 working days"]


def test_a_limit_in_minutes_is_due_at_a_time_of_day_and_the_page_moves_each_minute(
    seeded, app, client, monkeypatch
):
    promised = {
        "value": 2,
        "unit": "hours",
        "source": PROMISE,
        "cases": [
            {"label": "城区", "value": 45, "unit": "minutes"},
            {"label": "边远地区", "value": 2, "unit": "hours"},
        ],
    }
    url, _rid = committed(app, lambda: with_law({"value": 4, "unit": "hours"}, promised))
    # A public holiday at night: clock time runs on.
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-10-01T23:20:10")
    for _ in range(2):  # the second answer comes from the page cache
        page = page_of(client, url, "zh_Hans")
        line = flat(page.by_id("due-line-1").get_text())
        assert line == (
            "城区 23:20 申请或报修 → 承诺于 2026年10月2日 00:05 前办结；"
            "法定最迟 2026年10月2日 03:20"
        )
    assert page.by_id("due-1-promised")["datetime"] == "2026-10-02T00:05+08:00"
    assert "due-clock" in {tag["id"] for tag in page.find_all(id=True)}

    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-10-01T23:21:00")
    page = page_of(client, url, "zh_Hans")
    assert page.by_id("due-1-promised")["datetime"] == "2026-10-02T00:06+08:00"
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-10-02T15:20:00")
    page = page_of(client, url, "en")
    assert flat(page.by_id("due-line-1").get_text()).startswith(
        "城区 At 15:20 → promised by 16:05; by law at the latest 19:20"
    )


def test_old_content_shows_no_source_line_and_a_missing_statutory_limit_says_so(
    seeded, app, client, monkeypatch
):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-03-02T10:00:00")
    old = {
        "statutory": {"value": 20, "unit": "working_days"},
        "promised": {"value": 5, "unit": "working_days"},
    }

    def made() -> tuple[str, str]:
        first = make_revision(content=service_content(time_limits=old)).item
        second = make_revision(
            content=service_content(time_limits={"promised": old["promised"]})
        ).item
        return tuple(f"/u/{i.utility.slug}/{i.slug}" for i in (first, second))

    old_url, promise_only_url = committed(app, made)
    page = page_of(client, old_url)
    assert "20 working days" in page.by_id("limit-statutory").get_text()
    assert not page.find_all(class_="limit-source")
    assert page.by_id("due-1-statutory")["datetime"] == "2026-03-30"

    page = page_of(client, promise_only_url)
    assert flat(page.by_id("limit-statutory").get_text()) == "None set by law"
    assert "by law" not in page.by_id("due-line-1").get_text()


def test_the_api_names_each_limit_by_its_basis_title_number_and_article(app, client):
    def made() -> tuple[int, int]:
        _url, revision_id = with_law(
            {"value": 20, "unit": "working_days"}, {"value": 5, "unit": "working_days"}
        )
        old = make_revision(
            content=service_content(time_limits={"promised": {"value": 1, "unit": "hours"}})
        )
        return revision_id, old.id

    revision_id, old_id = committed(app, made)
    sources = client.get(f"/api/v1/revisions/{revision_id}").get_json()["data"]
    by_field = {s["field"]: s for s in sources["time_limit_sources"]}
    assert by_field["time_limits.statutory"] == {
        "field": "time_limits.statutory",
        "kind": "law",
        "basis": by_field["time_limits.statutory"]["basis"],
        "title": "《测试供电服务规章》",
        "doc_number": "测试令第9号",
        "article": "第十三条",
    }
    assert by_field["time_limits.promised"]["kind"] is None  # never recorded, not invented
    assert sources["content"]["time_limits"]["statutory"]["source"]["kind"] == "law"
    old = client.get(f"/api/v1/revisions/{old_id}").get_json()["data"]["time_limit_sources"]
    assert old[0] == {
        "field": "time_limits.promised",
        "kind": None,
        "basis": None,
        "title": None,
        "doc_number": None,
        "article": None,
    }


@pytest.fixture
def removed_items(app):
    """Item ids a test made for the module's accounts, removed after it (their drafts name
    an author the accounts fixture deletes)."""
    created: list[int] = []
    yield created
    with app.app_context():
        for table in (SearchEntry, Revision):
            db.session.execute(delete(table).where(table.item_id.in_(created)))
        db.session.execute(delete(Item).where(Item.id.in_(created)))
        db.session.commit()


def test_the_editor_explains_a_statutory_limit_without_its_law_at_the_field(
    app, accounts, removed_items
):
    def made() -> int:
        item = make_item(db.session.get(Utility, accounts["utility"]))
        published = make_revision(item)
        draft = make_revision(
            item,
            content=published.content,
            status=RevisionStatus.DRAFT,
            effective_from=None,
            published_at=None,
            change_summary="时限来源",
            author=db.session.get(User, accounts["editor"]),
        )
        removed_items.append(item.id)
        return draft.id

    revision_id = committed(app, made)
    client = app.test_client()
    sign_in(client, accounts["editor"])
    edit = client.get(f"/editor/revisions/{revision_id}/edit")
    form = form_values(edit.data, "revision-form")
    page = parse(edit.data)
    kinds = [
        o["value"] for o in page.by_id("f-time-limits-statutory-source-kind").find_all("option")
    ]
    assert kinds == ["", "law", "promise"]
    assert "f-time-limits-promised-cases" in {tag["id"] for tag in page.find_all(id=True)}
    units = page.by_id("f-time-limits-promised-unit").find_all("option")
    assert "minutes" in [o["value"] for o in units]

    form["time_limits.statutory.source.kind"] = "promise"
    form["time_limits.statutory.source.code"] = ""
    headers = {"HX-Request": "true", "HX-Target": "problems"}
    url = f"/editor/revisions/{revision_id}/check"
    problems = parse(client.post(url, data=form, headers=headers).data)
    box = problems.find_all("div", id="problems")[0]
    assert box["data-field"] == "time_limits.statutory.source"
    assert "法定办结时限须注明设定它的法律法规" in box.get_text()

    form["time_limits.statutory.source.kind"] = "law"
    form["time_limits.statutory.source.code"] = "test-price-doc"
    form["time_limits.promised.note"] = "15个工作日内办结"
    box = parse(client.post(url, data=form, headers=headers).data).find_all("div", id="problems")[0]
    assert box["data-field"] == "time_limits.promised.note"
    assert "写有“15个工作日”" in box.get_text()


def test_each_due_line_names_its_case_in_the_readers_language(app, client, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T10:00:00")
    limits = {
        "promised": {
            "value": 8,
            "unit": "working_days",
            "source": PROMISE,
            "cases": [
                {"label": "无外线工程", "value": 3, "unit": "working_days"},
                {"label": "有外线工程", "value": 8, "unit": "working_days"},
            ],
        },
    }
    english = {
        "name": "Power connection",
        "time_limits": {
            "promised": {
                "cases": [
                    {"label": "No outside works"},
                ]
            }
        },
    }

    def make():
        content = service_content(time_limits=limits, translations={"en": english})
        item = make_revision(make_item(), content=content).item
        return f"/u/{item.utility.slug}/{item.slug}"

    url = committed(app, make)
    cases = {
        lang: parse(client.get(url, query_string={"lang": lang}).data).select(".due-case")
        for lang in ("zh_Hans", "zh_Hant", "en")
    }
    assert [c.get_text() for c in cases["zh_Hans"]] == ["无外线工程", "有外线工程"]
    assert [c.get_text() for c in cases["zh_Hant"]] == ["無外線工程", "有外線工程"]
    assert [(c.get_text(), c.get("lang")) for c in cases["en"]] == [
        ("No outside works", None),
        ("有外线工程", "zh-Hans"),
    ]
