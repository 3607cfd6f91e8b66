"""What kiosks and boards call: registration, heartbeat, reset, service worker, manifest."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext

from kiosk.devices import devices_bp
from kiosk.display import CONTRAST_COOKIE, TEXT_SIZE_COOKIE
from kiosk.forms import ActionForm
from kiosk.htmx import render_view
from kiosk.i18n import LANG_COOKIE
from kiosk.offline import SERVICE_WORKER, manifest, manifest_version
from services.catalogue.halls import DEFAULT_IDLE_SECONDS
from services.db import db
from services.devices import registry as devices
from services.models import Device
from services.notices.render import hall_by_slug

DEVICE_COOKIE = "gongshi_device"
# The rating browser's token (kiosk.public.ratings); named here too, as this blueprint must
# not import the public one's views.
RATER_COOKIE = "gongshi_rater"
# Browsers cap a cookie's life at 400 days; every heartbeat sets it again.
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600


def current_device() -> Device | None:
    """The registered device this request comes from, by its cookie."""
    return devices.device_by_secret(request.cookies.get(DEVICE_COOKIE))


def with_device_cookie(response, secret: str):
    response.set_cookie(
        DEVICE_COOKIE, secret, max_age=DEVICE_COOKIE_MAX_AGE, httponly=True, samesite="Lax"
    )
    return response


def hall_language(device: Device) -> str:
    """The language a hall's screens start in (a hall setting; Simplified Chinese by default)."""
    chosen = (device.hall.settings or {}).get("default_language")
    languages = current_app.config["LANGUAGES"]
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def in_hall_language(response, device: Device):
    """A registered screen starts in its hall's language, whatever its browser is set to."""
    response.set_cookie(
        LANG_COOKIE, hall_language(device), max_age=365 * 86400, samesite="Lax", httponly=True
    )
    return response


@devices_bp.route("/device/register/<token>", methods=["GET", "POST"])
def register(token: str):
    """Opening the link shows what this screen will become; confirming burns the token."""
    device = devices.pending_registration(token) or abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        registered = devices.register(token) or abort(404)
        device, secret = registered
        db.session.commit()
        if device.kind == "board":
            target = url_for("board.board_page", hall_slug=device.hall.slug)
        else:
            target = url_for("public.home")
        return in_hall_language(with_device_cookie(redirect(target), secret), device)
    response = render_view(
        "devices/register",
        title=gettext("Register this screen"),
        back_url=None,
        device=device,
        form=form,
    )
    response.cache_control.no_store = True
    return response


@devices_bp.get("/device/start")
def start():
    """Where a hall screen opens after a restart: its board or the kiosk's start screen."""
    device = current_device()
    if device is None:
        response = redirect(url_for("public.home"))
    elif device.kind == "board":
        response = redirect(url_for("board.board_page", hall_slug=device.hall.slug))
    else:
        response = redirect(url_for("devices.reset"))
    response.cache_control.no_store = True
    return response


@devices_bp.post("/device/heartbeat")
def heartbeat():
    """A device says it is alive; the answer tells it its hall's settings.

    Exempt from the CSRF token (pages that send it are cached and shared); a JSON body is
    required instead, which another site's form cannot send.
    """
    if not request.is_json:
        abort(415)
    payload = request.get_json()  # a body that is not JSON (or nested too deeply) is a 400
    if not isinstance(payload, dict):
        abort(400)
    device = current_device()
    if device is None:
        response = jsonify(registered=False)
    else:
        devices.record_heartbeat(device, str(payload.get("content_version", "")))
        db.session.commit()
        hall = device.hall
        response = jsonify(
            registered=True,
            kind=device.kind,
            hall=hall.slug,
            idle_seconds=int((hall.settings or {}).get("idle_seconds") or DEFAULT_IDLE_SECONDS),
            manifest=url_for("devices.offline_manifest", hall=hall.slug),
            version=manifest_version(hall),
        )
        with_device_cookie(response, request.cookies[DEVICE_COOKIE])
    response.cache_control.no_store = True
    return response


@devices_bp.get("/device/reset")
def reset():
    """The idle reset: the start screen in the hall's language, default text size and
    contrast, and a new rating session (好差评: one rating per item per resident).

    A browser that is no registered screen goes back to negotiating its language.
    """
    response = redirect(url_for("public.home"))
    for name in (TEXT_SIZE_COOKIE, CONTRAST_COOKIE, RATER_COOKIE):
        response.delete_cookie(name)
    device = current_device()
    if device is None:
        response.delete_cookie(LANG_COOKIE)
    else:
        in_hall_language(response, device)
    response.cache_control.no_store = True
    return response


@devices_bp.get("/sw.js")
def service_worker():
    """The service worker, from the site root so that it may control every page."""
    response = make_response(
        send_from_directory(current_app.static_folder, SERVICE_WORKER, max_age=0)
    )
    response.headers["Service-Worker-Allowed"] = "/"
    response.cache_control.no_cache = True
    return response


@devices_bp.get("/offline-manifest.json")
def offline_manifest():
    """The pages and assets a hall's devices keep: ?hall=, or the device's own hall."""
    slug = request.args.get("hall")
    device = None if slug else current_device()
    hall = hall_by_slug(slug) if slug else (device.hall if device else None)
    if hall is None:
        abort(404)
    response = jsonify(manifest(hall))
    response.cache_control.no_cache = True
    return response
