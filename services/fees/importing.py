"""Fee spreadsheet import: check the whole sheet first, then put each changed item's fees into
a draft revision. Nothing is published, and a sheet with any error changes nothing."""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from services.clock import today
from services.content.checks import basis_refs
from services.content.kinds import kind_fields
from services.content.schema import ContentError, content_errors
from services.content.text import has_control_characters
from services.db import db
from services.fees.rows import INVALID, BasisIndex, FeeRows, Problems, build_fee
from services.fees.sheet import SheetError, SheetFailure
from services.fees.structure import TierWarning, tier_warnings
from services.fees.tariffs import check_fees
from services.models import Item, ItemStatus, LegalBasis, Revision, User, Utility
from services.publishing import audit
from services.publishing.revisions import (
    EDITABLE_STATUSES,
    WorkflowError,
    blank_content,
    latest_effective_date,
    open_revision,
    public_chain,
    save_draft,
    start_draft,
)
from services.spreadsheets.files import SheetRow, read_sheet
from services.spreadsheets.isolation import ParseLimits, run_limited
from services.spreadsheets.values import day, folded, text

# Public wording: the change summary shows in the kiosk's history once published.
DEFAULT_CHANGE_SUMMARY = "调整收费标准"


@dataclass
class PlannedItem:
    """One item's new fees, in the content of the revision the draft starts from."""

    item: Item
    base: Revision | None  # the open draft, else the latest published revision, else nothing
    content: dict[str, Any]
    effective_from: date | None
    rows: list[int]
    base_version: int | None = None  # the open draft's version when the sheet was checked
    # National structure rules the new fees break: shown, never a reason to refuse the sheet.
    warnings: list[TierWarning] = field(default_factory=list)

    @property
    def fees(self) -> list[dict[str, Any]]:
        return self.content["fees"]

    @property
    def is_changed(self) -> bool:
        """True when the sheet's fees differ from the ones the draft would start with."""
        return self.base is None or self.fees != self.base.content.get("fees", [])

    @property
    def draft_id(self) -> int | None:
        return self.base.id if self.base and self.base.status in EDITABLE_STATUSES else None


@dataclass
class ImportPlan:
    """What a sheet would change, or every reason it cannot be imported."""

    items: list[PlannedItem]
    errors: list[SheetError]
    digest: str

    @property
    def is_ok(self) -> bool:
        return not self.errors

    @property
    def warnings(self) -> list[tuple[PlannedItem, TierWarning]]:
        """Every structure-rule warning of the changed items, beside its item."""
        return [(planned, w) for planned in self.changed for w in planned.warnings]

    @property
    def changed(self) -> list[PlannedItem]:
        return [planned for planned in self.items if planned.is_changed]


def _rows_by_item(rows: list[SheetRow], problems: Problems) -> dict[str, list[SheetRow]]:
    grouped: dict[str, list[SheetRow]] = {}
    for row in rows:
        blank = [c for c in ("item_code", "fee_name") if not text(row.cells.get(c))]
        for column in blank:
            problems.add(row.number, column, "required")
        if not blank:
            grouped.setdefault(folded(row.cells["item_code"]), []).append(row)
    return grouped


def _base_revisions(
    grouped: dict[str, list[SheetRow]], utility: Utility | None, problems: Problems
) -> dict[str, tuple[Item, Revision | None]]:
    """For each item code, the item and the revision its draft starts from."""
    wanted = {key.upper() for key in grouped}
    items = {
        folded(item.code): item
        for item in db.session.scalars(select(Item).where(func.upper(Item.code).in_(wanted)))
    }
    found = {}
    for key, rows in grouped.items():
        first = rows[0]
        code = text(first.cells["item_code"])
        item = items.get(key)
        if item is None:
            problems.add(first.number, "item_code", "unknown_item", value=code)
        elif item.status == ItemStatus.RETIRED:
            problems.add(first.number, "item_code", "retired_item", value=code)
        elif utility is not None and item.utility_id != utility.id:
            problems.add(first.number, "item_code", "other_utility", value=code)
        elif (pending := open_revision(item)) and pending.status not in EDITABLE_STATUSES:
            problems.add(
                first.number, "item_code", "open_revision", value=code, number=pending.number
            )
        else:
            published = public_chain(item)
            found[key] = (item, pending or (published[-1] if published else None))
    return found


def _effective_from(rows: list[SheetRow], problems: Problems) -> date | None:
    chosen: tuple[date | None, int | None] = (None, None)
    for row in rows:
        value = problems.read(row, "effective_from", day, row.cells.get("effective_from"))
        if value is None or value is INVALID:
            continue
        if value > (latest := latest_effective_date(today())):
            problems.add(row.number, "effective_from", "date_too_far", latest=latest.isoformat())
            continue
        if chosen[1] is None:
            chosen = (value, row.number)
        elif value != chosen[0]:
            problems.add(row.number, "effective_from", "differs_within_item", other_row=chosen[1])
    return chosen[0]


def _fee_key(name: Any, customer_class: Any) -> tuple[str, str]:
    return folded(name), folded(customer_class)


def _fee_groups(rows: list[SheetRow], current_fees: list[dict[str, Any]]) -> list[FeeRows]:
    """The item's rows grouped into fees by name and customer class, each matched with the
    current fee of that name and class, if there is one."""
    groups: dict[tuple[str, str], list[SheetRow]] = {}
    for row in rows:
        key = _fee_key(row.cells["fee_name"], row.cells.get("customer_class"))
        groups.setdefault(key, []).append(row)
    unmatched = dict(enumerate(current_fees))
    fees = []
    for key, group in groups.items():
        match = next(
            (
                n
                for n, fee in unmatched.items()
                if _fee_key(fee["name"], fee.get("customer_class")) == key
            ),
            None,
        )
        fees.append(FeeRows(group, unmatched.pop(match) if match is not None else None))
    return fees


