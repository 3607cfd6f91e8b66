"""The kiosk's search page: typed on the on-screen keyboard, results updated as it is typed."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import get_locale, gettext

from kiosk.caching import cached_page, remembered
from kiosk.htmx import render_view
from kiosk.public import public_bp
from services.catalogue import queries as catalogue
from services.db import db
from services.search.index import search_catalogue
from services.search.matching import load_search_index


@public_bp.get("/search")
@cached_page  # kiosks repeat the same few searches
def search():
    query = request.args.get("q", "")
    index = remembered("search index", load_search_index)
    results = search_catalogue(query, str(get_locale()), index=index)
    if results.refreshed:
        db.session.commit()  # entries whose scheduled revision took effect were rebuilt
    nothing_found = bool(results.query) and not results.total
    return render_view(
        "public/search",
        title=gettext("Search"),
        back_url=url_for("public.home"),
        query=query.strip(),
        results=results,
        # With nothing found, the way on is to browse by provider or to call 12345.
        utilities=catalogue.list_utilities() if nothing_found else [],
    )
