"""Printed notices: the PDF of one revision, and of every notice a hall shows."""

from flask import Blueprint

notices_bp = Blueprint("notices", __name__)

from kiosk.notices import views  # noqa: E402,F401  (routes attach to the blueprint)
