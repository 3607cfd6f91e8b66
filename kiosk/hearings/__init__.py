"""Price hearings and consultations for residents: the list, each announcement with the
proposed tariff beside the one in force, commenting while the window is open, the summary,
and the Atom feed."""

from __future__ import annotations

from flask import Blueprint

hearings_bp = Blueprint("hearings", __name__)

from kiosk.hearings import views  # noqa: E402,F401  (routes attach to the blueprint)
