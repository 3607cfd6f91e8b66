"""Kiosk pages for residents; phones that scan a notice's QR code see the same pages."""

from flask import Blueprint

public_bp = Blueprint("public", __name__)

from kiosk.public import (  # noqa: E402,F401  (routes attach to the blueprint)  # noqa: E402,F401  (search, bill estimator)
    bill_views,
    calendar_views,
    display_views,  # noqa: E402,F401  (large text, high contrast)
    history_views,  # noqa: E402,F401  (history of changes, /changes)
    search_views,
    views,
)
