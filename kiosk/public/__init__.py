"""Kiosk pages for residents; phones that scan a notice's QR code see the same pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from kiosk.public.jsonld import government_service_jsonld

public_bp = Blueprint("public", __name__)


@public_bp.context_processor
def public_template_context() -> dict[str, Any]:
    return {"government_service_jsonld": government_service_jsonld}


from kiosk.public import guide_forms, ratings, results, views  # noqa: E402,F401  (routes attach to the blueprint)
