"""The board page, and the poll that answers 304 until something on the screen changes."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, make_response, render_template, url_for
from flask_babel import format_date, get_locale, gettext

from kiosk.board import board_bp
from kiosk.board.versions import board_time, minute_end
from kiosk.caching import cached_page, tagged
from services import clock
from services.catalogue import halls
from services.catalogue import queries as catalogue
from services.catalogue.complaints import complaint_routes
from services.catalogue.reference import load_reference
from services.content.checks import basis_refs
from services.devices import board
from services.fees.tariffs import fee_views
from services.models import Hall
from services.notices.render import hall_by_slug

# How often a board asks whether its screen changed: a publish shows within this plus the
# catalogue's recheck interval (kiosk.caching), well under ten seconds.
POLL_SECONDS = 4


def board_context(hall: Hall, locale: str) -> dict:
    """What the board's templates need: the board, and each tariff's fees with their bases."""
    content = board.board_for(hall, clock.now(), locale)
    tariffs = [slide for slide in content.slides if slide.kind == "tariffs"]
    fee_lists = [slide for slide in content.slides if slide.kind in ("tariffs", "fees")]
    codes = [ref["code"] for slide in tariffs for _path, ref in basis_refs(slide.content)]
    codes += [
        ref["code"]
        for slide in content.slides
        if slide.kind == "fees"
        for row in slide.rows
        for _path, ref in basis_refs({"fees": [row.fee]})
    ]
    channels = load_reference().channels.values()
    return {
        "board": content,
        "hall": hall,
        "fee_views": {slide.key: fee_views(slide.content) for slide in tariffs},
        "bases": catalogue.bases_by_code(codes),
        # Every fee list starts with where to ask or complain about it.
        "complaints": {slide.key: complaint_routes(slide.utility, channels) for slide in fee_lists},
        "poll_url": url_for("board.poll", hall_slug=hall.slug, lang=locale),
    }


def etag_for(version: str, locale: str) -> str:
    return f"{locale}-{version}"


def stamped(response: Response) -> Response:
    # The board's clock and its "as of" time follow the server's clock, not the screen's.
    response.headers["X-Board-Time"] = str(int(clock.now().timestamp() * 1000))
    response.cache_control.no_store = True
    return response


@board_bp.get("/board/<hall_slug>")
def board_page(hall_slug: str):
    hall = hall_by_slug(hall_slug) or abort(404)
    locale = str(get_locale())
    context = board_context(hall, locale)
    body = render_template(
        "board/board.html",
        **context,
        poll_seconds=POLL_SECONDS,
        etag=etag_for(context["board"].version, locale),
        now=clock.now(),
        time_zone=clock.city_zone().key,
    )
    return stamped(make_response(body))


@board_bp.get("/board/<hall_slug>/poll")
@cached_page(until=minute_end, live=board_time)
def poll(hall_slug: str):
    """The board's content; 304 Not Modified while the version the board holds is current."""
    hall = hall_by_slug(hall_slug) or abort(404)
    locale = str(get_locale())
    context = board_context(hall, locale)
    body = render_template("board/_content.html", **context)
    response = tagged(make_response(body), etag_for(context["board"].version, locale))
    return stamped(response)


def period_text(period: halls.Period) -> str:
    """09:00–17:00; a period that runs to midnight ends at 24:00."""
    closes = period.closes.strftime("%H:%M")
    if closes == "00:00" and period.closes.date() > period.opens.date():
        closes = "24:00"
    return f"{period.opens:%H:%M}–{closes}"


def opening_text(moment: datetime) -> str:
    """When the hall opens next, in words: today, tomorrow, or the date, with the time."""
    days = (moment.date() - clock.today()).days
    time = f"{moment:%H:%M}"
    if days == 0:
        return gettext("today at %(time)s", time=time)
    if days == 1:
        return gettext("tomorrow at %(time)s", time=time)
    return gettext("%(date)s at %(time)s", date=format_date(moment.date(), "full"), time=time)
