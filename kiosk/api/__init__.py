"""Open data: the read-only JSON API (/api/v1), its OpenAPI document, exports and Open311."""

from flask import Blueprint

api_bp = Blueprint("api", __name__, url_prefix="/api")

from kiosk.api import problems, views  # noqa: E402,F401  (they attach to the blueprint)
