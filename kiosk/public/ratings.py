"""Rating a service (好差评): the question that ends every item page, and its own page at
/u/<utility>/<item>/rate that a phone opens from a QR code. No account, ever: a random token
in a cookie allows one rating per item per kiosk session (the idle reset deletes it) or per
item and day on a phone."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import abort, current_app, request, url_for
from flask_babel import get_locale, gettext
from markupsafe import Markup

from kiosk.devices.views import DEVICE_COOKIE, RATER_COOKIE
from kiosk.errors import problem_page
from kiosk.extensions import limiter, remote_address
from kiosk.filters import name_of
from kiosk.htmx import render_view
from kiosk.public import public_bp
from services.catalogue import queries as catalogue
from services.db import db
from services.devices import registry as devices
from services.models import Device, Item, ItemStatus
from services.notices.qr import qr_svg
from services.ratings import cases, taking
from services.throttling import source_digest

# Long enough for "one a day" on a phone to mean something; a kiosk loses it at each reset.
RATER_COOKIE_MAX_AGE = 400 * 24 * 3600
PROBLEMS = {
    "level": lambda: gettext("Choose one of the five answers."),
    "reasons": lambda: gettext("Tap at least one reason."),
    "comment_long": lambda: gettext(
        "Please keep it to %(max)d characters.", max=taking.COMMENT_MAX
    ),
    "phone": lambda: gettext(
        "Enter a mobile number of 11 digits, or a landline with its area code."
    ),
}


def kiosk_device() -> Device | None:
    """The registered kiosk this request comes from, if any."""
    device = devices.device_by_secret(request.cookies.get(DEVICE_COOKIE))
    return device if device is not None and device.kind == "kiosk" else None


def rating_key() -> str:
    """Who a burst is counted against: a registered kiosk by itself (a hall's kiosks may share
    one address), anyone else by their address."""
    device = kiosk_device()
    return f"device:{device.id}" if device else f"address:{remote_address()}"


def request_source() -> str:
    """This request's place, as a keyed digest for counting what it sent (requests,
    comments, sign-ups): the kiosk or address, and the browser."""
    return source_digest(
        current_app.config["SECRET_KEY"], rating_key(), request.headers.get("User-Agent", "")
    )


def rating_limit() -> str:
    return current_app.config["RATING_RATE_LIMIT"]


def _rateable(utility_slug: str, item_slug: str) -> Item:
    item = catalogue.find_item(utility_slug, item_slug) or abort(404)
    if item.status == ItemStatus.RETIRED or catalogue.current_revision(item) is None:
        abort(404)
    return item


def _page(item: Item, step: str, status: int = 200, **context):
    revision = catalogue.current_revision(item)
    response = render_view(
        "public/rate",
        status=status,
        title=gettext("Rate this service"),
        back_url=url_for("public.item_detail", utility_slug=item.utility.slug, item_slug=item.slug),
        item=item,
        item_name=name_of(revision.content) if revision else item.code,
        step=step,
        levels=taking.LEVELS,
        bad_levels=taking.BAD_LEVELS,
        reasons=taking.REASONS,
        comment_max=taking.COMMENT_MAX,
        **context,
    )
    # Each answer is this browser's own: never kept by a cache or a service worker.
    response.cache_control.no_store = True
    return response


def _token_hash() -> str | None:
    token = request.cookies.get(RATER_COOKIE)
    return taking.rater_hash(token) if token else None


def _channel() -> str:
    return taking.KIOSK if kiosk_device() else taking.PHONE


@public_bp.get("/u/<utility_slug>/<item_slug>/rate")
def item_rate(utility_slug: str, item_slug: str):
    item = _rateable(utility_slug, item_slug)
    token_hash = _token_hash()
    if token_hash and taking.has_rated(item, token_hash, _channel()):
        return _page(item, "already")
    # ?level= comes from the choices on a page seen without scripts: a bad one asks why.
    chosen = taking.read_form(request.args.get("level"), [], "", "")
    if chosen.level is not None:
        return _page(item, "why" if chosen.is_bad else "confirm", form=chosen)
    return _page(item, "ask")


@public_bp.post("/u/<utility_slug>/<item_slug>/rate")
@limiter.limit(rating_limit, key_func=rating_key)
def item_rate_send(utility_slug: str, item_slug: str):
    item = _rateable(utility_slug, item_slug)
    form = taking.read_form(
        request.form.get("level"),
        request.form.getlist("reason"),
        request.form.get("comment", ""),
        request.form.get("phone", ""),
    )
    if "level" in form.problems:
        return _page(item, "ask", problems={"level": PROBLEMS["level"]()})
    asked_why = request.form.get("step") == "why"
    if form.is_bad and not asked_why:
        return _page(item, "why", form=taking.RatingForm(level=form.level))
    if form.problems:
        messages = {name: PROBLEMS[code]() for name, code in form.problems.items()}
        return _page(item, "why", form=form, problems=messages)
    token = request.cookies.get(RATER_COOKIE) or secrets.token_urlsafe(24)
    token_hash = taking.rater_hash(token)
    channel = _channel()
    if taking.has_rated(item, token_hash, channel):
        return _page(item, "already")
    rating = taking.record_rating(
        item,
        catalogue.current_revision(item),
        form,
        channel,
        token_hash,
        device=kiosk_device(),
    )
    db.session.commit()
    response = _page(
        item,
        "thanks",
        rating=rating,
        case=rating.case,
        deadline_basis=cases.DEADLINE_BASIS,
    )
    response.set_cookie(
        RATER_COOKIE, token, max_age=RATER_COOKIE_MAX_AGE, httponly=True, samesite="Lax"
    )
    return response


@public_bp.errorhandler(429)
def too_many_ratings(error):
    if request.endpoint != "public.item_rate":  # a 429 elsewhere gets the common page
        return problem_page(error)
    return render_view(
        "public/rate_busy",
        status=429,
        title=gettext("Rate this service"),
        back_url=url_for("public.home"),
    )


@dataclass(frozen=True)
class RatingInvite:
    """What the end of an item page needs to ask for a rating, and the item's published
    rectifications."""

    item: Item
    url: str
    qr: Markup
    levels: tuple[int, ...]
    bad_levels: frozenset[int]
    rectifications: list[cases.PublishedRectification]


def rating_invite(item: Item) -> RatingInvite:
    """The rating question for an item page, with a QR code to rate on one's own phone."""
    path = url_for("public.item_rate", utility_slug=item.utility.slug, item_slug=item.slug)
    lang = str(get_locale())
    link = f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}{path}?lang={lang}"
    return RatingInvite(
        item=item,
        url=path,
        # The caption says what the code is for; to a screen reader the picture says nothing.
        qr=Markup(qr_svg(link, "M").replace('role="img"', 'aria-hidden="true"', 1)),
        levels=taking.LEVELS,
        bad_levels=taking.BAD_LEVELS,
        rectifications=cases.published_for_item(item.id),
    )
