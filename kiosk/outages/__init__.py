"""Outage notices for residents: the list with its district filter and history, each
outage's permanent page, and the Atom feed."""

from __future__ import annotations

from flask import Blueprint

outages_bp = Blueprint("outages", __name__)

from kiosk.outages import views  # noqa: E402,F401  (routes attach to the blueprint)
