"""The transparency office's screens under /admin: admins only, signed in through the
editor's sign-in page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort
from flask_babel import format_datetime, format_timedelta
from flask_babel import lazy_gettext as L_
from flask_login import current_user

from kiosk.staff import forbidden, sign_in_first
from services import clock
from services.devices import registry as devices
from services.models import Role

admin_bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_bp.register_error_handler(403, forbidden)


@admin_bp.before_request
def require_admin():
    if not current_user.is_authenticated:
        return sign_in_first()
    if current_user.role != Role.ADMIN:
        abort(403)
    return None


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
    return {"last_seen_text": last_seen_text, "device_state_label": STATE_LABELS.get}


from kiosk.admin import views  # noqa: E402,F401  (routes attach to the blueprint)
