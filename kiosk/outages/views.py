"""Routes of outage notices for residents: /outages, /outages/<id> and /outages.atom."""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, request, url_for
from flask_babel import get_locale, gettext

from kiosk import caching
from kiosk.caching import cached_page
from kiosk.htmx import render_view
from kiosk.outages import outages_bp
from services import clock
from services.db import db
from services.outages import queries as outages
from services.outages.models import Outage
from services.outages.presenting import outage_view, outage_views

FEED_ENTRIES = 50
HISTORY_ROWS = 100


def district_choice(known: list[str]) -> str | None:
    """?district=, if it names a district that outages mention."""
    district = request.args.get("district") or None
    return district if district in known else None


@outages_bp.get("/outages")
@cached_page(reads=("district", "state"))
def outage_list():
    now = clock.now()
    locale = str(get_locale())
    known = outages.known_districts(now)
    district = district_choice(known)
    ended = request.args.get("state") == "ended"
    caching.changes_at(outages.next_transition(now))
    if ended:
        sections = [
            (
                outages.State.ENDED,
                outages.listed_outages(now, outages.State.ENDED, district)[:HISTORY_ROWS],
            )
        ]
    else:
        sections = [
            (state, outages.listed_outages(now, state, district))
            for state in (outages.State.ONGOING, outages.State.COMING)
        ]
    return render_view(
        "outages/outage_list",
        title=gettext("Outages"),
        back_url=url_for("public.home"),
        sections=[(state, outage_views(rows, locale, now)) for state, rows in sections],
        districts=known,
        district=district,
        ended=ended,
    )


@outages_bp.get("/outages/<int:outage_id>")
@cached_page
def outage_detail(outage_id: int):
    outage = db.session.get(Outage, outage_id) or abort(404)
    now = clock.now()
    caching.changes_at(outages.next_change([outage], now))
    view = outage_view(outage, str(get_locale()), now)
    return render_view(
        "outages/outage_detail",
        title=gettext("Outage notice"),
        back_url=url_for("outages.outage_list"),
        view=view,
        print_url=url_for("notices.outage_print", outage_id=outage.id, lang=str(get_locale())),
    )


@outages_bp.get("/outages.atom")
def outage_feed():
    now = clock.now()
    rows = outages.latest_outages(FEED_ENTRIES)
    views = outage_views(rows, str(get_locale()), now)
    newest = max((u.occurred_at for o in rows for u in o.updates), default=clock.utcnow())
    body = render_template(
        "outages/outages.atom.xml",
        views=views,
        updated=newest.isoformat() + "Z",
        city=current_app.config["CITY_NAME"],
    )
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response
