"""What kiosks and boards call: registration, heartbeat, reset, service worker, offline
manifest. Open to every device; a device cookie says which it is."""

from flask import Blueprint

devices_bp = Blueprint("devices", __name__)

from kiosk.devices import views  # noqa: E402  (routes attach to the blueprint)


@devices_bp.record_once
def exempt_heartbeat(state) -> None:
    # Pages that send the heartbeat are cached and shared, so it cannot carry a CSRF token;
    # the view requires a JSON body instead.
    state.app.extensions["csrf"].exempt(views.heartbeat)
