"""The one-tap switches for large text and high contrast, shown in the nav bar on every screen."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import has_request_context, make_response, redirect, request, url_for

from kiosk.display import CONTRAST_COOKIE, CONTRASTS, TEXT_SIZE_COOKIE, TEXT_SIZES, Display
from kiosk.htmx import is_htmx
from kiosk.public import public_bp

ONE_YEAR = 365 * 86400


def safe_next(target: str | None) -> str:
    """`target` when it is a path on this site; the start screen for anything else."""
    if (
        target
        and target.startswith("/")
        # "//host" and "/\host" are other sites to a browser, which also drops tabs and
        # newlines from an address before reading it.
        and not target.startswith("//")
        and "\\" not in target
        and all(ch.isprintable() for ch in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("public.home")


@public_bp.app_context_processor
def inject_display() -> dict[str, Display]:
    """`display` in every template, the editor's too: base.html puts its classes on <html>."""
    return {"display": Display.from_cookies(request.cookies if has_request_context() else {})}


@public_bp.get("/display")
def display_settings():
    """Remember ?text_size= and ?contrast= in cookies, then go back to the page at ?next=."""
    target = safe_next(request.args.get("next"))
    if is_htmx():
        # A link that htmx followed would swap the page into #main and leave <html> as it
        # was; a full load of the page draws it with the new classes.
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
    else:
        response = redirect(target, 303)
    for cookie, choices in ((TEXT_SIZE_COOKIE, TEXT_SIZES), (CONTRAST_COOKIE, CONTRASTS)):
        value = request.args.get(cookie)
        if value in choices:
            response.set_cookie(cookie, value, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    response.headers["Cache-Control"] = "no-store"
    return response
