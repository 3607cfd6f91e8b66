"""Routes of the read-only API: the published catalogue as JSON, CSV, XLSX and Open311."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import abort, current_app, request, url_for

from kiosk import caching
from kiosk.api import api_bp, formats, openapi
from kiosk.api.openapi import CHANGE_SUBJECTS, MAX_ID
from kiosk.api.params import choice, day, listing, moment, paging, single
from kiosk.caching import cached_page
from kiosk.labels import label
from services import clock
from services.catalogue import queries as catalogue
from services.db import db
from services.hearings import queries as hearing_queries
from services.hearings.records import hearing_data
from services.models import Channel, Hall, Hearing, Item, LegalBasis, Outage, Revision, Utility
from services.open_data import exports as open_data_exports
from services.open_data import records as open_data
from services.outages import queries as outage_queries
from services.outages.records import outage_data
from services.ratings import results as ratings_results

MONTH = re.compile(r"(20[0-9]{2}|2100)-(0[1-9]|1[0-2])")

KINDS = ("service", "tariff")


@api_bp.after_request
def revalidation_and_sharing(response):
    """Every successful read has an ETag, and a matching revalidation gets a 304."""
    if (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not response.get_etag()[0]
    ):
        response.add_etag()  # an answer the page cache did not keep (and so did not tag)
        response.cache_control.no_cache = True
        response.make_conditional(request)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def external(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, **values, _external=True)


def utility_links(utility: Utility) -> dict[str, str]:
    return {
        "self": external("api.utility", slug=utility.slug),
        "page": external("public.utility_detail", utility_slug=utility.slug),
        "items": external("api.items", utility=utility.slug),
    }


def item_links(item: Item, revision: Revision) -> dict[str, str]:
    return {
        "self": external("api.item", code=item.code),
        "page": external("public.item_detail", utility_slug=item.utility.slug, item_slug=item.slug),
        "revisions": external("api.item_revisions", code=item.code),
        "revision": external("api.revision", revision_id=revision.id),
    }


def revision_links(revision: Revision) -> dict[str, str]:
    return {
        "self": external("api.revision", revision_id=revision.id),
        "permalink": external("public.revision_permalink", revision_id=revision.id),
        "item": external("api.item", code=revision.item.code),
    }


def found(model: type, key: str, value: str, what: str) -> Any:
    # PostgreSQL refuses text with NUL in it; no slug or code has one.
    row = None if "\x00" in value else open_data.lookup(model, key, value)
    return row or abort(404, description=f"No {what} '{value[:120]}'.")


def utility_filter() -> Utility | None:
    slug = single("utility")
    return None if slug is None else found(Utility, "slug", slug, "utility")


@api_bp.get("/v1/")
@cached_page
def index():
    collections = ("utilities", "items", "fee_tables", "legal_bases", "channels", "halls")
    return {
        "data": {
            "name": f"{current_app.config['CITY_NAME']} public services open data",
            "collections": {name: external(f"api.{name}") for name in collections}
            | {"outages": external("api.outage_list"), "hearings": external("api.hearing_list")},
            "changes": external("api.changes"),
            "catalogue_changes": external("api.catalogue_changes"),
            "changes_feed": external("public.changes_feed"),  # Atom, for feed readers
            "outages_feed": external("outages.outage_feed"),
            "hearings_feed": external("hearings.hearing_feed"),
            "openapi": external("api.openapi_document"),
            "exports": {
                "catalogue_csv": external("api.export", name="catalogue", extension="csv"),
                "fees_csv": external("api.export", name="fees", extension="csv"),
                "catalogue_xlsx": external("api.export", name="catalogue", extension="xlsx"),
            },
            "open311": external("api.open311_services", extension="json"),
            "results": external("api.results_json"),
        }
    }


@api_bp.get("/v1/openapi.json")
@cached_page
def openapi_document():
    return openapi.document(current_app.config["CITY_NAME"])


@api_bp.get("/v1/utilities")
@cached_page(reads=("page", "per_page"))
def utilities():
    result = open_data.page_of(open_data.utilities_query(), *paging())
    return listing(
        result, [open_data.utility_data(u) | {"links": utility_links(u)} for u in result.rows]
    )


@api_bp.get("/v1/utilities/<slug>")
@cached_page
def utility(slug: str):
    found_utility = found(Utility, "slug", slug, "utility")
    return {"data": open_data.utility_data(found_utility) | {"links": utility_links(found_utility)}}


def items_in_force_page():
    on, kind, owner = day(), choice("kind", KINDS), utility_filter()
    result = open_data.page_of(open_data.items_in_force_query(on, owner, kind), *paging())
    return result, open_data.items_with_revisions(result.rows, on)


@api_bp.get("/v1/items")
@cached_page(reads=("on", "kind", "utility", "page", "per_page"))
def items():
    result, pairs = items_in_force_page()
    data = [open_data.item_data(i, r) | {"links": item_links(i, r)} for i, r in pairs]
    return listing(result, data)


@api_bp.get("/v1/items/<code>")
@cached_page(reads=("on",))
def item(code: str):
    found_item = found(Item, "code", code, "item")
    on = day()
    pairs = open_data.items_with_revisions([found_item], on)
    if not pairs:
        abort(404, description=f"Item '{code}' had no published version in force on {on}.")
    revision = pairs[0][1]
    upcoming = catalogue.upcoming_revision(found_item, on)
    data = open_data.item_data(found_item, revision) | {
        "as_of": on.isoformat(),
        "revision": open_data.revision_data(revision) | {"links": revision_links(revision)},
        "upcoming": None if upcoming is None else open_data.revision_summary(upcoming),
        "links": item_links(found_item, revision),
    }
    return {"data": data}


@api_bp.get("/v1/items/<code>/revisions")
@cached_page(reads=("page", "per_page"))
def item_revisions(code: str):
    found_item = found(Item, "code", code, "item")
    result = open_data.page_of(open_data.public_revisions_query(found_item), *paging())
    data = [open_data.revision_summary(r) | {"links": revision_links(r)} for r in result.rows]
    return listing(result, data)


@api_bp.get(f"/v1/revisions/<int(min=1, max={MAX_ID}):revision_id>")
@cached_page
def revision(revision_id: int):
    found_revision = open_data.public_revision(revision_id) or abort(
        404, description=f"No published revision {revision_id}."
    )
    links = revision_links(found_revision)
    return {"data": open_data.revision_data(found_revision) | {"links": links}}


@api_bp.get("/v1/fee-tables")
@cached_page(reads=("on", "kind", "utility", "page", "per_page"))
def fee_tables():
    result, pairs = items_in_force_page()
    bases = open_data.approved_bases()
    data = [open_data.fee_table_data(i, r, bases) | {"links": item_links(i, r)} for i, r in pairs]
    return listing(result, data)


@api_bp.get("/v1/legal-bases")
@cached_page(reads=("page", "per_page"))
def legal_bases():
    result = open_data.page_of(open_data.bases_query(), *paging())
    return listing(result, [open_data.basis_data(b) for b in result.rows])


@api_bp.get("/v1/legal-bases/<code>")
@cached_page
def legal_basis(code: str):
    return {"data": open_data.basis_data(found(LegalBasis, "code", code, "legal basis"))}


@api_bp.get("/v1/channels")
@cached_page(reads=("page", "per_page"))
def channels():
    result = open_data.page_of(open_data.channels_query(), *paging())
    return listing(result, [open_data.channel_data(c) for c in result.rows])


@api_bp.get("/v1/channels/<code>")
@cached_page
def channel(code: str):
    return {"data": open_data.channel_data(found(Channel, "code", code, "channel"))}


@api_bp.get("/v1/halls")
@cached_page(reads=("page", "per_page"))
def halls():
    result = open_data.page_of(open_data.halls_query(), *paging())
    return listing(result, [open_data.hall_data(h) for h in result.rows])


@api_bp.get("/v1/halls/<slug>")
@cached_page
def hall(slug: str):
    return {"data": open_data.hall_data(found(Hall, "slug", slug, "hall"))}


@api_bp.get("/v1/changes")
@cached_page(reads=("since", "utility", "page", "per_page"))
def changes():
    since, owner = moment("since"), utility_filter()
    result = open_data.page_of(open_data.changes_query(since, owner), *paging())
    data = [open_data.change_data(r) | {"links": revision_links(r)} for r in result.rows]
    return listing(result, data)


def catalogue_change_links(change) -> dict[str, str | None]:
    link = change.link or {}
    if link.get("item"):
        page = external("public.item_detail", utility_slug=link["utility"], item_slug=link["item"])
    elif link.get("utility"):
        page = external("public.utility_detail", utility_slug=link["utility"])
    else:
        page = None
    return {"page": page}


@api_bp.get("/v1/catalogue-changes")
@cached_page(reads=("since", "utility", "subject", "page", "per_page"))
def catalogue_changes():
    since, owner = moment("since"), utility_filter()
    subject = choice("subject", CHANGE_SUBJECTS)
    result = open_data.page_of(open_data.catalogue_changes_query(since, owner, subject), *paging())
    codes = open_data.item_codes_of(result.rows)
    data = [
        open_data.catalogue_change_data(c, codes) | {"links": catalogue_change_links(c)}
        for c in result.rows
    ]
    return listing(result, data)


@api_bp.get("/v1/exports/<any(catalogue, fees):name>.<any(csv, xlsx):extension>")
@cached_page(reads=("on",))
def export(name: str, extension: str):
    if (name, extension) == ("fees", "xlsx"):
        abort(404, description="The fee tables are a sheet of catalogue.xlsx.")
    on = day()

    def page_url(item: Item) -> str:
        return external("public.item_detail", utility_slug=item.utility.slug, item_slug=item.slug)

    items, fees = open_data_exports.catalogue_tables(on, page_url)
    stem = f"gongshi-{name}-{on.isoformat()}"
    if extension == "xlsx":
        sheets = [
            ("items", open_data_exports.ITEM_COLUMNS, items),
            ("fees", open_data_exports.FEE_COLUMNS, fees),
        ]
        return formats.download(formats.xlsx_bytes(sheets), f"{stem}.xlsx", formats.XLSX)
    header, rows = (
        (open_data_exports.ITEM_COLUMNS, items)
        if name == "catalogue"
        else (open_data_exports.FEE_COLUMNS, fees)
    )
    return formats.download(formats.csv_bytes(header, rows), f"{stem}.csv", formats.CSV)


def results_asked():
    """The results for ?utility= (city-wide without) and ?month=YYYY-MM (default this month)."""
    owner = utility_filter()
    raw = single("month")
    month = None
    if raw is not None:
        match = MONTH.fullmatch(raw)
        if not match:
            abort(400, description="'month' must be a month written YYYY-MM, 2000 to 2100.")
        month = date(int(match[1]), int(match[2]), 1)
    return owner, ratings_results.results(owner, month)


def result_figures(figures: ratings_results.Figures) -> dict[str, Any]:
    def number(value):
        return None if value is None else float(value)

    return {
        "very_satisfied": figures.levels[5],
        "satisfied": figures.levels[4],
        "fairly_satisfied": figures.levels[3],
        "dissatisfied": figures.levels[2],
        "very_dissatisfied": figures.levels[1],
        "ratings": figures.total,
        "satisfaction_rate_percent": number(figures.satisfaction_rate),
        "bad_reviews": figures.bad,
        "rectified_on_time": figures.rectified_on_time,
        "overdue": figures.overdue,
        "received": figures.received,
        "completed": figures.completed,
        "completed_on_time": figures.completed_on_time,
        "average_working_days": number(figures.average_working_days),
    }


@api_bp.get("/v1/results")
def results_json():
    owner, found_results = results_asked()
    return {
        "data": {
            "month": found_results.month.strftime("%Y-%m"),
            "utility": owner.slug if owner else None,
            "months": [
                {"month": month.strftime("%Y-%m")} | result_figures(figures)
                for month, figures in found_results.months
            ],
            "items": [
                {"item": line.item.code, "utility": line.utility.slug, "name": line.name}
                | result_figures(line.figures)
                for line in found_results.items
            ],
        }
    }


@api_bp.get("/v1/exports/results.<any(csv, xlsx):extension>")
def results_export(extension: str):
    owner, found_results = results_asked()
    rows = ratings_results.result_rows(found_results)
    stem = "gongshi-results-" + (f"{owner.slug}-" if owner else "")
    stem += found_results.month.strftime("%Y-%m")
    if extension == "xlsx":
        sheets = [("results", ratings_results.COLUMNS, rows)]
        return formats.download(formats.xlsx_bytes(sheets), f"{stem}.xlsx", formats.XLSX)
    body = formats.csv_bytes(ratings_results.COLUMNS, rows)
    return formats.download(body, f"{stem}.csv", formats.CSV)


@api_bp.get("/open311/v2/services.<any(json, xml):extension>")
@cached_page(reads=("on", "lang"))
def open311_services(extension: str):
    locale = choice("lang", tuple(current_app.config["LANGUAGES"])) or "zh_Hans"
    services = open_data_exports.open311_services(
        day(), locale, lambda sector: str(label("sector", sector))
    )
    if extension == "xml":
        return formats.open311_xml(services), 200, {"Content-Type": formats.XML}
    return services


def outage_links(outage: Outage) -> dict[str, str]:
    return {
        "self": external("api.outage", outage_id=outage.id),
        "page": external("outages.outage_detail", outage_id=outage.id),
        "notice_pdf": external("notices.outage_print", outage_id=outage.id),
    }


@api_bp.get("/v1/outages")
@cached_page(reads=("state", "district", "utility", "page", "per_page"))
def outage_list():
    state = choice("state", tuple(s.value for s in outage_queries.State))
    district, owner = single("district"), utility_filter()
    now = clock.now()
    caching.changes_at(outage_queries.next_transition(now))
    rows = outage_queries.all_outages(
        now, outage_queries.State(state) if state else None, district, owner
    )
    page, per_page = paging()
    shown = rows[(page - 1) * per_page : page * per_page]
    result = open_data.Page(shown, len(rows), page, per_page)
    data = [outage_data(o, now) | {"links": outage_links(o)} for o in shown]
    return listing(result, data)


@api_bp.get(f"/v1/outages/<int(min=1, max={MAX_ID}):outage_id>")
@cached_page
def outage(outage_id: int):
    found_outage = db.session.get(Outage, outage_id) or abort(
        404, description=f"No outage {outage_id}."
    )
    now = clock.now()
    caching.changes_at(outage_queries.next_change([found_outage], now))
    return {"data": outage_data(found_outage, now) | {"links": outage_links(found_outage)}}


def hearing_links(hearing: Hearing) -> dict[str, str]:
    return {
        "self": external("api.hearing", hearing_id=hearing.id),
        "page": external("hearings.hearing_detail", hearing_id=hearing.id),
    }


@api_bp.get("/v1/hearings")
@cached_page(reads=("utility", "page", "per_page"))
def hearing_list():
    owner, now = utility_filter(), clock.now()
    rows = hearing_queries.all_hearings(owner)
    caching.changes_at(hearing_queries.next_stage_change(rows, now))
    page, per_page = paging()
    shown = rows[(page - 1) * per_page : page * per_page]
    result = open_data.Page(shown, len(rows), page, per_page)
    return listing(result, [hearing_data(h, now) | {"links": hearing_links(h)} for h in shown])


@api_bp.get(f"/v1/hearings/<int(min=1, max={MAX_ID}):hearing_id>")
@cached_page
def hearing(hearing_id: int):
    found_hearing = db.session.get(Hearing, hearing_id) or abort(
        404, description=f"No hearing {hearing_id}."
    )
    now = clock.now()
    caching.changes_at(hearing_queries.next_stage_change([found_hearing], now))
    return {"data": hearing_data(found_hearing, now) | {"links": hearing_links(found_hearing)}}
