"""What kiosks and boards call: registration, heartbeat, reset, service worker, offline
manifest. Open to every device; a device cookie says which it is."""

from flask import Blueprint

devices_bp = Blueprint("devices", __name__)

from kiosk.devices import views  # noqa: E402,F401  (routes attach to the blueprint)
