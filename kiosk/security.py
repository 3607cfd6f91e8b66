"""Safe by default: a strict Content-Security-Policy, its companion headers and hardened
cookies on every response; staff pages never stored; input no query can take refused."""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface

# Nothing runs or loads from another host, nothing inline runs, and no page may frame us.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    # frame-ancestors' older twin, for browsers that do not read CSP.
    "X-Frame-Options": "DENY",
}
# Under HTTPS only: a browser told this over plain HTTP could be told it by anyone.
HSTS = "max-age=31536000"
# Pages of signed-in staff (and their exports) stay in no browser cache or proxy.
STAFF_BLUEPRINTS = {"editor", "admin"}


def cookies_must_be_secure() -> bool:
    """Secure cookies under HTTPS, or always when configured (TLS ended at a proxy)."""
    return bool(current_app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def harden_cookie(header: str, secure: bool) -> str:
    """A Set-Cookie value with HttpOnly, SameSite (Lax unless set) and, if asked, Secure."""
    attributes = {part.strip().split("=", 1)[0].lower() for part in header.split(";")[1:]}
    if "httponly" not in attributes:
        header += "; HttpOnly"
    if "samesite" not in attributes:
        header += "; SameSite=Lax"
    if secure and "secure" not in attributes:
        header += "; Secure"
    return header


class HardenedSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return cookies_must_be_secure()

    def open_session(self, app: Flask, request):
        # Most kiosk requests carry no session cookie: skip building the signer for them.
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


class HardenedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading a body nested too deeply as invalid JSON (a 400) instead of
    letting the recursion error out (a 500)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error


def init_app(app: Flask) -> None:
    """Register before any other after-request hook, so that this one runs last."""
    app.session_interface = HardenedSessionInterface()
    app.json = HardenedJSONProvider(app)

    @app.before_request
    def refuse_nul_in_address():
        # No slug or code has one, and PostgreSQL refuses text that does; the API answers
        # such addresses itself (kiosk.api: 404 in its own format).
        if "\x00" in request.path and not request.path.startswith("/api/"):
            abort(400)

    @app.after_request
    def secure_headers(response):
        for name, value in HEADERS.items():
            response.headers[name] = value
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = HSTS
        if request.blueprint in STAFF_BLUEPRINTS:
            response.headers["Cache-Control"] = "no-store"
        cookies = response.headers.getlist("Set-Cookie")
        if cookies:
            secure = cookies_must_be_secure()
            response.headers.setlist("Set-Cookie", [harden_cookie(c, secure) for c in cookies])
        return response
