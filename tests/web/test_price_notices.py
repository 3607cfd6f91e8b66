"""A price notice is its own kind of page: the kiosk, the notice PDF, the board, the API and
the editor show its document, dates, scope and collector, and never a processing time."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from services.db import db
from services.models import ItemKind, LegalBasis, Revision, RevisionStatus, Sector
from tests.factories import (
    committed,
    make_hall,
    make_hearing,
    make_item,
    make_legal_basis,
    make_revision,
    make_utility,
    tariff_content,
)
from tests.html import form_values, parse
from tests.services.test_notices import pdf_text
from tests.web.editor_pages import accounts_fixture, sign_in, tariff_fixture  # noqa: F401

# Figures of a gas tariff that are not the demo city's own.
NOTICE = {
    "document": {"code": "pn-gas-doc", "article": "第二条"},
    "effective_on": "2026-04-01",
    "published_on": "2026-03-06",
    "scope": "河湾区管道燃气居民用户",
    "collector": "河湾燃气有限公司",
    "collected_for": "燃气管网维护费代河湾区城市管理局收取",
    "disclosure": {"value": 20, "unit": "working_days", "basis": {"code": "pn-disclosure"}},
}
LEGACY_LIMITS = {
    "statutory": {"value": 20, "unit": "working_days"},
    "promised": {"value": 5, "unit": "working_days"},
}


def bases() -> None:
    """The gas price document and the disclosure rule the notice cites."""
    for code, number, title in (
        ("pn-gas-doc", "河发改价〔2026〕7号", "关于河湾区管道燃气价格的通知"),
        ("pn-disclosure", "建城规〔2021〕4号", "供水、供气、供热等公共企事业单位信息公开实施办法"),
    ):
        if not db.session.scalar(select(LegalBasis).filter_by(code=code)):
            make_legal_basis(
                code=code,
                doc_number=number,
                title=f"《{title}》",
                issuer="河湾区发展和改革局",
                issued_on=date(2026, 2, 27),
            )


@pytest.fixture(scope="module")
def notice(app) -> dict:
    """A gas utility with a price notice (in force), a price notice published before the
    notice fields existed (with time limits), a concluded hearing on the first, and a hall
    showing both; committed for this module."""

    def make() -> dict:
        bases()
        gas = make_utility(name="河湾燃气有限公司", sector=Sector.GAS)
        item = make_item(gas, kind=ItemKind.TARIFF)
        revision = make_revision(
            item,
            content=tariff_content(price_notice=NOTICE),
            effective_from=date(2026, 4, 1),
            published_at=datetime(2026, 3, 6, 1),
        )
        legacy_item = make_item(gas, kind=ItemKind.TARIFF)
        legacy = tariff_content(time_limits=LEGACY_LIMITS, visits=1)
        del legacy["price_notice"]
        legacy_revision = make_revision(legacy_item, content=legacy)
        hearing = make_hearing(item, title="河湾区管道燃气价格调整听证会", now=datetime(2026, 2, 1))
        hearing.summary_published_at = datetime(2026, 2, 20)
        hall = make_hall([gas])
        return {
            "page": f"/u/{gas.slug}/{item.slug}",
            "legacy_page": f"/u/{gas.slug}/{legacy_item.slug}",
            "code": item.code,
            "legacy_code": legacy_item.code,
            "revision": revision.id,
            "legacy_revision": legacy_revision.id,
            "hearing": hearing.id,
            "board": f"/board/{hall.slug}",
        }

    return committed(app, make)


def facts(page) -> dict[str, str]:
    """The item page's facts list, term → text."""
    found = page.soup.select("dl.facts > div")
    return {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in found}


def test_the_kiosk_page_shows_the_notice_facts_and_no_processing_time(client, notice):
    page = parse(client.get(notice["page"]).data)
    shown = facts(page)
    assert shown["价格文件"].startswith("河发改价〔2026〕7号")
    assert "关于河湾区管道燃气价格的通知" in shown["价格文件"] and "第二条" in shown["价格文件"]
    assert "河湾区发展和改革局" in shown["价格文件"] and "2026年2月27日" in shown["价格文件"]
    assert shown["执行日期"] == "2026年4月1日"
    assert shown["公布日期"] == "2026年3月6日"
    assert shown["适用范围"] == "河湾区管道燃气居民用户"
    assert "河湾燃气有限公司" in shown["收费单位"]
    assert "燃气管网维护费代河湾区城市管理局收取" in shown["收费单位"]
    assert "20 个工作日" in shown["公开时限"] and "建城规〔2021〕4号" in shown["公开时限"]
    for service_word in ("办结时限", "服务对象", "到现场次数", "申请材料", "办理流程", "受理条件"):
        assert service_word not in page.text, service_word
    link = page.soup.select_one(f"#hearing-link-{notice['hearing']}").a
    assert link["href"] == f"/hearings/{notice['hearing']}"


def test_an_old_price_notice_keeps_its_time_limits_stored_but_never_shows_them(client, notice):
    page = parse(client.get(notice["legacy_page"]).data)
    shown = facts(page)
    assert shown["执行日期"] == "2024年1月1日"  # the date its revision took effect
    assert "办结时限" not in page.text and "工作日" not in page.text
    assert "到现场次数" not in page.text and not page.soup.select("#due-date")


