"""A catalogue workbook checked as a whole against the database, then written in one go.

`plan_import` reads the file, gathers every record, checks cells, references between
sheets and the database, each item's content against the content schema and fee rules,
and what the importing account may change; it writes nothing and refuses with every
problem found. `apply_import` writes a plan: reference records directly, item content as
new revisions, in review for a reviewer or (admins, `publish`) published, and one audit
event for the whole import. A record equal to what is stored is left untouched, so the
same file imported twice changes nothing the second time.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from services.administration.changes import note_change
from services.administration.items import CODE as ITEM_CODE
from services.administration.utilities import SLUG
from services.catalogue.queries import current_revisions
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
from services.catalogue.workbook.sheets import SHEET_BY_NAME, SHEETS, children_of
from services.clock import today, utcnow
from services.content.checks import basis_refs
from services.content.schema import HOURS, ContentError, content_errors, field_path
from services.content.text import check_text, is_web_address
from services.db import db
from services.fees.tariffs import check_fees
from services.models import (
    BasisStatus,
    Channel,
    ChannelKind,
    Hall,
    Item,
    ItemKind,
    ItemStatus,
    LegalBasis,
    Nature,
    Revision,
    RevisionStatus,
    Role,
    Sector,
    User,
    Utility,
)
from services.publishing import audit
from services.publishing.revisions import open_revision, public_chain
from services.search.index import index_item
from services.spreadsheets.isolation import ParseLimits

STATES = ("new", "changed", "unchanged")
MAX_PROBLEMS = 200
REFERENCE_SHEETS = ("utilities", "halls", "legal_bases", "channels")
SLUGGED = {"utilities": "slug", "halls": "slug", "legal_bases": "code", "channels": "code"}


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
        "channels": {},
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


class _Check:
    """Collects problems, up to MAX_PROBLEMS."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)

    def add(self, where: str, code: str, **params: Any) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(where, code, params))


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


def _check_values(gathered: Gathered, check: _Check) -> None:
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


def _check_references(gathered: Gathered, stored: dict[str, dict[str, Any]], check: _Check):
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


def _approved_bases(gathered: Gathered, stored: dict[str, dict[str, Any]]) -> set[str]:
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


def _check_content(
    gathered: Gathered, known: dict[str, set[str]], approved: set[str] | None, check: _Check
) -> None:
    """Each item's content: text, schema, fees, references; with `approved` (when
    publishing), every basis a published row cites must be among them."""
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


