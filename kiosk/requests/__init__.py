"""Information requests (依申请公开) for residents: each utility's guide, the request form,
the receipt with its printed slip, the lookup by tracking number, and the annual report."""

from __future__ import annotations

from flask import Blueprint

requests_bp = Blueprint("requests", __name__)

from kiosk.requests import views  # noqa: E402,F401  (routes attach to the blueprint)
