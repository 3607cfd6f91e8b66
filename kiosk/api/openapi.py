"""The OpenAPI 3.1 document of the read-only API; revision content reuses the content schema."""

from __future__ import annotations

import re
from typing import Any

from services.content.schema import BASIS_REF, CONTENT_SCHEMA, FEE, HOURS
from services.hearings.models import HearingKind
from services.hearings.queries import Stage
from services.models import ChannelKind, ChannelRole, ItemKind, ItemStatus, Nature, Sector
from services.outages.models import OutageKind, UpdateKind
from services.outages.queries import State
from services.requests.report import COLUMNS as report_columns

# What a catalogue change (not a new revision) can be about, and what can happen to it.
CHANGE_SUBJECTS = ("utility", "channel", "hall", "item", "basis")
CHANGE_ACTIONS = ("created", "changed", "suspended", "resumed", "retired", "repealed")
MAX_PER_PAGE = 100
MAX_PAGE = 100_000
MAX_ID = 2**31 - 1

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
MAYBE_DATE = {"type": ["string", "null"], "format": "date"}
MAYBE_MOMENT = {"type": ["string", "null"], "format": "date-time"}
MOMENT = {"type": "string", "format": "date-time"}
MAYBE_INTEGER = {"type": ["integer", "null"]}
# The counts of the information requests report, beside its year and utility.
REQUEST_REPORT_COUNTS = [name for name in report_columns if name not in ("year", "utility")]
LINK = {"type": "string", "format": "uri"}
MAYBE_LINK = {"type": ["string", "null"], "format": "uri"}
# Slugs and codes are written with URL-safe characters only.
IDENTIFIER = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._~-]{0,119}$"}
TRANSLATIONS = {"type": "object", "description": "Names in other languages, keyed by locale."}
TEXTS = {"type": "array", "items": STRING}


