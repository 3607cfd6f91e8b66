"""Kiosk pages for residents; phones that scan a notice's QR code see the same pages."""

from flask import Blueprint

public_bp = Blueprint("public", __name__)

from kiosk.public import calendar_views, views  # noqa: E402,F401  (routes attach to the blueprint)
from kiosk.public import bill_views, search_views  # noqa: E402,F401  (search, bill estimator)
from kiosk.public import history_views  # noqa: E402,F401  (history of changes, /changes)
from kiosk.public import display_views  # noqa: E402,F401  (large text, high contrast)
