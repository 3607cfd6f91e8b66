"""The editor: utilities edit their items, reviewers approve and publish. Sign-in required."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from flask_login import current_user

from kiosk.editor.content_form import dom_id
from kiosk.field_labels import state_label
from kiosk.staff import forbidden, password_change_first, sign_in_first

editor_bp = Blueprint("editor", __name__, url_prefix="/editor")
editor_bp.register_error_handler(403, forbidden)

OPEN_ENDPOINTS = {"editor.login"}


@editor_bp.before_request
def require_login():
    if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
        return None
    return sign_in_first()


# After an admin's reset, the person chooses a new password before anything else.
editor_bp.before_request(password_change_first)


@editor_bp.context_processor
def editor_template_context() -> dict[str, Any]:
    return {"state_label": state_label, "field_dom_id": dom_id}


from kiosk.editor import cases, figures, guide_forms, hearings, outages, printing, requests, views  # noqa: E402,F401  (routes attach to the blueprint)
