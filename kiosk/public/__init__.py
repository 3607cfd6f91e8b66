"""Kiosk pages for residents; phones that scan a notice's QR code see the same pages."""

from flask import Blueprint

public_bp = Blueprint("public", __name__)

from kiosk.public import views  # noqa: E402,F401  (routes attach to the blueprint)
