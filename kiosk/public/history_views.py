"""The public history of published changes: per item, city-wide, and as an Atom feed."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, make_response, render_template, request, url_for
from flask_babel import gettext

from kiosk.field_labels import field_label, value_label
from kiosk.htmx import render_view
from kiosk.public import public_bp
from services.catalogue import queries as catalogue
from services.clock import today, utcnow
from services.publishing import history

# How far back /changes looks when no ?since= is given, and how much the feed carries.
DEFAULT_SPAN = timedelta(days=90)
FEED_SPAN = timedelta(days=365)
FEED_ENTRIES = 50


@public_bp.get("/u/<utility_slug>/<item_slug>/history")
def item_history(utility_slug: str, item_slug: str):
    item = catalogue.find_item(utility_slug, item_slug) or abort(404)
    changes = history.item_history(item)
    if not changes:
        abort(404)
    return render_view(
        "public/history",
        title=gettext("History of changes"),
        back_url=url_for("public.utility_detail", utility_slug=utility_slug),
        utility=item.utility,
        changes=changes,
        field_label=field_label,
        value_label=value_label,
    )


def _since() -> date:
    try:
        return date.fromisoformat(request.args.get("since", ""))
    except ValueError:
        return today() - DEFAULT_SPAN


@public_bp.get("/changes")
def changes():
    since = _since()
    return render_view(
        "public/changes",
        title=gettext("Changes"),
        back_url=url_for("public.home"),
        since=since,
        changes=history.changes_since(since),
        field_label=field_label,
        value_label=value_label,
    )


@public_bp.get("/changes.atom")
def changes_feed():
    entries = history.changes_since(today() - FEED_SPAN, limit=FEED_ENTRIES)
    newest = entries[0].revision.published_at if entries else utcnow()
    body = render_template(
        "public/changes.atom.xml", changes=entries, updated=newest.isoformat() + "Z"
    )
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response
