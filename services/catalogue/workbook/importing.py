"""A catalogue workbook checked as a whole against the database, then written in one go.

`plan_import` reads the file, gathers every record, checks cells, references between
sheets and the database, each item's content against the content schema and fee rules
(checking.py), and what the importing account may change; it compares every record with
what is stored and counts what would change. It writes nothing and refuses with every
problem found. writing.py writes a plan. A record equal to what is stored is left
untouched, so the same file imported twice changes nothing the second time.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from services.catalogue.queries import current_revisions
from services.catalogue.workbook.checking import (
    REFERENCE_SHEETS,
    SLUGGED,
    Check,
    approved_bases,
    check_content,
    check_guide_files,
    check_references,
    check_values,
)
from services.catalogue.workbook.gathering import Gathered, content_origin, gather
from services.catalogue.workbook.layout import Row, get_path, leaves, parse_field
from services.catalogue.workbook.messages import Problem, Refused
from services.catalogue.workbook.reading import read_tables
from services.catalogue.workbook.records import (
    basis_record,
    channel_record,
    hall_record,
    item_record,
    utility_record,
)
from services.catalogue.workbook.sheets import SHEETS, children_of
from services.content.schema import ContentError
from services.content.time_limits import check_time_limits
from services.db import db
from services.models import (
    Channel,
    Hall,
    Item,
    LegalBasis,
    Revision,
    Role,
    User,
    Utility,
)
from services.publishing.revisions import open_revision
from services.spreadsheets.isolation import ParseLimits

STATES = ("new", "changed", "unchanged")


@dataclass
class PlannedRecord:
    """One record of a top-level sheet: what the workbook says, what is stored, and which."""

    sheet: str
    row: Row
    record: dict[str, Any]
    existing: Any
    state: str


@dataclass
class PlannedItem:
    """One item: its record, the stored item, and what becomes of its content."""

    row: Row
    record: dict[str, Any]
    existing: Item | None
    fields_state: str  # new | changed | unchanged (the item's own columns)
    # "unchanged", "revision" (a new revision with this content) or "publish_open" (the
    # open revision already holds it and is published)
    content_action: str
    open: Revision | None = None
    base: dict[str, Any] | None = None  # the content compared with


@dataclass
class ImportPlan:
    """Everything an import would do, and the counts per sheet and state."""

    records: list[PlannedRecord] = field(default_factory=list)
    items: list[PlannedItem] = field(default_factory=list)
    counts: dict[str, Counter] = field(default_factory=dict)
    publish: bool = False

    @property
    def changes(self) -> int:
        """How many records, items and contents would change."""
        return sum(c["new"] + c["changed"] for c in self.counts.values())


def _normal(record: dict[str, Any], sheet: str) -> dict[str, Any]:
    """A gathered record with every optional value as the database stores it when blank."""
    out = copy.deepcopy(record)
    text_fields = {
        "utilities": ("address", "website"),
        "halls": ("address",),
        "legal_bases": (
            "doc_number",
            "issuer",
            "version_in_force",
            "url",
            "articles",
            "proposed_for",
        ),
        "channels": ("phone", "url", "hours", "utility"),
        "items": ("category", "status_reason", "successor"),
    }[sheet]
    for name in text_fields:
        out[name] = out.get(name) or ""
    defaults = {
        "utilities": {"position": 0},
        "halls": {"opening_hours": [], "exceptions": [], "settings": {}, "utilities": []},
        "legal_bases": {
            "issued_on": None,
            "effective_on": None,
            "repealed_on": None,
            "rank": 5,
            "status": "approved",
        },
        "channels": {"role": None, "sector": None},
        "items": {
            "position": 0,
            "item_status": "active",
            "status_since": None,
            "status": "published",
            "effective_from": None,
        },
    }[sheet]
    for name, value in defaults.items():
        if out.get(name) is None:
            out[name] = copy.deepcopy(value)
    if sheet != "items":
        out["translations"] = out.get("translations") or {}
    return out


def _stored() -> dict[str, dict[str, Any]]:
    utilities = {u.slug: u for u in db.session.scalars(select(Utility))}
    return {
        "utilities": utilities,
        "halls": {
            h.slug: h
            for h in db.session.scalars(select(Hall).options(selectinload(Hall.utilities)))
        },
        "legal_bases": {b.code: b for b in db.session.scalars(select(LegalBasis))},
        "channels": {c.code: c for c in db.session.scalars(select(Channel))},
        "items": {
            i.code: i for i in db.session.scalars(select(Item).options(selectinload(Item.utility)))
        },
    }


def _stored_record(sheet: str, existing: Any, slugs: dict[int, str]) -> dict[str, Any]:
    if sheet == "utilities":
        return utility_record(existing)
    if sheet == "halls":
        return hall_record(existing)
    if sheet == "legal_bases":
        return basis_record(existing, slugs)
    return channel_record(existing, slugs)


_ITEM_FIELDS = (
    "utility",
    "slug",
    "kind",
    "category",
    "position",
    "item_status",
    "status_reason",
    "status_since",
    "successor",
)


def _plan_items(
    gathered: Gathered, stored: dict[str, dict[str, Any]], publish: bool, check: Check
) -> list[PlannedItem]:
    items = stored["items"]
    codes = {item.id: code for code, item in items.items()}
    existing_items = [items[r["code"]] for _, r in gathered.records["items"] if r["code"] in items]
    current = current_revisions(existing_items)
    planned = []
    for row, record in gathered.records["items"]:
        record = _normal(record, "items")
        item = items.get(record["code"])
        if item is None:
            planned.append(PlannedItem(row, record, None, "new", "revision"))
            continue
        now = item_record(item, None, codes)
        fields_state = (
            "unchanged" if all(now[name] == record[name] for name in _ITEM_FIELDS) else "changed"
        )
        revision = current.get(item.id)
        published = revision.content if revision is not None else None
        work = open_revision(item)
        wanted = record["content"]
        publishing = publish and record["status"] == "published"
        if work is not None and work.content == wanted:
            action = "publish_open" if publishing else "unchanged"
        elif wanted == published:
            action = "unchanged"
        elif work is not None:
            check.add(row.where("code"), "open_revision", value=item.code, number=work.number)
            action = "unchanged"
        else:
            action = "revision"
        base = work.content if work is not None else published
        planned.append(PlannedItem(row, record, item, fields_state, action, work, base))
    for item in planned:
        if item.content_action in ("revision", "publish_open"):
            _check_new_limits(gathered, item.record, check)
    return planned


def _check_new_limits(gathered: Gathered, record: dict[str, Any], check: Check) -> None:
    # What the editor refuses of a time limit (no law for a statutory one, a note that
    # contradicts its figure) is refused here too, for content the import would write;
    # content already published as it is stays as it was.
    try:
        check_time_limits(record.get("content") or {})
    except ContentError as error:
        origin, column = content_origin(gathered, record["code"], parse_field(error.field) or ())
        check.add(origin.where(column), "content", field=error.field, detail=error.message)


def _permissions(plan: ImportPlan, user: User, check: Check) -> None:
    if user.role == Role.ADMIN:
        return
    for planned in plan.records:
        if planned.state != "unchanged":
            check.add(
                planned.row.where(), "not_allowed_for_role", user=user.username, what=planned.sheet
            )
    for item in plan.items:
        if item.fields_state != "unchanged":
            check.add(item.row.where(), "not_allowed_for_role", user=user.username, what="items")
        elif item.content_action != "unchanged":
            if user.role != Role.EDITOR:
                check.add(
                    item.row.where(), "not_allowed_for_role", user=user.username, what="items"
                )
            elif user.utility is None or item.record["utility"] != user.utility.slug:
                check.add(
                    item.row.where("utility"),
                    "other_utility",
                    user=user.username,
                    value=item.record["utility"],
                )


def _state(wanted: Any, stored: Any, exists: bool) -> str:
    if not exists:
        return "new"
    return "unchanged" if wanted == stored else "changed"


def _count_children(plan: ImportPlan) -> None:
    for spec in SHEETS:
        if spec.parent:
            plan.counts[spec.name] = Counter()
    for item in plan.items:
        wanted = item.record["content"]
        base = item.base or {}
        for child in children_of("items"):
            new = get_path(wanted, child.within[1:]) or []
            old = get_path(base, child.within[1:]) or []
            for index, element in enumerate(new):
                before = old[index] if index < len(old) else None
                plan.counts[child.name][_state(element, before, before is not None)] += 1
                for inner_spec in children_of(child.name):
                    inner_old = get_path(before or {}, inner_spec.within) or []
                    for place, part in enumerate(get_path(element, inner_spec.within) or []):
                        was = inner_old[place] if place < len(inner_old) else None
                        plan.counts[inner_spec.name][_state(part, was, was is not None)] += 1


def _count_translations(plan: ImportPlan, stored_trees: dict[tuple[str, str], Any]) -> None:
    counts = plan.counts["translations"] = Counter()
    for wanted, before in stored_trees.values():
        old = dict(
            ((language, path), text)
            for language, tree in (before or {}).items()
            for path, text in leaves(tree)
        )
        for language, tree in (wanted or {}).items():
            for path, text in leaves(tree):
                was = old.get((language, path))
                counts[_state(text, was, was is not None)] += 1


def plan_import(
    data: bytes, user: User, publish: bool, limits: ParseLimits, uploads: Path | None = None
) -> ImportPlan:
    """What importing `data` as `user` would change; Refused with every problem found.
    Writes nothing. With `uploads`, every blank form and sample the file names must be
    among the files kept there."""
    if publish and user.role != Role.ADMIN:
        raise Refused([Problem("", "publish_admin_only")])
    gathered = gather(read_tables(data, limits))
    check = Check(gathered.problems)
    if check.problems:
        raise Refused(check.problems)
    stored = _stored()
    check_values(gathered, check)
    known = check_references(gathered, stored, check)
    approved = approved_bases(gathered, stored) if publish else None
    check_content(gathered, known, approved, check, stored)
    if uploads is not None:
        check_guide_files(gathered, uploads, check)
    if check.problems:
        raise Refused(check.problems)
    plan = ImportPlan(publish=publish)
    slugs = {u.id: slug for slug, u in stored["utilities"].items()}
    trees: dict[tuple[str, str], Any] = {}
    for sheet in REFERENCE_SHEETS:
        key = SLUGGED[sheet]
        counts = plan.counts[sheet] = Counter()
        for row, record in gathered.records[sheet]:
            record = _normal(record, sheet)
            existing = stored[sheet].get(record[key])
            before = _stored_record(sheet, existing, slugs) if existing else None
            state = _state(record, before, existing is not None)
            counts[state] += 1
            plan.records.append(PlannedRecord(sheet, row, record, existing, state))
            trees[sheet, record[key]] = (
                record["translations"],
                before["translations"] if before else None,
            )
    plan.items = _plan_items(gathered, stored, publish, check)
    counts = plan.counts["items"] = Counter()
    for item in plan.items:
        if item.existing is None:
            counts["new"] += 1
        elif item.fields_state == "changed" or item.content_action != "unchanged":
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
        trees["items", item.record["code"]] = (
            item.record["content"].get("translations"),
            (item.base or {}).get("translations") if item.existing else None,
        )
    _count_children(plan)
    _count_translations(plan, trees)
    _permissions(plan, user, check)
    if check.problems:
        raise Refused(check.problems)
    return plan
