"""The checks an import makes beyond reading cells: values the cell kinds cannot judge,
references between sheets and to what is stored, and each item's content."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from services.administration.items import CODE as ITEM_CODE
from services.administration.utilities import SLUG
from services.catalogue.workbook.gathering import Gathered, content_origin
from services.catalogue.workbook.layout import parse_field
from services.catalogue.workbook.messages import Problem
from services.catalogue.workbook.sheets import SHEET_BY_NAME, SHEETS
from services.clock import today
from services.content.checks import basis_refs
from services.content.kinds import check_kind
from services.content.schema import HOURS, ContentError, content_errors, field_path
from services.content.text import check_text, is_web_address
from services.fees.tariffs import check_fees
from services.guide_files.storage import file_path
from services.models import (
    BasisStatus,
    ChannelKind,
    ItemKind,
    Sector,
)
from services.uploads import SHA256

MAX_PROBLEMS = 200
REFERENCE_SHEETS = ("utilities", "halls", "legal_bases", "channels")
SLUGGED = {"utilities": "slug", "halls": "slug", "legal_bases": "code", "channels": "code"}


class Check:
    """Collects problems, up to MAX_PROBLEMS."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)

    def add(self, where: str, code: str, **params: Any) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(where, code, params))


# What a hall's JSON cells must look like: what the hall screen and the board read.
EXCEPTIONS_SHAPE = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["on", "closed"],
        "properties": {
            "on": {"type": "string", "format": "date"},
            "closed": {"type": "boolean"},
            "opens": HOURS["properties"]["opens"],
            "closes": HOURS["properties"]["closes"],
            "note": {"type": "string"},
        },
        "additionalProperties": False,
    },
}
HOURS_SHAPE = {"type": "array", "items": HOURS}
SETTINGS_SHAPE = {"type": "object"}
WEB_ADDRESSES = (("utilities", "website"), ("legal_bases", "url"), ("channels", "url"))


def _shape_problem(value: Any, schema: dict[str, Any]) -> str | None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    error = next(iter(validator.iter_errors(value)), None)
    return None if error is None else f"{field_path(error.absolute_path)}: {error.message}"


def check_values(gathered: Gathered, check: Check) -> None:
    """What the cells' kinds cannot say: web addresses, vocabularies, ranges, shapes."""
    labels = {(spec.name, column.name): column.label for spec in SHEETS for column in spec.columns}
    for sheet, column in WEB_ADDRESSES:
        for row, record in gathered.records[sheet]:
            if record.get(column) and not is_web_address(record[column]):
                check.add(row.where(column), "bad_web_address", label=labels[sheet, column])
    kinds = [kind.value for kind in ChannelKind]
    for row, record in gathered.records["channels"]:
        for kind in record.get("kinds") or []:
            if kind not in kinds:
                label = labels["channels", "kinds"]
                check.add(
                    row.where("kinds"),
                    "not_allowed",
                    label=label,
                    value=kind,
                    allowed=" / ".join(kinds),
                )
    for row, record in gathered.records["legal_bases"]:
        if record.get("rank") is not None and not 1 <= record["rank"] <= 5:
            check.add(
                row.where("rank"),
                "out_of_range",
                label=labels["legal_bases", "rank"],
                low=1,
                high=5,
            )
    for row, record in gathered.records["halls"]:
        for column, schema in (
            ("opening_hours", HOURS_SHAPE),
            ("exceptions", EXCEPTIONS_SHAPE),
            ("settings", SETTINGS_SHAPE),
        ):
            if record.get(column) is None:
                continue
            problem = _shape_problem(record[column], schema)
            if problem:
                check.add(
                    row.where(column),
                    "bad_shape",
                    label=labels["halls", column],
                    detail=problem[:200],
                )


def check_references(gathered: Gathered, stored: dict[str, dict[str, Any]], check: Check):
    """Slugs and codes as the admin screens allow them, and every reference resolved
    within the file or to a stored record; returns the known keys by sheet."""
    known = {
        sheet: set(stored[sheet])
        | {r[SLUGGED.get(sheet, "code")] for _, r in gathered.records[sheet]}
        for sheet in ("utilities", "legal_bases", "channels", "items")
    }
    for sheet in REFERENCE_SHEETS:
        key = SLUGGED[sheet]
        for row, record in gathered.records[sheet]:
            if record.get(key) and not SLUG.fullmatch(record[key]):
                label = next(c.label for c in SHEET_BY_NAME[sheet].columns if c.name == key)
                check.add(
                    row.where(key),
                    "not_allowed",
                    label=label,
                    value=record[key],
                    allowed="a-z 0-9 -",
                )
    for row, record in gathered.records["halls"]:
        for slug in record.get("utilities") or []:
            if slug not in known["utilities"]:
                check.add(row.where("utilities"), "unknown_utility", value=slug)
    for sheet, column in (
        ("channels", "utility"),
        ("legal_bases", "proposed_for"),
        ("items", "utility"),
    ):
        for row, record in gathered.records[sheet]:
            if record.get(column) and record[column] not in known["utilities"]:
                check.add(row.where(column), "unknown_utility", value=record[column])
    for row, record in gathered.records["items"]:
        if record.get("successor") and record["successor"] not in known["items"]:
            check.add(row.where("successor"), "unknown_successor", value=record["successor"])
        if record.get("code") and not ITEM_CODE.fullmatch(record["code"]):
            check.add(
                row.where("code"),
                "not_allowed",
                label="事项编码",
                value=record["code"],
                allowed="A-Z a-z 0-9 - _ .",
            )
        if record.get("slug") and not SLUG.fullmatch(record["slug"]):
            check.add(
                row.where("slug"),
                "not_allowed",
                label="网址名",
                value=record["slug"],
                allowed="a-z 0-9 -",
            )
    # An item's slug may not be taken by another stored item of the same utility.
    taken = {(i.utility.slug, i.slug): code for code, i in stored["items"].items()}
    for row, record in gathered.records["items"]:
        other = taken.get((record.get("utility"), record.get("slug")))
        if other is not None and other != record.get("code"):
            check.add(
                row.where("slug"),
                "duplicate_key",
                label="网址名",
                value=record["slug"],
                other=other,
            )
    return known


