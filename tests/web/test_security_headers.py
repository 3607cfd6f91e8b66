"""Every kind of response carries the strict CSP and its companions; cookies are hardened."""

from __future__ import annotations

import re

import pytest

from kiosk.security import CONTENT_SECURITY_POLICY, harden_cookie

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
    return re.search(r'href="(/static/css/[^"]+)"', html).group(1)


def pdf_url(client, app) -> str:
    if "notices.notice_print" not in app.view_functions:
        pytest.skip("printed notices are not part of this build")
    item = client.get("/api/v1/items?per_page=1").get_json()["data"][0]
    return f"/print/{item['revision']['id']}.pdf"


PAGES = {
    "kiosk page": lambda client, app: "/",
    "item page": lambda client, app: "/u/chengzhou-water/new-water-connection",
    "not found page": lambda client, app: "/u/no-such-utility",
    "api json": lambda client, app: "/api/v1/items/CZ-WATER-001",
    "api error": lambda client, app: "/api/v1/items/NO-SUCH-CODE",
    "api export": lambda client, app: "/api/v1/exports/fees.csv",
    "static file": lambda client, app: static_url(client),
    "printed notice": pdf_url,
}


@pytest.mark.parametrize("kind", PAGES)
def test_every_kind_of_response_carries_the_security_headers(client, app, kind):
    response = client.get(PAGES[kind](client, app))
    assert response.status_code in (200, 404)
    assert policy(response.headers["Content-Security-Policy"]) == EXPECTED_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_an_htmx_fragment_and_a_304_carry_them_too(client):
    fragment = client.get("/", headers={"HX-Request": "true"})
    assert fragment.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    again = client.get("/", headers={"If-None-Match": fragment.headers["ETag"],
                                     "HX-Request": "true"})  # fmt: skip
    assert again.status_code == 304
    assert again.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_page_has_an_inline_script_or_style(client):
    html = client.get("/u/chengzhou-water/residential-water-price").get_data(as_text=True)
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script or 'type="application/ld+json"' in script, script
    assert "<style" not in html and " style=" not in html


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