def test_the_english_page_marks_text_entered_in_chinese(client, notice):
    page = parse(client.get(notice["page"] + "?lang=en").data)
    scope = page.soup.select_one(".notice-scope dd")
    assert scope["lang"] == "zh-Hans" and scope.get_text(strip=True) == "河湾区管道燃气居民用户"
    assert "Effective date" in page.text and "Processing" not in page.text


def test_the_api_gives_the_notice_with_its_document_by_number(client, notice):
    data = client.get(f"/api/v1/items/{notice['code']}").get_json()["data"]
    assert data["kind"] == "tariff"
    price_notice = data["revision"]["price_notice"]
    assert price_notice["document"] == {
        "code": "pn-gas-doc",
        "article": "第二条",
        "doc_number": "河发改价〔2026〕7号",
        "title": "《关于河湾区管道燃气价格的通知》",
        "issuer": "河湾区发展和改革局",
        "issued_on": "2026-02-27",
    }
    assert (price_notice["effective_on"], price_notice["published_on"]) == (
        "2026-04-01",
        "2026-03-06",
    )
    assert price_notice["scope"] == "河湾区管道燃气居民用户"
    assert price_notice["collected_for"] == "燃气管网维护费代河湾区城市管理局收取"
    assert price_notice["disclosure"]["basis"]["doc_number"] == "建城规〔2021〕4号"


def test_the_api_leaves_an_old_notices_time_limits_out(client, notice):
    data = client.get(f"/api/v1/items/{notice['legacy_code']}").get_json()["data"]
    content = data["revision"]["content"]
    assert "time_limits" not in content and "visits" not in content
    assert data["revision"]["price_notice"]["effective_on"] == "2024-01-01"
    assert data["revision"]["price_notice"]["document"] is None
    service = client.get("/api/v1/revisions/" + str(notice["revision"])).get_json()["data"]
    assert service["price_notice"]["collector"] == "河湾燃气有限公司"


def test_the_printed_notice_reads_back_with_the_notice_facts(client, notice):
    for revision in (notice["revision"], notice["legacy_revision"]):
        response = client.get(f"/print/{revision}.pdf?lang=zh_Hans&paper=A4")
        assert response.status_code == 200
        text = pdf_text(response.data)
        assert "价格公示" in text and "执行日期" in text
        assert "办结时限" not in text and "到现场次数" not in text
        assert "这份价格公示是否清楚" in text.replace(" ", "").replace("\n", "")
    text = pdf_text(client.get(f"/print/{notice['revision']}.pdf?lang=zh_Hans&paper=A4").data)
    for expected in (
        "价格文件",
        "河发改价〔2026〕7号",
        "2026年4月1日",
        "公布日期",
        "2026年3月6日",
        "适用范围",
        "河湾区管道燃气居民用户",
        "收费单位",
        "燃气管网维护费代河湾区城市管理局收取",
        "公开时限",
        "建城规〔2021〕4号",
    ):
        assert expected in text, expected


def test_the_board_says_when_the_prices_apply_and_by_which_document(client, notice, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-05-05T10:00:00")  # a Monday, hall open
    page = parse(client.get(notice["board"]).data)
    notes = [note.get_text(" ", strip=True) for note in page.soup.select(".slide-note")]
    ours = next(note for note in notes if "河发改价〔2026〕7号" in note)
    assert "执行日期" in ours and "2026年4月1日" in ours and "河湾燃气有限公司" in ours


def test_the_editor_form_of_a_tariff_has_the_notice_fields_and_saves_them(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = app.test_client()
    sign_in(client, accounts["editor"])
    url = f"/editor/revisions/{fresh.revision_id}/edit"
    page = parse(client.get(url).data)
    assert "f-price-notice-scope" in page.ids and "f-price-notice-document-code" in page.ids
    for service_field in ("f-time-limits", "f-materials", "f-steps", "f-visits", "f-conditions"):
        assert not any(i.startswith(service_field) for i in page.ids), service_field
    form = form_values(client.get(url).data, "revision-form")
    assert form["price_notice.scope"] == "城区公共供水范围内的一户一表居民用户"
    form["price_notice.scope"] = "城区和河湾区一户一表居民用户"
    form["price_notice.effective_on"] = "2031-07-01"
    form["change_summary"] = "扩大适用范围"
    assert client.post(url, data=form).status_code == 302
    with app.app_context():
        stored = db.session.get(Revision, fresh.revision_id).content["price_notice"]
    assert stored["scope"] == "城区和河湾区一户一表居民用户"
    assert stored["effective_on"] == "2031-07-01"
    assert stored["document"] == {"code": "test-price-doc"}
    assert stored["collected_for"] == "水资源费、污水处理费代市水务局征收"


def test_the_editor_names_a_service_field_left_on_a_tariff(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = app.test_client()
    sign_in(client, accounts["editor"])
    url = f"/editor/revisions/{fresh.revision_id}/edit"
    form = form_values(client.get(url).data, "revision-form")
    form["visits"] = "1"  # as an old form or a hand-made request would send it
    check = client.post(
        f"/editor/revisions/{fresh.revision_id}/check",
        data=form,
        headers={"HX-Request": "true", "HX-Target": "problems"},
    )
    problems = parse(check.data).soup.select_one("#problems")
    assert problems["data-field"] == "visits" and "到现场次数" in problems.get_text()
