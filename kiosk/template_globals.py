"""Template globals that pages of several blueprints use, registered by the app.

The data attributes of the idle.js and offline.js script tags depend only on the URL and the
language, so pages that carry them can be cached and shared between devices; what differs
per device (its hall's idle time) comes from the heartbeat's answer instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context, request, url_for
from flask_babel import gettext
from markupsafe import Markup, escape

from kiosk import guide_display
from kiosk.display import Display
from kiosk.field_labels import field_label, role_label, value_label
from kiosk.filters import chinese_text, marked
from kiosk.i18n import active_locale
from services import clock
from services.content.localize import FallbackText, bcp47
from services.models import Hall

FEE_BLOCK_ID = re.compile(r"fee-(\d+)")
# The page showing a revision's fee blocks → where their estimators send the usage.
ESTIMATOR_FOR = {
    "public.item_detail": "public.bill_estimate",
    "public.bill_estimate": "public.bill_estimate",
    "public.revision_permalink": "public.revision_bill_estimate",
    "public.revision_bill_estimate": "public.revision_bill_estimate",
}


@dataclass(frozen=True)
class Estimator:
    url: str
    fee: int


def bill_estimator(id_prefix: str) -> Estimator | None:
    """Where the estimator under fee block `id_prefix` ("fee-2") sends its usage; None on
    pages that do not show one revision of an item (previews, comparisons, print)."""
    match = FEE_BLOCK_ID.fullmatch(id_prefix)
    endpoint = ESTIMATOR_FOR.get(request.endpoint or "")
    if not match or not endpoint:
        return None
    return Estimator(url_for(endpoint, **(request.view_args or {})), int(match[1]))


def idle_attributes() -> dict[str, str]:
    """For idle.js; the idle time itself comes from the hall's settings with the heartbeat."""
    return {
        "data-reset-url": url_for("devices.reset"),
        "data-start-url": url_for("public.home"),
        "data-default-lang": bcp47(current_app.config["BABEL_DEFAULT_LOCALE"]),
        "data-warning": gettext(
            "Nobody there? Back to the start screen in %(seconds)s s.", seconds="{seconds}"
        ),
        "data-continue": gettext("Continue"),
    }


def offline_attributes(hall: Hall | None = None) -> dict[str, str]:
    """For offline.js; a board names its hall, a kiosk learns it from the heartbeat."""
    attributes = {
        "data-heartbeat-url": url_for("devices.heartbeat"),
        "data-worker-url": url_for("devices.service_worker"),
        "data-offline-text": gettext("Offline — content as of %(time)s", time="{time}"),
        "data-time-zone": clock.city_zone().key,
    }
    if hall is not None:
        attributes["data-manifest-url"] = url_for("devices.offline_manifest", hall=hall.slug)
    return attributes


def city_name() -> Markup:
    """The city's name in the page's language: its English name on English pages (or the
    Chinese one, marked as such, where none is set), in Traditional on zh_Hant pages."""
    config = current_app.config
    if str(active_locale()) == "en":
        return marked(config["CITY_NAME_EN"] or FallbackText(config["CITY_NAME"]))
    return escape(chinese_text(config["CITY_NAME"]))


def inject_display() -> dict[str, Display]:
    """`display` in every template, the editor's too: base.html puts its classes on <html>."""
    return {"display": Display.from_cookies(request.cookies if has_request_context() else {})}


def init_app(app: Flask) -> None:
    for fn in (bill_estimator, idle_attributes, offline_attributes, city_name):
        app.add_template_global(fn)
    # The history of changes is shown to residents and in the editor, and the staff bar
    # names the signed-in user's role on editor and admin screens.
    for fn in (field_label, value_label, role_label):
        app.add_template_global(fn)
    app.context_processor(inject_display)
    guide_display.init_app(app)  # the flow chart and form links: kiosk, preview and print
