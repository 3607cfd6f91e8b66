"""Error pages in the kiosk's style, each with a way home."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from kiosk.htmx import render_view


def init_app(app: Flask) -> None:
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
