"""Open data: the read-only JSON API (/api/v1), its OpenAPI document, exports and Open311.

Errors under /api/ are RFC 9457 problem details (JSON); the kiosk keeps its HTML pages.
"""

from __future__ import annotations

from flask import Blueprint, request
from werkzeug.exceptions import HTTPException, NotFound, default_exceptions
from werkzeug.routing import RequestRedirect

from kiosk.api.problems import problem

api_bp = Blueprint("api", __name__, url_prefix="/api")


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


from kiosk.api import requests, views  # noqa: E402,F401  (routes attach to the blueprint)