MAYBE_STRING = {"type": ["string", "null"]}
# Where one time limit of the content comes from: a law (its basis by title, 文号 and
# article) or the provider's own promise; kind null where it was never recorded.
TIME_LIMIT_SOURCE = {
    "type": "object",
    "required": ["field", "kind", "basis", "title", "doc_number", "article"],
    "additionalProperties": False,
    "properties": {
        "field": STRING,
        "kind": {"type": ["string", "null"], "enum": ["law", "promise", None]},
        "basis": MAYBE_STRING,
        "title": MAYBE_STRING,
        "doc_number": MAYBE_STRING,
        "article": MAYBE_STRING,
    },
}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def record(required: list[str], properties: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """An object schema: these properties required, `optional` ones allowed, nothing else."""
    return {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": properties | optional,
    }


def strict(properties: dict[str, Any], **optional: Any) -> dict[str, Any]:
    return record(list(properties), properties, **optional)


def links(*names: str) -> dict[str, Any]:
    return strict({name: LINK for name in names})


def values(enum_class) -> dict[str, Any]:
    return {"type": "string", "enum": [member.value for member in enum_class]}


REVISION_SUMMARY = {
    "id": INTEGER,
    "number": INTEGER,
    "status": {"type": "string", "enum": ["published", "superseded"]},
    "effective_from": DATE,
    "effective_to": MAYBE_DATE,
    "published_at": MAYBE_MOMENT,
    "change_summary": STRING,
    "is_major": BOOLEAN,
}
REVISION_LINKS = links("self", "permalink", "item")
ITEM_FIELDS = {
    "code": STRING,
    "slug": STRING,
    "kind": values(ItemKind),
    "category": STRING,
    "status": values(ItemStatus),
    "utility": STRING,
    "name": STRING,
    "revision": ref("RevisionSummary"),
    "links": links("self", "page", "revisions", "revision"),
}


MAYBE_INTEGER = {"type": ["integer", "null"]}
MAYBE_NUMBER = {"type": ["number", "null"]}
# A month of published results (办事结果公开): ratings by level, bad reviews and their cases,
# and the handling figures the provider loaded (null where none were loaded).
RESULT_FIGURES = {
    "very_satisfied": INTEGER,
    "satisfied": INTEGER,
    "fairly_satisfied": INTEGER,
    "dissatisfied": INTEGER,
    "very_dissatisfied": INTEGER,
    "ratings": INTEGER,
    "satisfaction_rate_percent": MAYBE_NUMBER,
    "bad_reviews": INTEGER,
    "rectified_on_time": INTEGER,
    "overdue": INTEGER,
    "received": MAYBE_INTEGER,
    "completed": MAYBE_INTEGER,
    "completed_on_time": MAYBE_INTEGER,
    "average_working_days": MAYBE_NUMBER,
}
MONTH = {"type": "string", "pattern": "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$"}
# The twelve months up to one asked for may begin in an earlier century.
MONTH_VALUE = {"type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}


# A tariff's notice facts with its price document (and disclosure rule) named by 文号.
NOTICE_DOCUMENT = strict(
    {
        "code": STRING,
        "article": STRING,
        "doc_number": STRING,
        "title": STRING,
        "issuer": STRING,
        "issued_on": MAYBE_DATE,
    }
)
PRICE_NOTICE = strict(
    {
        "document": {"anyOf": [NOTICE_DOCUMENT, {"type": "null"}]},
        "effective_on": MAYBE_DATE,
        "published_on": MAYBE_DATE,
        "scope": STRING,
        "collector": STRING,
        "collected_for": STRING,
        "disclosure": {
            "anyOf": [
                strict(
                    {
                        "value": INTEGER,
                        "unit": {"type": "string", "enum": ["working_days", "calendar_days"]},
                        "basis": NOTICE_DOCUMENT,
                    }
                ),
                {"type": "null"},
            ]
        },
    }
)


def cited(schema: Any) -> Any:
    """The fee schema with each basis reference also carrying its 文号 and title."""
    if isinstance(schema, dict):
        if schema.get("required") == BASIS_REF["required"] and "article" in schema.get(
            "properties", {}
        ):
            return BASIS_REF | {
                "required": ["code", "doc_number", "title"],
                "properties": BASIS_REF["properties"] | {"doc_number": STRING, "title": STRING},
            }
        return {key: cited(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [cited(value) for value in schema]
    return schema


def schemas() -> dict[str, Any]:
    content = {key: value for key, value in CONTENT_SCHEMA.items() if key != "$schema"}
    revision = strict(
        REVISION_SUMMARY
        | {
            "item": STRING,
            "utility": STRING,
            "content": ref("RevisionContent"),
            "price_notice": {"anyOf": [ref("PriceNotice"), {"type": "null"}]},
            "time_limit_sources": {"type": "array", "items": TIME_LIMIT_SOURCE},
        },
        links=REVISION_LINKS,
    )
    found = {
        f"{name}Response": strict({"data": ref(name)})
        for name in (
            "Utility",
            "ItemDetail",
            "Revision",
            "LegalBasis",
            "Channel",
            "Hall",
            "Outage",
            "Hearing",
        )
    }
    pages = {
        f"{name}Page": strict(
            {
                "data": {"type": "array", "items": ref(name)},
                "meta": ref("PageMeta"),
                "links": ref("PageLinks"),
            }
        )
        for name in (
            "Utility",
            "Item",
            "RevisionSummary",
            "FeeTable",
            "LegalBasis",
            "Channel",
            "Hall",
            "Change",
            "CatalogueChange",
            "Outage",
            "Hearing",
        )
    }
    return (
        {
            "Problem": strict(
                {"type": STRING, "title": STRING, "status": INTEGER, "detail": STRING},
            ),
            "PageMeta": strict(
                {"page": INTEGER, "per_page": INTEGER, "total": INTEGER, "pages": INTEGER}
            ),
            "PageLinks": strict(
                {"self": LINK, "first": LINK, "last": LINK, "next": MAYBE_LINK, "prev": MAYBE_LINK}
            ),
            "RevisionContent": content,
            "PriceNotice": PRICE_NOTICE,
            "RevisionSummary": strict(REVISION_SUMMARY, links=REVISION_LINKS),
            "Revision": revision,
            "Utility": strict(
                {
                    "slug": STRING,
                    "name": STRING,
                    "short_name": STRING,
                    "sector": values(Sector),
                    "nature": values(Nature),
                    "address": STRING,
                    "website": STRING,
                    "channels": TEXTS,
                    "translations": TRANSLATIONS,
                    "links": links("self", "page", "items"),
                }
            ),
            "Item": strict(ITEM_FIELDS),
            "ItemDetail": strict(
                ITEM_FIELDS
                | {
                    "as_of": DATE,
                    "revision": revision,
                    "upcoming": {"anyOf": [ref("RevisionSummary"), {"type": "null"}]},
                }
            ),
            "FeeTable": strict(
                ITEM_FIELDS
                | {"fees": {"type": "array", "items": cited(FEE)}, "payment_methods": TEXTS}
            ),
            "LegalBasis": strict(
                {
                    "code": STRING,
                    "title": STRING,
                    "doc_number": STRING,
                    "issuer": STRING,
                    "issued_on": MAYBE_DATE,
                    "effective_on": MAYBE_DATE,
                    "rank": INTEGER,
                    "url": STRING,
                    "translations": TRANSLATIONS,
                }
            ),
            "Channel": strict(
                {
                    "code": STRING,
                    "kind": values(ChannelKind),
                    "kinds": {"type": "array", "items": values(ChannelKind), "minItems": 1},
                    "name": STRING,
                    "phone": STRING,
                    "url": STRING,
                    "hours": STRING,
                    "utility": {"type": ["string", "null"]},
                    "role": {
                        "type": ["string", "null"],
                        "enum": [*values(ChannelRole)["enum"], None],
                    },
                    "sector": {"type": ["string", "null"], "enum": [*values(Sector)["enum"], None]},
                    "translations": TRANSLATIONS,
                }
            ),
            "Hall": strict(
                {
                    "slug": STRING,
                    "name": STRING,
                    "address": STRING,
                    "opening_hours": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": HOURS["required"],
                            "properties": HOURS["properties"],
                        },
                    },
                    "exceptions": {"type": "array", "items": {"type": "object"}},
                    "utilities": TEXTS,
                    "translations": TRANSLATIONS,
                }
            ),
            "Change": strict(
                REVISION_SUMMARY | {"item": STRING, "utility": STRING, "name": STRING},
                links=REVISION_LINKS,
            ),
            "CatalogueChange": strict(
                {
                    "id": INTEGER,
                    "occurred_at": MOMENT,
                    "subject": {"type": "string", "enum": list(CHANGE_SUBJECTS)},
                    "action": {"type": "string", "enum": list(CHANGE_ACTIONS)},
                    "name": STRING,
                    "utility": {"type": ["string", "null"]},
                    "item": {"type": ["string", "null"]},
                    "fields": TEXTS,
                    "note": STRING,
                },
                links=strict({"page": MAYBE_LINK}),
            ),
            "Open311Service": strict(
                {
                    "service_code": STRING,
                    "service_name": STRING,
                    "description": STRING,
                    "metadata": BOOLEAN,
                    "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
                    "keywords": STRING,
                    "group": STRING,
                }
            ),
            "Outage": strict(
                {
                    "id": INTEGER,
                    "utility": STRING,
                    "sector": values(Sector),
                    "kind": values(OutageKind),
                    "state": values(State),
                    "area": STRING,
                    "districts": TEXTS,
                    "streets": TEXTS,
                    "starts_at": MOMENT,
                    "ends_at": MOMENT,
                    "published_at": MOMENT,
                    "cancelled_at": MAYBE_MOMENT,
                    "reason": STRING,
                    "advice": STRING,
                    "channel": {"type": ["string", "null"]},
                    "required_notice_hours": MAYBE_INTEGER,
                    "given_notice_hours": MAYBE_INTEGER,
                    "is_short_notice": BOOLEAN,
                    "updates": {
                        "type": "array",
                        "items": strict(
                            {
                                "kind": values(UpdateKind),
                                "occurred_at": MOMENT,
                                "ends_at": MOMENT,
                                "note": STRING,
                            }
                        ),
                    },
                    "links": links("self", "page", "notice_pdf"),
                }
            ),
            "Hearing": strict(
                {
                    "id": INTEGER,
                    "utility": STRING,
                    "item": STRING,
                    "kind": values(HearingKind),
                    "stage": values(Stage),
                    "title": STRING,
                    "proposal": STRING,
                    "reasons": STRING,
                    "basis": STRING,
                    "held_at": MAYBE_MOMENT,
                    "place": STRING,
                    "how_to_take_part": STRING,
                    "comments_open_at": MOMENT,
                    "comments_close_at": MOMENT,
                    "signup_close_at": MAYBE_MOMENT,
                    "signup_places": MAYBE_INTEGER,
                    "published_at": MOMENT,
                    "draft_tiers": {
                        "type": "array",
                        "items": strict(
                            {
                                "lower": STRING,
                                "upper": {"type": ["string", "null"]},
                                "price": STRING,
                            }
                        ),
                    },
                    "summary": {
                        "anyOf": [
                            strict(
                                {
                                    "published_at": MOMENT,
                                    "comments": INTEGER,
                                    "main_points": STRING,
                                    "accepted": STRING,
                                    "not_accepted": STRING,
                                }
                            ),
                            {"type": "null"},
                        ]
                    },
                    "links": links("self", "page"),
                }
            ),
            "Index": strict({"data": {"type": "object"}}),
            "RequestsReportResponse": strict(
                {
                    "data": strict(
                        {
                            "year": INTEGER,
                            "utilities": {
                                "type": "array",
                                "items": strict(
                                    {"year": INTEGER, "utility": STRING}
                                    | {name: INTEGER for name in REQUEST_REPORT_COUNTS}
                                ),
                            },
                        }
                    )
                }
            ),
            "ResultsResponse": strict(
                {
                    "data": strict(
                        {
                            "month": MONTH,
                            "utility": {"type": ["string", "null"]},
                            "months": {
                                "type": "array",
                                "items": strict({"month": MONTH_VALUE} | RESULT_FIGURES),
                            },
                            "items": {
                                "type": "array",
                                "items": strict(
                                    {"item": STRING, "utility": STRING, "name": STRING}
                                    | RESULT_FIGURES
                                ),
                            },
                        }
                    )
                }
            ),
        }
        | found
        | pages
    )


def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def path(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
    }


PARAMETERS = {
    "page": query(
        "page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number, from 1."
    ),
    "per_page": query(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 50},
        f"Rows per page, at most {MAX_PER_PAGE}.",
    ),
    "on": query("on", DATE, "Show what was in force on this date (city time); default today."),
    "kind": query("kind", values(ItemKind), "Only services or only tariffs."),
    "utility": query("utility", {"type": "string", "minLength": 1}, "Only this utility (slug)."),
    "since": query(
        "since",
        {"anyOf": [DATE, {"type": "string", "format": "date-time"}]},
        "Only changes published at or after this time (a bare date is city time).",
    ),
    "state": query(
        "state", values(State), "Only outages in this state now: ongoing, coming or ended."
    ),
    "subject": query(
        "subject",
        {"type": "string", "enum": list(CHANGE_SUBJECTS)},
        "Only changes to providers, hotlines, halls, items or legal bases.",
    ),
    "district": query("district", STRING, "Only outages naming this district."),
    "year": query(
        "year",
        {"type": "integer", "minimum": 2000, "maximum": 2100},
        "The year (YYYY) of the report; default this year.",
    ),
    "month": query(
        "month", MONTH, "The month (YYYY-MM) whose per-item lines are given; default this month."
    ),
    "lang": query(
        "lang",
        {"type": "string", "enum": ["zh_Hans", "zh_Hant", "en"]},
        "Language of names and descriptions; default Simplified Chinese.",
    ),
}
PAGED = ["page", "per_page"]
ETAG = {
    "ETag": {
        "description": "Send it back in If-None-Match to get 304 when unchanged.",
        "schema": STRING,
    }
}
LINK_HEADER = {
    "Link": {
        "description": "RFC 8288 links to the first, last, next and previous pages.",
        "schema": STRING,
    }
}


def problem(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": ref("Problem")}},
    }


def operation(
    summary: str,
    schema: str | None,
    params: list[str] = (),
    path_params: list[dict[str, Any]] = (),
    media: dict[str, Any] | None = None,
    tag: str = "catalogue",
) -> dict[str, Any]:
    """One GET operation: its parameters and every status it can answer with."""
    headers = ETAG | (LINK_HEADER if schema and schema.endswith("Page") else {})
    content = media or {"application/json": {"schema": ref(schema)}}
    responses: dict[str, Any] = {
        "200": {"description": "OK", "headers": headers, "content": content},
        "304": {"description": "Not modified since the ETag given in If-None-Match."},
    }
    if params:
        responses["400"] = problem("A parameter is malformed or out of range.")
    if path_params or "utility" in params:
        responses["404"] = problem("No such resource.")
    parameters = [*path_params, *({"$ref": f"#/components/parameters/{p}"} for p in params)]
    return {
        "get": {
            "summary": summary,
            "operationId": re.sub(r"[^a-z0-9]+", "_", summary.lower()).strip("_"),
            "tags": [tag],
            "parameters": parameters,
            "responses": responses,
        }
    }


def paths() -> dict[str, Any]:
    code = path("code", IDENTIFIER, "The item's code.")
    slug = path("slug", IDENTIFIER, "Its slug.")
    basis_code = path("code", IDENTIFIER, "Its code.")
    revision_id = path(
        "revision_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "The revision's id."
    )
    outage_id = path(
        "outage_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "The outage's id."
    )
    hearing_id = path(
        "hearing_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "The hearing's id."
    )
    in_force = ["on", "kind", "utility", *PAGED]
    csv = {"text/csv": {"schema": STRING}}
    xlsx = {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
            "schema": {"type": "string", "contentMediaType": "application/octet-stream"}
        }
    }
    open311 = {"application/json": {"schema": {"type": "array", "items": ref("Open311Service")}}}
    return {
        "/api/v1/": operation("API index", "Index"),
        "/api/v1/utilities": operation("List utilities", "UtilityPage", PAGED),
        "/api/v1/utilities/{slug}": operation(
            "Get a utility", "UtilityResponse", path_params=[slug]
        ),
        "/api/v1/items": operation("List items in force", "ItemPage", in_force),
        "/api/v1/items/{code}": operation("Get an item", "ItemDetailResponse", ["on"], [code]),
        "/api/v1/items/{code}/revisions": operation(
            "List an item's revisions", "RevisionSummaryPage", PAGED, [code]
        ),
        "/api/v1/revisions/{revision_id}": operation(
            "Get a revision", "RevisionResponse", path_params=[revision_id]
        ),
        "/api/v1/fee-tables": operation("List fee tables", "FeeTablePage", in_force),
        "/api/v1/legal-bases": operation("List legal bases", "LegalBasisPage", PAGED),
        "/api/v1/legal-bases/{code}": operation(
            "Get a legal basis", "LegalBasisResponse", path_params=[basis_code]
        ),
        "/api/v1/channels": operation("List channels", "ChannelPage", PAGED),
        "/api/v1/channels/{code}": operation(
            "Get a channel", "ChannelResponse", path_params=[basis_code]
        ),
        "/api/v1/halls": operation("List halls", "HallPage", PAGED),
        "/api/v1/halls/{slug}": operation("Get a hall", "HallResponse", path_params=[slug]),
        "/api/v1/outages": operation(
            "List outages",
            "OutagePage",
            ["state", "district", "utility", *PAGED],
            tag="outages",
        ),
        "/api/v1/outages/{outage_id}": operation(
            "Get an outage", "OutageResponse", path_params=[outage_id], tag="outages"
        ),
        "/api/v1/hearings": operation(
            "List price hearings", "HearingPage", ["utility", *PAGED], tag="hearings"
        ),
        "/api/v1/hearings/{hearing_id}": operation(
            "Get a price hearing", "HearingResponse", path_params=[hearing_id], tag="hearings"
        ),
        "/api/v1/changes": operation(
            "List published changes", "ChangePage", ["since", "utility", *PAGED]
        ),
        "/api/v1/catalogue-changes": operation(
            "List catalogue changes",
            "CatalogueChangePage",
            ["since", "utility", "subject", *PAGED],
        ),
        "/api/v1/exports/catalogue.csv": operation(
            "Export the catalogue as CSV", None, ["on"], media=csv, tag="exports"
        ),
        "/api/v1/exports/fees.csv": operation(
            "Export the fee tables as CSV", None, ["on"], media=csv, tag="exports"
        ),
        "/api/v1/exports/catalogue.xlsx": operation(
            "Export the catalogue and fee tables as XLSX",
            None,
            ["on"],
            media=xlsx,
            tag="exports",
        ),
        "/api/v1/requests/report": operation(
            "Annual report on information requests",
            "RequestsReportResponse",
            ["utility", "year"],
            tag="requests",
        ),
        "/api/v1/exports/requests-report.csv": operation(
            "Export the information requests report as CSV",
            None,
            ["utility", "year"],
            media=csv,
            tag="requests",
        ),
        "/api/v1/exports/requests-report.xlsx": operation(
            "Export the information requests report as XLSX",
            None,
            ["utility", "year"],
            media=xlsx,
            tag="requests",
        ),
        "/api/v1/results": operation(
            "Service results per month and item",
            "ResultsResponse",
            ["utility", "month"],
            tag="results",
        ),
        "/api/v1/exports/results.csv": operation(
            "Export service results as CSV",
            None,
            ["utility", "month"],
            media=csv,
            tag="results",
        ),
        "/api/v1/exports/results.xlsx": operation(
            "Export service results as XLSX",
            None,
            ["utility", "month"],
            media=xlsx,
            tag="results",
        ),
        "/api/open311/v2/services.json": operation(
            "Open311 services, JSON", None, ["on", "lang"], media=open311, tag="open311"
        ),
        "/api/open311/v2/services.xml": operation(
            "Open311 services, XML",
            None,
            ["on", "lang"],
            media={"application/xml": {"schema": STRING}},
            tag="open311",
        ),
    }


