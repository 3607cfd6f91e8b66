"""Error pages in the kiosk's style and language, each with a way home.

The API answers its errors in JSON (kiosk.api); staff blueprints keep their own 403 page.
"""

from __future__ import annotations

from flask import Flask, request
from flask.globals import request_ctx
from flask_babel import gettext
from flask_babel import lazy_gettext as L_
from werkzeug.exceptions import HTTPException

from kiosk.htmx import render_view

# Status → (title, what it means for the reader); 404 and 500 have pages of their own.
PROBLEMS = {
    400: (
        L_("This address cannot be answered"),
        L_("Something in the address or the form is not as this site expects it."),
    ),
    403: (L_("Not open to you"), L_("This page is not open to you.")),
    405: (
        L_("This page cannot be used that way"),
        L_("The page exists, but not for what was asked of it. Open it from a link on this site."),
    ),
    429: (L_("Too many requests"), L_("Please wait a moment, then try again.")),
}


def own_description(error: HTTPException) -> str | None:
    """The message the code gave with the error (already in the reader's language), not
    Werkzeug's English default."""
    description = error.description
    return description if description and description != type(error).description else None


def problem_page(error: HTTPException):
    """The branded page for a 400, 403, 405 or 429, with the headers the status needs."""
    if request_ctx.url_adapter is None:
        # A Host outside TRUSTED_HOSTS: no link can be built for it, so no page either.
        return error
    title, lead = PROBLEMS[error.code]
    response = render_view(
        "errors/problem",
        status=error.code,
        title=str(title),
        back_url=None,
        code=error.code,
        lead=str(lead),
        detail=own_description(error),
    )
    for name, value in error.get_headers():
        if name in ("Allow", "Retry-After"):
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    for code in PROBLEMS:
        app.register_error_handler(code, problem_page)

    @app.errorhandler(404)
    def not_found(error: HTTPException):
        return render_view(
            "errors/not_found",
            status=404,
            title=gettext("Page not found"),
            back_url=None,
            path=request.path,
        )

    @app.errorhandler(500)
    def server_error(error: Exception):
        return render_view(
            "errors/server_error", status=500, title=gettext("Something went wrong"), back_url=None
        )
