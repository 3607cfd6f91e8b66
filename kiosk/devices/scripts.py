"""The data attributes of the idle.js and offline.js script tags: URLs and translated text.

They depend only on the URL and the language, so pages that carry them can be cached and
shared between devices; what differs per device (its hall's idle time) comes from the
heartbeat's answer instead.
"""

from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext

from kiosk.devices import device_bp
from kiosk.i18n import html_lang
from services import clock
from services.models import Hall


@device_bp.app_template_global()
def idle_attributes() -> dict[str, str]:
    """For idle.js."""
    attributes = {
        "data-reset-url": url_for("device.reset"),
        "data-start-url": url_for("public.home"),
        "data-default-lang": html_lang(current_app.config["BABEL_DEFAULT_LOCALE"]),
        "data-warning": gettext(
            "Nobody there? Back to the start screen in %(seconds)s s.", seconds="{seconds}"
        ),
        "data-continue": gettext("Continue"),
    }
    return attributes


@device_bp.app_template_global()
def offline_attributes(hall: Hall | None = None) -> dict[str, str]:
    """For offline.js; a board names its hall, a kiosk learns it from the heartbeat."""
    attributes = {
        "data-heartbeat-url": url_for("device.heartbeat"),
        "data-worker-url": url_for("device.service_worker"),
        "data-offline-text": gettext("Offline — content as of %(time)s", time="{time}"),
        "data-time-zone": clock.city_zone().key,
    }
    if hall is not None:
        attributes["data-manifest-url"] = url_for("device.offline_manifest", hall=hall.slug)
    return attributes
