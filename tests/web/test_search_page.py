"""The search page: a whole page, or the panel alone for htmx; help when nothing is found."""

import pytest

from services.db import db
from services.search.index import index_item
from tests.factories import make_item, make_revision, make_utility, service_content
from tests.html import parse

HTMX = {"HX-Request": "true", "HX-Target": "search-results"}


@pytest.fixture
def valve_item(app) -> str:
    """The address of an indexed item named 闸阀井盖更换, committed."""
    with app.app_context():
        item = make_item(make_utility())
        make_revision(item, content=service_content(name="闸阀井盖更换"))
        index_item(item)
        db.session.commit()
        return f"/u/{item.utility.slug}/{item.slug}"


def test_search_page_has_the_input_the_keyboard_and_the_results_area(client):
    response = client.get("/search")
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    page = parse(response.data)
    assert page.lang == "zh-Hans" and page.title
    assert not page.duplicate_ids
    search_input = page.find_all("input", id="search-q")[0]
    assert search_input["name"] == "q"
    assert search_input["hx-target"] == "#search-results"
    assert "input changed delay:300ms" in search_input["hx-trigger"]
    assert page.ids["search-results"] == 1
    keyboard = page.find_all("div", class_="keyboard")[0]
    assert keyboard["data-keyboard-for"] == "search-q"
    letters = {b["data-key"] for b in page.find_all("button", class_="key") if b.get("data-key")}
    assert set("abcdefghijklmnopqrstuvwxyz ") <= letters
    actions = {b["data-action"] for b in page.find_all("button") if b.get("data-action")}
    assert actions == {"backspace", "clear"}


def test_a_plain_request_with_a_query_gets_the_whole_page_with_results(client, valve_item):
    response = client.get("/search", query_string={"q": "zfjg"})
    page = parse(response.data)
    assert response.status_code == 200 and page.lang == "zh-Hans"
    assert page.find_all("input", id="search-q")[0]["value"] == "zfjg"
    assert valve_item in page.links
    assert "<mark>闸阀井盖</mark>更换" in response.get_data(as_text=True)


def test_typing_gets_the_search_panel_without_the_page_around_it(client, valve_item):
    response = client.get("/search", query_string={"q": "闸阀"}, headers=HTMX)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<title" not in html and "kiosk-nav" not in html
    page = parse(html)
    assert page.ids["search-results"] == 1
    assert valve_item in page.links


def test_a_search_that_finds_nothing_offers_the_providers_and_12345(client, app):
    with app.app_context():
        providers = {f"/u/{make_revision().item.utility.slug}" for _ in range(2)}
        db.session.commit()
    response = client.get("/search", query_string={"q": "qqxxqq"}, headers=HTMX)
    page = parse(response.data)
    assert page.ids["search-hotline"] == 1
    assert "12345" in page.text
    assert providers <= set(page.links)


def test_the_query_is_shown_back_escaped(client):
    response = client.get("/search", query_string={"q": '"><script>alert(1)</script>'})
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_every_kiosk_page_has_a_search_button(client):
    page = parse(client.get("/").data)
    assert page.find_all("a", id="nav-search")[0]["href"] == "/search"
