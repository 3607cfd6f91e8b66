"""The transparency office's screens under /admin, signed in through the editor's sign-in
page: admins read and write; reviewers read the office's records; editors are refused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, request
from flask_babel import format_datetime, format_timedelta
from flask_babel import lazy_gettext as L_
from flask_login import current_user

from kiosk.staff import forbidden, password_change_first, sign_in_first
from services import clock
from services.devices import registry as devices
from services.models import Role

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_bp.register_error_handler(403, forbidden)


# What a reviewer may open (to read only); every other admin URL is for admins alone.
REVIEWER_READS = {
    "admin.dashboard",
    "admin.utility_list",
    "admin.utility_edit",
    "admin.basis_list",
    "admin.basis_edit",
    "admin.channel_list",
    "admin.channel_edit",
    "admin.user_list",
    "admin.user_edit",
    "admin.hall_list",
    "admin.hall_edit",
    "admin.item_list",
    "admin.item_status",
}


@admin_bp.before_request
def require_admin():
    if not current_user.is_authenticated:
        return sign_in_first()
    if current_user.must_change_password:
        return password_change_first()
    if current_user.role == Role.ADMIN:
        return None
    reads = request.method in ("GET", "HEAD") and request.endpoint in REVIEWER_READS
    if current_user.role == Role.REVIEWER and reads:
        return None
    abort(403)


STATE_LABELS = {
    devices.DeviceState.WAITING: L_("Waiting for registration"),
    devices.DeviceState.EXPIRED: L_("Link expired"),
    devices.DeviceState.OK: L_("Active"),
    devices.DeviceState.ASLEEP: L_("Off by schedule"),
    devices.DeviceState.SILENT: L_("Silent"),
}


def last_seen_text(moment: datetime) -> str:
    """When a device was last heard from (stored in UTC), in city time and how long ago."""
    ago = format_timedelta(moment - clock.utcnow(), add_direction=True)
    return f"{format_datetime(moment, 'yyyy-MM-dd HH:mm:ss')} ({ago})"


@admin_bp.context_processor
def admin_template_context() -> dict[str, Any]:
    return {
        "last_seen_text": last_seen_text,
        "device_state_label": STATE_LABELS.get,
        "can_write": current_user.is_authenticated and current_user.role == Role.ADMIN,
    }


# Routes attach to the blueprint.
from kiosk.admin import (  # noqa: E402,F401
    bases_views,
    channel_views,
    dashboard_views,
    hall_views,
    item_views,
    user_views,
    utility_views,
    views,
)