def _plan_items(
    gathered: Gathered, stored: dict[str, dict[str, Any]], publish: bool, check: _Check
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
    return planned


def _permissions(plan: ImportPlan, user: User, check: _Check) -> None:
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


def plan_import(data: bytes, user: User, publish: bool, limits: ParseLimits) -> ImportPlan:
    """What importing `data` as `user` would change; Refused with every problem found.
    Writes nothing."""
    if publish and user.role != Role.ADMIN:
        raise Refused([Problem("", "publish_admin_only")])
    gathered = gather(read_tables(data, limits))
    check = _Check(gathered.problems)
    if check.problems:
        raise Refused(check.problems)
    stored = _stored()
    _check_values(gathered, check)
    known = _check_references(gathered, stored, check)
    approved = _approved_bases(gathered, stored) if publish else None
    _check_content(gathered, known, approved, check)
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


def _fill_utility(utility: Utility, record: dict[str, Any]) -> None:
    utility.slug = record["slug"]
    utility.name = record["name"]
    utility.short_name = record["short_name"]
    utility.sector = Sector(record["sector"])
    utility.nature = Nature(record["nature"])
    utility.address = record["address"]
    utility.website = record["website"]
    utility.position = record["position"]
    utility.translations = record["translations"]


def _fill_hall(hall: Hall, record: dict[str, Any], utilities: dict[str, Utility]) -> None:
    hall.slug = record["slug"]
    hall.name = record["name"]
    hall.address = record["address"]
    hall.opening_hours = record["opening_hours"]
    hall.exceptions = record["exceptions"]
    hall.settings = record["settings"]
    hall.translations = record["translations"]
    hall.utilities = [utilities[slug] for slug in record["utilities"]]


def _fill_basis(basis: LegalBasis, record: dict[str, Any], utilities: dict[str, Utility]):
    for name in (
        "code",
        "title",
        "doc_number",
        "issuer",
        "issued_on",
        "effective_on",
        "repealed_on",
        "version_in_force",
        "rank",
        "url",
        "articles",
        "translations",
    ):
        setattr(basis, name, record[name])
    basis.status = BasisStatus(record["status"])
    proposed_for = utilities.get(record["proposed_for"])
    basis.proposed_for_id = proposed_for.id if proposed_for else None


def _fill_channel(channel: Channel, record: dict[str, Any], utilities: dict[str, Utility]):
    for name in ("code", "name", "kinds", "phone", "url", "hours", "translations"):
        setattr(channel, name, record[name])
    channel.utility = utilities.get(record["utility"])


def _note(planned: PlannedRecord, subject: str, thing: Any, name: str) -> None:
    if planned.state == "changed":
        note_change(subject, thing.id, "changed", name)


def _apply_records(plan: ImportPlan, summary: dict[str, list[str]]) -> dict[str, Utility]:
    utilities = {u.slug: u for u in db.session.scalars(select(Utility))}
    ordered = sorted(plan.records, key=lambda p: REFERENCE_SHEETS.index(p.sheet))
    for planned in ordered:
        if planned.state == "unchanged":
            continue
        record, sheet = planned.record, planned.sheet
        summary.setdefault(sheet, []).append(record[SLUGGED[sheet]])
        if sheet == "utilities":
            utility = planned.existing or Utility()
            _fill_utility(utility, record)
            db.session.add(utility)
            db.session.flush()
            utilities[utility.slug] = utility
            _note(planned, "utility", utility, utility.name)
        elif sheet == "halls":
            hall = planned.existing or Hall()
            _fill_hall(hall, record, utilities)
            db.session.add(hall)
            db.session.flush()
            _note(planned, "hall", hall, hall.name)
        elif sheet == "legal_bases":
            basis = planned.existing or LegalBasis()
            _fill_basis(basis, record, utilities)
            db.session.add(basis)
            db.session.flush()
            _note(planned, "basis", basis, basis.title)
        else:
            channel = planned.existing or Channel()
            _fill_channel(channel, record, utilities)
            db.session.add(channel)
            db.session.flush()
            _note(planned, "channel", channel, f"{channel.name} {channel.phone}".strip())
    return utilities


def _fill_item(item: Item, record: dict[str, Any], utilities: dict[str, Utility]) -> None:
    item.utility = utilities[record["utility"]]
    item.code = record["code"]
    item.slug = record["slug"]
    item.kind = ItemKind(record["kind"])
    item.category = record["category"]
    item.position = record["position"]
    item.status = ItemStatus(record["item_status"])
    item.status_reason = record["status_reason"]
    item.status_since = record["status_since"]


def _effective_from(item: Item, wanted: date | None) -> date:
    # The workbook's date when it is not in the future and keeps the item's revisions in
    # order; otherwise today.
    on = today()
    chain = public_chain(item) if item.id else []
    latest = max((r.effective_from for r in chain if r.effective_from), default=None)
    if wanted is None or wanted > on or (latest is not None and wanted <= latest):
        return on
    return wanted


def _new_revision(item: Item, content: dict[str, Any], user: User, change_summary: str) -> Revision:
    number = (
        db.session.scalar(select(func.max(Revision.number)).where(Revision.item_id == item.id)) or 0
    ) + 1
    revision = Revision(
        item=item,
        number=number,
        status=RevisionStatus.IN_REVIEW,
        content=content,
        author=user,
        is_major=True,
        change_summary=change_summary,
        edited_by=[user.id],
    )
    db.session.add(revision)
    return revision


def _supersede(item: Item, newest: Revision) -> list[dict[str, Any]]:
    """Mark the revisions the new one replaces as superseded; like settle_schedule, but
    recorded in the import's one audit event instead of one event each."""
    replaced = []
    for older in public_chain(item):
        if older is newest or older.status != RevisionStatus.PUBLISHED:
            continue
        if older.effective_from <= newest.effective_from:
            older.status = RevisionStatus.SUPERSEDED
            older.effective_to = newest.effective_from
            replaced.append({"item": item.code, "number": older.number})
    db.session.flush()
    return replaced


def apply_import(plan: ImportPlan, user: User, source: str) -> dict[str, Any]:
    """Write the plan; one audit event describes the whole import. Returns what was done.
    The caller commits."""
    summary: dict[str, Any] = {}
    if plan.changes == 0:
        return summary
    utilities = _apply_records(plan, summary)
    items = {i.code: i for i in db.session.scalars(select(Item))}
    touched: list[tuple[PlannedItem, Item]] = []
    for planned in plan.items:
        item = planned.existing
        if item is None or planned.fields_state == "changed":
            if item is None:
                item = Item()
                db.session.add(item)
            _fill_item(item, planned.record, utilities)
            items[item.code] = item
        touched.append((planned, item))
    db.session.flush()
    for planned, item in touched:
        if planned.existing is None or planned.fields_state == "changed":
            successor = items.get(planned.record["successor"])
            item.successor_id = successor.id if successor else None
            summary.setdefault("items", []).append(item.code)
    revisions = []
    superseded: list[dict[str, Any]] = []
    for planned, item in touched:
        if planned.content_action == "unchanged":
            continue
        if planned.content_action == "publish_open":
            revision = planned.open
        else:
            summary_text = planned.record.get("change_summary") or ""
            revision = _new_revision(item, planned.record["content"], user, summary_text)
        if plan.publish and planned.record["status"] == "published":
            revision.status = RevisionStatus.PUBLISHED
            revision.effective_from = _effective_from(item, planned.record["effective_from"])
            revision.published_at = utcnow()
            revision.approver = user
            revision.content_hash = audit.content_hash(revision.content)
        db.session.flush()
        if revision.status == RevisionStatus.PUBLISHED:
            superseded += _supersede(item, revision)
            index_item(item)
        elif planned.fields_state == "changed":
            index_item(item)
        revisions.append(
            {"item": item.code, "number": revision.number, "status": str(revision.status)}
        )
    for planned, item in touched:
        if planned.content_action == "unchanged" and planned.fields_state == "changed":
            index_item(item)
    summary["revisions"] = revisions
    summary["superseded"] = superseded
    counts = {sheet: dict(counter) for sheet, counter in plan.counts.items()}
    audit.record(
        user.username,
        "catalogue.import",
        "catalogue",
        source[:64],
        None,
        {"published": plan.publish, "counts": counts} | summary,
    )
    return summary
