"""Large text and high contrast: one tap in the nav bar sets a cookie and comes back to the page."""

from urllib.parse import parse_qs, urlsplit

import pytest

from services.db import db
from services.models import ItemKind
from tests.factories import make_item, make_revision, make_utility
from tests.html import parse


@pytest.fixture(scope="module")
def pages(app) -> dict[str, str]:
    """A utility with a tariff, committed for this module."""
    with app.app_context():
        utility = make_utility()
        tariff = make_revision(make_item(utility, kind=ItemKind.TARIFF)).item
        db.session.commit()
        return {"utility": f"/u/{utility.slug}", "tariff": f"/u/{utility.slug}/{tariff.slug}"}


def switch(page, switch_id: str) -> dict[str, str]:
    """Where a display switch in the nav bar leads: its path and its query, one value each."""
    (link,) = page.find_all("a", id=switch_id)
    url = urlsplit(link["href"])
    return {"path": url.path, **{k: v[0] for k, v in parse_qs(url.query).items()}}


def html_classes(response) -> set[str]:
    (root,) = parse(response.data).find_all("html")
    return set(root.get("class") or [])


def test_the_large_text_switch_sets_its_cookie_and_returns_to_the_page(client, pages):
    utility_page = pages["utility"]
    response = client.get("/display", query_string={"text_size": "large", "next": utility_page})
    assert response.status_code == 303
    assert response.headers["Location"] == utility_page
    cookie = client.get_cookie("text_size")
    assert cookie.value == "large" and cookie.http_only and cookie.max_age
    assert client.get_cookie("contrast") is None
    assert "no-store" in response.headers["Cache-Control"]
    assert "text-large" in html_classes(client.get(utility_page))


def test_the_high_contrast_switch_sets_its_cookie(client):
    client.get("/display", query_string={"contrast": "high", "next": "/calendar"})
    assert client.get_cookie("contrast").value == "high"
    assert html_classes(client.get("/calendar")) == {"contrast-high"}
    client.get("/display", query_string={"contrast": "normal", "next": "/calendar"})
    assert html_classes(client.get("/calendar")) == set()


def test_both_settings_go_back_to_normal_in_one_request(client):
    client.set_cookie("text_size", "large")
    client.set_cookie("contrast", "high")
    client.get("/display", query_string={"text_size": "normal", "contrast": "normal", "next": "/"})
    assert client.get_cookie("text_size").value == "normal"
    assert client.get_cookie("contrast").value == "normal"
    assert html_classes(client.get("/")) == set()


def test_an_unknown_setting_is_ignored(client):
    response = client.get(
        "/display", query_string={"text_size": "huge", "contrast": "x", "next": "/"}
    )
    assert response.status_code == 303
    assert client.get_cookie("text_size") is None and client.get_cookie("contrast") is None


def test_a_cookie_with_an_unknown_value_reads_as_normal(client):
    client.set_cookie("text_size", "enormous")
    client.set_cookie("contrast", "<script>")
    assert html_classes(client.get("/")) == set()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/u/x",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "u/some-utility",
        "",
    ],
)
def test_the_switch_never_sends_the_reader_to_another_site(client, target):
    response = client.get("/display", query_string={"text_size": "large", "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_the_switch_returns_with_the_query_of_the_page(client):
    target = "/search?q=yyzz&lang=en"
    response = client.get("/display", query_string={"text_size": "large", "next": target})
    assert response.headers["Location"] == target


def test_htmx_is_told_to_load_the_whole_page_again(client, pages):
    utility_page = pages["utility"]
    response = client.get(
        "/display",
        query_string={"text_size": "large", "next": utility_page},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == utility_page
    assert client.get_cookie("text_size").value == "large"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("utility", 200),
        ("tariff", 200),
        ("/search?q=yyzz", 200),
        ("/calendar", 200),
        ("/u/no-such-utility", 404),
    ],
)
def test_every_screen_offers_both_switches_leading_back_to_itself(client, pages, path, status):
    path = pages.get(path, path)
    response = client.get(path)
    assert response.status_code == status
    page = parse(response.data)
    text_size, contrast = switch(page, "nav-text-size"), switch(page, "nav-contrast")
    assert text_size == {"path": "/display", "text_size": "large", "next": path}
    assert contrast == {"path": "/display", "contrast": "high", "next": path}


def test_in_large_text_the_switch_leads_back_to_standard_text(client, pages):
    utility_page = pages["utility"]
    client.set_cookie("text_size", "large")
    client.set_cookie("contrast", "high")
    response = client.get(utility_page)
    assert html_classes(response) == {"text-large", "contrast-high"}
    page = parse(response.data)
    assert switch(page, "nav-text-size")["text_size"] == "normal"
    assert switch(page, "nav-contrast")["contrast"] == "normal"


def test_the_htmx_nav_bar_leads_back_to_the_page_it_arrived_with(client, pages):
    utility_page = pages["utility"]
    response = client.get(utility_page, headers={"HX-Request": "true", "HX-Target": "main"})
    assert switch(parse(response.data), "nav-text-size")["next"] == utility_page


def test_a_cached_page_is_not_reused_across_text_sizes(client):
    assert html_classes(client.get("/")) == set()
    client.set_cookie("text_size", "large")
    large = client.get("/")
    assert html_classes(large) == {"text-large"}
    client.set_cookie("text_size", "normal")
    assert html_classes(client.get("/", headers={"If-None-Match": large.headers["ETag"]})) == set()