def _realign_fee_translations(content: dict[str, Any], old: list[dict], new: list[FeeRows]) -> None:
    # Translated fee names are stored by position; they follow their fee to its new place.
    positions = [
        next((n for n, fee in enumerate(old) if fee is group.current), None) for group in new
    ]
    if positions == list(range(len(old))):
        return
    for translation in content.get("translations", {}).values():
        # Fee names stored the old way (one list) and translated fee rows move alike.
        for key, blank in (("fee_names", ""), ("fees", {})):
            rows = translation.get(key)
            if rows is None:
                continue
            moved = [rows[n] if n is not None and n < len(rows) else blank for n in positions]
            while moved and not moved[-1]:
                moved.pop()
            translation[key] = moved
        marks = translation.get("sources")
        if marks:
            translation["sources"] = _moved_marks(marks, positions)


def _moved_marks(marks: dict[str, str], positions: list[int | None]) -> dict[str, str]:
    # What each translated fee text was made from is kept by path: it moves with its fee.
    moved = {}
    for path, mark in marks.items():
        match = re.match(r"fees\[(\d+)\]", path)
        if match is None:
            moved[path] = mark
        elif int(match[1]) in positions:
            moved[f"fees[{positions.index(int(match[1]))}]{path[match.end() :]}"] = mark
    return moved


def _check_result(content: dict[str, Any], groups: list[FeeRows], problems: Problems) -> None:
    # The rows were checked one by one above; this is the content's own verdict on the fees,
    # so nothing reaches a draft that the editor's form would refuse.
    found = [e for e in content_errors(content) if e.field.startswith("fees")]
    try:
        check_fees(content)
    except ContentError as error:
        found.append(error)
    for error in found:
        match = re.match(r"fees\[(\d+)\]", error.field)
        row = groups[int(match[1])].rows[0] if match else groups[0].rows[0]
        problems.add(row.number, None, "invalid_content", detail=f"{error.field}: {error.message}")


def _plan_item(
    item: Item,
    base: Revision | None,
    rows: list[SheetRow],
    index: BasisIndex,
    problems: Problems,
) -> PlannedItem | None:
    before = problems.count
    content = (
        kind_fields(copy.deepcopy(base.content), item.kind) if base else blank_content(item.kind)
    )
    current_fees = content.get("fees", [])
    cited = {ref["code"] for _, ref in basis_refs(content)}
    groups = _fee_groups(rows, current_fees)
    fees = [build_fee(group, index, cited, problems) for group in groups]
    effective_from = _effective_from(rows, problems)
    if problems.count > before:
        return None
    content["fees"] = fees
    _realign_fee_translations(content, current_fees, groups)
    _check_result(content, groups, problems)
    if problems.count > before:
        return None
    rows_read = [row.number for row in rows]
    warnings = tier_warnings(content, item.utility.sector)
    return PlannedItem(
        item, base, content, effective_from, rows_read, base and base.version, warnings
    )


def plan_fee_import(
    data: bytes, utility: Utility | None = None, limits: ParseLimits | None = None
) -> ImportPlan:
    """Read and check a fee sheet (XLSX or CSV bytes) without writing anything.

    With `utility`, only that utility's items may appear. With `limits` (for files from
    outside), the file is read in a child process that may use no more than they allow.
    The plan lists every error with its row and column, or, when there is none, each
    item's new fees.
    """
    digest = hashlib.sha256(data).hexdigest()
    try:
        sheet = run_limited(read_sheet, data, limits) if limits else read_sheet(data)
    except SheetFailure as failure:
        return ImportPlan([], failure.errors, digest)
    problems = Problems()
    for row in sheet.rows:
        for key, value in row.cells.items():
            if isinstance(value, str) and has_control_characters(value):
                problems.add(row.number, key, "control_character")
    grouped = _rows_by_item(sheet.rows, problems)
    bases = _base_revisions(grouped, utility, problems)
    index = BasisIndex(list(db.session.scalars(select(LegalBasis))))
    planned = [
        _plan_item(*bases[key], rows, index, problems)
        for key, rows in grouped.items()
        if key in bases
    ]
    errors = problems.errors
    return ImportPlan([] if errors else planned, errors, digest)


def apply_fee_import(plan: ImportPlan, actor: User) -> list[Revision]:
    """Put each changed item's new fees into its draft revision; never publishes.

    The draft is the item's open one if it has one (its other edits are kept), else a new
    copy of the latest published revision. The caller commits, or rolls back on an error.
    """
    if not plan.is_ok:
        raise ValueError("a fee sheet with errors cannot be applied")
    drafts = []
    for planned in plan.changed:
        pending = open_revision(planned.item)
        if (pending.id if pending else None) != planned.draft_id:
            raise WorkflowError("stale")  # someone started or finished a draft meanwhile
        draft = start_draft(planned.item, actor)
        base_version = planned.base_version if planned.draft_id else draft.version
        if planned.effective_from:
            draft.effective_from = planned.effective_from  # a proposal; publishing decides
        save_draft(
            draft,
            planned.content,
            base_version=base_version,
            change_summary=draft.change_summary or DEFAULT_CHANGE_SUMMARY,
            is_major=True,
            actor=actor,
        )
        drafts.append(draft)
    if drafts:
        audit.record(
            actor.username,
            "fees.import",
            "fee_sheet",
            plan.digest[:16],
            None,
            {
                "drafts": {d.item.code: d.number for d in drafts},
                "unchanged": [p.item.code for p in plan.items if not p.is_changed],
            },
        )
    return drafts