def approved_bases(gathered: Gathered, stored: dict[str, dict[str, Any]]) -> set[str]:
    """The codes of the bases that will be approved once the file is imported."""
    approved = {
        code
        for code, basis in stored["legal_bases"].items()
        if basis.status == BasisStatus.APPROVED
    }
    for _row, record in gathered.records["legal_bases"]:
        if (record.get("status") or "approved") == "approved":
            approved.add(record["code"])
        else:
            approved.discard(record["code"])
    return approved


def _kind_facts(gathered: Gathered, stored: dict[str, dict[str, Any]]):
    """Each basis code's 文号 and each utility's sector, from the file over what is stored:
    what the rules of a price notice's disclosure deadline are checked with."""
    doc_numbers = {code: basis.doc_number for code, basis in stored["legal_bases"].items()}
    doc_numbers |= {
        r["code"]: r.get("doc_number") or "" for _, r in gathered.records["legal_bases"]
    }
    sectors = {slug: utility.sector for slug, utility in stored["utilities"].items()}
    for _, record in gathered.records["utilities"]:
        if record.get("sector") in {s.value for s in Sector}:
            sectors[record["slug"]] = Sector(record["sector"])
    return doc_numbers, sectors


def check_content(
    gathered: Gathered,
    known: dict[str, set[str]],
    approved: set[str] | None,
    check: Check,
    stored: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Each item's content: text, schema, fees, the fields of its kind, references; with
    `approved` (when publishing), every basis a published row cites must be among them."""
    doc_numbers, sectors = _kind_facts(gathered, stored or {"legal_bases": {}, "utilities": {}})
    for row, record in gathered.records["items"]:
        content = record.get("content") or {}
        code = record["code"]
        problems: list[ContentError] = []
        try:
            check_text(content)
        except ContentError as error:
            problems.append(error)
        problems += content_errors(content)
        if not problems:
            try:
                check_fees(content)
                # A price notice holds no service fields, and a service its time limits.
                if record.get("kind") in {k.value for k in ItemKind}:
                    kind, sector = ItemKind(record["kind"]), sectors.get(record.get("utility"))
                    check_kind(content, kind, sector, doc_numbers)
            except ContentError as error:
                problems.append(error)
        for error in problems[:10]:
            path = parse_field(error.field) or ()
            origin, column = content_origin(gathered, code, path)
            check.add(origin.where(column), "content", field=error.field, detail=error.message)
        if problems:
            continue
        for name, ref in basis_refs(content):
            origin, column = content_origin(gathered, code, parse_field(name) or ())
            if ref["code"] not in known["legal_bases"]:
                check.add(origin.where(column), "unknown_basis", value=ref["code"])
            elif (
                approved is not None
                and record.get("status") != "draft"
                and (ref["code"] not in approved)
            ):
                check.add(origin.where(column), "unapproved_basis", value=ref["code"])
        for channel in content.get("channels", []):
            if channel not in known["channels"]:
                check.add(row.where("channels"), "unknown_channel", value=channel)
        effective = record.get("effective_from")
        if isinstance(effective, date) and effective > today():
            check.add(row.where("effective_from"), "future_date", label="执行日期")


def check_guide_files(gathered: Gathered, uploads: Path, check: Check) -> None:
    """Every blank form and sample a material names is a file kept under `uploads`: the
    workbook carries a file's SHA-256, not the file, which is uploaded in the editor."""
    for _row, record in gathered.records["items"]:
        for m, material in enumerate((record.get("content") or {}).get("materials", [])):
            for key in ("blank_form", "sample"):
                digest = material.get(key)
                if not digest:
                    continue
                kept = SHA256.fullmatch(digest) and file_path(uploads, digest).is_file()
                if not kept:
                    origin, column = content_origin(gathered, record["code"], ("materials", m, key))
                    check.add(origin.where(column), "missing_file", value=digest[:16])