def document(city: str) -> dict[str, Any]:
    """The whole OpenAPI 3.1 document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{city} public services open data",
            "version": "1.0.0",
            "description": (
                "The published service items and fee tables of the city's public utilities: "
                "what is in force today or on any date, every published version, and the "
                "legal bases, channels and halls they refer to. Read-only; lists are paged; "
                "every answer carries an ETag; errors are RFC 9457 problem details. "
                "Published changes are also an Atom feed at /changes.atom."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "catalogue", "description": "The published catalogue as JSON."},
            {"name": "exports", "description": "The whole catalogue as spreadsheets."},
            {"name": "open311", "description": "Open311 GeoReport v2 services list."},
            {
                "name": "outages",
                "description": "Planned and emergency outages, ongoing, coming and ended; "
                "also an Atom feed at /outages.atom.",
            },
            {
                "name": "hearings",
                "description": "Price hearings and consultations with their proposed tiers "
                "and published outcomes; also an Atom feed at /hearings.atom.",
            },
            {
                "name": "requests",
                "description": "The annual report on information requests (依申请公开): "
                "received, answered by outcome, on time, carried over. Counts only.",
            },
            {
                "name": "results",
                "description": "Residents' ratings and handling figures per month (办事结果公开).",
            },
        ],
        "paths": paths(),
        "components": {"schemas": schemas(), "parameters": PARAMETERS},
    }
