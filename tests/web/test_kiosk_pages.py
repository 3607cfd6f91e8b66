"""Walk the kiosk the way a resident taps through it, checking every page it reaches."""

import re
from datetime import date

import pytest

from services.db import db
from services.models import ItemKind, RevisionStatus
from tests.factories import make_item, make_revision, make_utility
from tests.html import parse

LANGS = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}
# An item's page (a utility's results page, /u/<utility>/results, is none).
ITEM_LINK = re.compile(r"^/u/[\w-]+/(?!results$|requests$)[\w-]+$")
UTILITY_LINK = re.compile(r"^/u/[\w-]+$")


def check_page(client, url, lang="zh_Hans", status=200):
    response = client.get(url, query_string={"lang": lang})
    assert response.status_code == status, url
    page = parse(response.data)
    assert page.lang == LANGS[lang], url
    assert page.title, url
    assert not page.duplicate_ids, (url, page.duplicate_ids)
    return page


def url_of(item) -> str:
    return f"/u/{item.utility.slug}/{item.slug}"


@pytest.mark.parametrize("lang", LANGS)
def test_a_utility_and_each_of_its_items_render_from_the_start_screen(client, app, lang):
    with app.app_context():
        utility = make_utility()
        items = {url_of(make_revision(make_item(utility, kind=kind)).item) for kind in ItemKind}
        db.session.commit()
        utility_url = f"/u/{utility.slug}"
    home = check_page(client, "/", lang)
    assert utility_url in home.links
    page = check_page(client, utility_url, lang)
    assert {link for link in page.links if ITEM_LINK.match(link)} >= items
    for url in sorted(items):
        page = check_page(client, url, lang)
        assert "/r/" in " ".join(page.links), url


def test_service_page_shows_what_must_be_disclosed(client, app):
    with app.app_context():
        url = url_of(make_revision().item)
        db.session.commit()
    page = check_page(client, url)
    for heading in (
        "收费标准",
        "法定办结时限",
        "承诺办结时限",
        "受理条件",
        "申请材料",
        "办理流程",
        "办理地点和时间",
        "咨询与投诉",
    ):
        assert heading in page.text, heading
    assert "12345" in page.text


def test_tariff_page_has_tier_table_and_chart(client, app):
    with app.app_context():
        url = url_of(make_revision(make_item(kind=ItemKind.TARIFF)).item)
        db.session.commit()
    response = client.get(url)
    assert response.status_code == 200
    page = parse(response.data)
    assert page.find_all("table", class_="tier-table")
    assert page.find_all("svg", role="img")
    assert "（含）" in page.text and "以上" in page.text


def test_basis_opens_as_a_panel_for_htmx_and_a_page_otherwise(client, app):
    with app.app_context():
        code = make_revision().content["basis"][0]["code"]
        db.session.commit()
    full = client.get(f"/basis/{code}")
    panel = client.get(f"/basis/{code}", headers={"HX-Request": "true", "HX-Target": "basis-panel"})
    assert full.status_code == panel.status_code == 200
    assert b"<html" in full.data and b"<html" not in panel.data
    assert b"<title>" not in panel.data
    assert "HX-Request" in full.headers["Vary"]


def test_htmx_navigation_gets_fragment_with_title_and_nav(client):
    response = client.get("/", headers={"HX-Request": "true", "HX-Target": "main"})
    body = response.data.decode()
    assert "<html" not in body
    assert "<title>" in body
    assert 'id="kiosk-nav"' in body and 'hx-swap-oob="true"' in body
    assert "HX-Request" in response.headers["Vary"]


def test_superseded_revision_links_to_current(client, app):
    with app.app_context():
        old = make_revision(status=RevisionStatus.SUPERSEDED, effective_to=date(2025, 1, 1))
        current = make_revision(old.item, effective_from=date(2025, 1, 1))
        db.session.commit()
        old_id, current_id = old.id, current.id
    page = check_page(client, f"/r/{old_id}")
    assert "此版本已不再执行" in page.text
    assert f"/r/{current_id}" in page.links


def test_upcoming_change_is_announced_beside_current_fees(client, app, monkeypatch):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-11-27T10:00:00")
    with app.app_context():
        item = make_item(kind=ItemKind.TARIFF)
        make_revision(item, effective_from=date(2024, 1, 1))
        make_revision(item, effective_from=date(2027, 1, 1))
        db.session.commit()
        url = url_of(item)
    page = check_page(client, url)
    assert "起执行新标准" in page.text
    assert page.find_all("article", id="now-fee-1") and page.find_all("article", id="next-fee-1")


@pytest.mark.parametrize(
    "url", ["/u/no-such-utility", "/u/water-nope/x", "/r/999999", "/r/abc", "/basis/nothing"]
)
def test_unknown_addresses_get_the_kiosk_404_with_a_way_home(client, url):
    page = check_page(client, url, status=404)
    assert "页面不存在" in page.text
    assert "/" in page.links


def test_language_choice_is_remembered(client):
    client.get("/?lang=en")
    assert parse(client.get("/").data).lang == "en"
    client.get("/?lang=zh_Hans")


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        ("zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-CN,en;q=0.5", "zh-Hans"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR", "zh-Hans"),
    ],
)
def test_browser_language_is_mapped_by_script(app, accept, lang):
    response = app.test_client().get("/", headers={"Accept-Language": accept})
    assert parse(response.data).lang == lang


def test_healthz_reports_database(client):
    report = client.get("/healthz").get_json()
    assert report["ok"] is True and report["database"] == "ok"


def test_the_header_names_the_city_in_the_readers_language(app, client):
    english = parse(client.get("/?lang=en").data)
    assert english.soup.select_one(".nav-city").get_text(" ", strip=True).startswith("Chengzhou")
    assert "Chengzhou" in english.soup.title.get_text()
    # A city without an English name: its Chinese name, marked as Chinese.
    from kiosk.template_globals import city_name

    saved = app.config["CITY_NAME_EN"]
    app.config["CITY_NAME_EN"] = ""
    try:
        with app.test_request_context("/?lang=en"):
            assert city_name() == '<span lang="zh-Hans">澄州市</span>'
    finally:
        app.config["CITY_NAME_EN"] = saved
