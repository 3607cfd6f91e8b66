"""Kiosks and boards: the admin's device list (/admin/devices, admins only) and what the
devices themselves call (registration, heartbeat, reset, service worker, offline manifest)."""

from flask import Blueprint, abort
from flask_login import current_user

from kiosk.editor import editor_helpers, forbidden, login_manager
from services.models import Role

# The admin's pages: signed in through the editor's login, admin role only.
devices_bp = Blueprint("devices", __name__, url_prefix="/admin/devices")
# What kiosks and boards call; open to every device (a device cookie says which it is).
device_bp = Blueprint("device", __name__)

devices_bp.context_processor(editor_helpers)  # the editor's layout and bar
devices_bp.register_error_handler(403, forbidden)


@devices_bp.before_request
def require_admin():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role != Role.ADMIN:
        abort(403)
    return None


from kiosk.devices import admin_views, device_views, scripts  # noqa: E402,F401  (routes attach)
