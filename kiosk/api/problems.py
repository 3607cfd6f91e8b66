"""Errors under /api/ as RFC 9457 problem details (JSON); the kiosk keeps its HTML pages."""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.exceptions import HTTPException, NotFound, default_exceptions
from werkzeug.routing import RequestRedirect

from kiosk.api import api_bp

PROBLEM_TYPE = "application/problem+json"


def problem(error: HTTPException, detail: str | None = None):
    """A JSON response describing `error`, with the headers it carries (e.g. Allow on 405)."""
    response = jsonify(
        {
            "type": "about:blank",
            "title": error.name,
            "status": error.code,
            "detail": detail or error.description,
        }
    )
    response.status_code = error.code or 500
    response.mimetype = PROBLEM_TYPE
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


@api_bp.before_app_request
def unknown_api_address():
    """An /api/ URL that matches no route (or not with this method) answers in JSON too.

    Routing fails before any blueprint is chosen, so the blueprint's own error handler
    never sees these; the kiosk's HTML 404 page stays for every other URL.
    """
    error = request.routing_exception
    if error is None or isinstance(error, RequestRedirect) or not request.path.startswith("/api/"):
        return None
    if isinstance(error, NotFound):
        return problem(error, f"There is no API address {request.path}; see /api/v1/openapi.json.")
    return problem(error)


def api_error(error: HTTPException):
    return problem(error)


# Flask prefers a handler for the exact status anywhere (the kiosk's HTML 404) over one for a
# class of errors, so the API registers its handler status by status.
for code in default_exceptions:
    api_bp.register_error_handler(code, api_error)
api_bp.register_error_handler(HTTPException, api_error)
