"""Every kind of response carries the strict CSP and its companions; cookies are hardened."""

from __future__ import annotations

import pytest

from kiosk.security import CONTENT_SECURITY_POLICY, harden_cookie
from services.db import db
from services.models import ItemKind, Role
from tests.factories import PASSWORD, committed, make_hall, make_item, make_revision, make_user
from tests.html import parse

EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(header: str) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


def static_url(client) -> str:
    html = client.get("/").get_data(as_text=True)
    return next(link["href"] for link in parse(html).find_all("link", rel="stylesheet"))


@pytest.fixture(scope="module")
def made(app) -> dict[str, str]:
    """A published service item and a hall, committed for this module."""
    with app.app_context():
        revision = make_revision()
        item, hall = revision.item, make_hall()
        db.session.commit()
        return {
            "utility": f"/u/{item.utility.slug}",
            "item": f"/u/{item.utility.slug}/{item.slug}",
            "revision": f"/r/{revision.id}",
            "code": item.code,
            "board": f"/board/{hall.slug}",
            "pdf": f"/print/{revision.id}.pdf",
        }


# Every kind of response, with the status it must have: a page that should exist and
# answers 404 fails here rather than passing for its headers.
PAGES = {
    "kiosk start page": (lambda made, client: "/", 200),
    "utility page": (lambda made, client: made["utility"], 200),
    "item page": (lambda made, client: made["item"], 200),
    "permanent revision address": (lambda made, client: made["revision"], 200),
    "search page": (lambda made, client: "/search?q=水", 200),
    "calendar page": (lambda made, client: "/calendar", 200),
    "changes feed": (lambda made, client: "/changes.atom", 200),
    "wall board": (lambda made, client: made["board"], 200),
    "editor sign-in page": (lambda made, client: "/editor/login", 200),
    "editor page, signed out": (lambda made, client: "/editor/", 302),
    "not found page": (lambda made, client: "/u/no-such-utility", 404),
    "api json": (lambda made, client: f"/api/v1/items/{made['code']}", 200),
    "api error": (lambda made, client: "/api/v1/items/NO-SUCH-CODE", 404),
    "api export": (lambda made, client: "/api/v1/exports/fees.csv", 200),
    "health check": (lambda made, client: "/healthz", 200),
    "static file": (lambda made, client: static_url(client), 200),
    "printed notice": (lambda made, client: made["pdf"], 200),
}


@pytest.mark.parametrize("kind", PAGES)
def test_every_kind_of_response_carries_the_security_headers(client, made, kind):
    url, status = PAGES[kind]
    response = client.get(url(made, client))
    assert response.status_code == status
    assert policy(response.headers["Content-Security-Policy"]) == EXPECTED_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP


def test_https_answers_carry_hsts_and_plain_http_ones_do_not(app, made):
    client = app.test_client()
    for url in ("/", made["item"], made["item"], "/editor/login", "/u/no-such-utility"):
        secure = client.get(url, base_url="https://localhost")
        assert secure.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert "Strict-Transport-Security" not in client.get(url).headers


def test_staff_pages_and_exports_are_never_stored(app, made):
    client = app.test_client()
    assert client.get("/editor/login").headers["Cache-Control"] == "no-store"
    admin = committed(app, lambda: make_user(Role.ADMIN).username)
    response = client.post(
        "/editor/login", data={"username": admin, "password": PASSWORD, "next": ""}
    )
    assert response.headers["Cache-Control"] == "no-store"
    for url in ("/editor/", "/editor/review", "/editor/fees", "/admin/devices/"):
        page = client.get(url)
        assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store", url
    export = client.get("/editor/fees/export.xlsx")
    assert export.status_code == 200 and export.headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get(made["item"]).headers["Cache-Control"]  # public


def test_an_htmx_fragment_and_a_304_carry_them_too(client):
    fragment = client.get("/", headers={"HX-Request": "true"})
    assert fragment.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    again = client.get(
        "/", headers={"If-None-Match": fragment.headers["ETag"], "HX-Request": "true"}
    )
    assert again.status_code == 304
    assert again.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_page_has_an_inline_script_or_style(client, app):
    with app.app_context():
        tariff = make_revision(make_item(kind=ItemKind.TARIFF)).item
        db.session.commit()
        url = f"/u/{tariff.utility.slug}/{tariff.slug}"
    response = client.get(url)
    assert response.status_code == 200
    page = parse(response.data)
    for script in page.find_all("script"):
        assert script.has_attr("src") or script.get("type") == "application/ld+json", script
    assert not page.find_all("style") and not page.find_all(style=True)


def test_the_language_cookie_is_http_only_and_same_site(client):
    response = client.get("/?lang=en")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=en") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_cookies_are_secure_under_https(app):
    client = app.test_client()
    response = client.get("/?lang=zh_Hant", base_url="https://kiosk.example")
    assert "Secure" in response.headers["Set-Cookie"]
    with app.test_request_context(base_url="https://kiosk.example"):
        assert app.session_interface.get_cookie_secure(app)
    with app.test_request_context(base_url="http://kiosk.example"):
        assert not app.session_interface.get_cookie_secure(app)


@pytest.mark.parametrize(
    ("cookie", "secure", "expected"),
    [
        ("a=1; Path=/", False, "a=1; Path=/; HttpOnly; SameSite=Lax"),
        ("a=1; HttpOnly; SameSite=Strict", True, "a=1; HttpOnly; SameSite=Strict; Secure"),
        ("a=1; Secure; httponly; samesite=None", True, "a=1; Secure; httponly; samesite=None"),
    ],
)
def test_a_cookie_set_anywhere_gets_the_missing_protections(cookie, secure, expected):
    assert harden_cookie(cookie, secure) == expected
