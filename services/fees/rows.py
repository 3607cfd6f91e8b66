"""From the rows of one fee to the fee as revision content, with every problem named by row
and column. Pure functions: the legal bases and the fee being replaced are passed in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from services.content.schema import TIER_ALLOWANCES
from services.fees.sheet import FEE_COLUMNS, KINDS, MAX_ERRORS, PERIODS, PRICINGS, SheetError
from services.models import LegalBasis
from services.spreadsheets.files import SheetRow
from services.spreadsheets.values import (
    CellError,
    bounds,
    choice,
    components,
    folded,
    is_blank,
    money,
    simplified,
    text,
    unit,
)

MAX_TIERS = 10
NAME_LIMIT, CLASS_LIMIT, NOTE_LIMIT, PAYEE_LIMIT = 300, 60, 4000, 200
INVALID = object()  # a cell that could not be read; its error is already recorded
_BRACKETS = str.maketrans("([【〔〖)]】〕〗", "〔〔〔〔〔〕〕〕〕〕")


class Problems:
    """The errors found so far, in the order found, up to MAX_ERRORS."""

    def __init__(self) -> None:
        self.errors: list[SheetError] = []
        self.count = 0  # keeps counting past MAX_ERRORS, so callers can tell what failed

    def add(self, row: int | None, column: str | None, code: str, **params: Any) -> None:
        self.count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(SheetError(row, column, code, params))

    def read(self, row: SheetRow, column: str, read: Callable[..., Any], *args: Any) -> Any:
        """`read(*args)`, or INVALID with the error recorded against this cell."""
        try:
            return read(*args)
        except CellError as error:
            self.add(row.number, error.column or column, error.code, **error.params)
            return INVALID


def basis_key(value: str) -> str:
    """A document number or code as compared: the usual folding, and any brackets alike."""
    return folded(value).translate(_BRACKETS)


class BasisIndex:
    """Finds the legal basis a 文号 (or, for a document without one, its code) names."""

    def __init__(self, bases: list[LegalBasis]):
        self.by_key: dict[str, list[LegalBasis]] = {}
        for basis in bases:
            for name in {basis.doc_number, basis.code} - {""}:
                self.by_key.setdefault(basis_key(name), []).append(basis)

    def refs(self, cell: Any, preferred: set[str]) -> list[dict[str, str]]:
        """The references a basis cell holds; several are separated by ；or line breaks."""
        refs = []
        for part in re.split(r"[;；\n]+", text(cell)):
            if part.strip():
                refs.append(self._ref(part.strip(), preferred))
        return refs

    def _ref(self, part: str, preferred: set[str]) -> dict[str, str]:
        key = basis_key(part)
        # The longest name that starts the cell wins, unless a digit follows it:
        # 国务院令第15号 must not be read out of 国务院令第158号.
        names = [
            name
            for name in self.by_key
            if key.startswith(name) and not key[len(name) : len(name) + 1].isdigit()
        ]
        if not names:
            raise CellError("unknown_basis", value=part)
        name = max(names, key=len)
        # The same document entered twice: keep the one the item already cites, else the newest.
        basis = max(
            self.by_key[name],
            key=lambda b: (b.code in preferred, b.issued_on or date.min, b.id),
        )
        article = next(part[i:] for i in range(len(part) + 1) if basis_key(part[:i]) == name)
        article = simplified(article.strip(" ,，:："))
        return {"code": basis.code, "article": article} if article else {"code": basis.code}


@dataclass
class FeeRows:
    """The rows of one fee, and the fee it replaces in the current content (if any)."""

    rows: list[SheetRow]
    current: dict[str, Any] | None


def fee_level(fee: FeeRows, problems: Problems) -> dict[str, tuple[Any, int | None]]:
    """Each fee-level column's value and the row it came from; a blank repeats the row above,
    a different value is an error."""
    readers: dict[str, Callable[[Any], Any]] = {
        "kind": lambda v: choice(v, KINDS),
        "pricing": lambda v: choice(v, PRICINGS),
        "billing_period": lambda v: choice(v, PERIODS),
        "unit": unit,
        "basis": basis_key,
        "service_content": text,
        "payee": text,
        "note": text,
    }
    values: dict[str, tuple[Any, int | None]] = {}
    for column in FEE_COLUMNS:
        found: tuple[Any, int | None] = (None, None)
        for row in fee.rows:
            if is_blank(row.cells.get(column)):
                continue
            value = problems.read(row, column, readers[column], row.cells[column])
            if value is INVALID:
                found = (INVALID, row.number)
            elif found[1] is None:
                found = (value, row.number)
            elif found[0] is not INVALID and value != found[0]:
                problems.add(row.number, column, "differs_within_fee", other_row=found[1])
        values[column] = found
    return values


def _pricing_type(fee: FeeRows, stated: Any) -> Any:
    if stated is not None:
        return stated
    if len(fee.rows) > 1 or any(
        not is_blank(row.cells.get(c))
        for row in fee.rows
        for c in ("tier_lower", "tier_upper", "billing_period")
    ):
        return "tiers"
    return "free" if _says_free(fee.rows[0].cells.get("unit_price")) else "flat"


def _says_free(price: Any) -> bool:
    return not is_blank(price) and folded(price) in map(folded, PRICINGS["free"])


def _single_row(fee: FeeRows, problems: Problems) -> SheetRow:
    first = fee.rows[0]
    for row in fee.rows[1:]:
        problems.add(row.number, "fee_name", "duplicate_fee", other_row=first.number)
    for column in ("tier_lower", "tier_upper", "billing_period", "components"):
        for row in fee.rows:
            if not is_blank(row.cells.get(column)):
                problems.add(row.number, column, "not_for_flat")
    return first


def _required(row: SheetRow, column: str, value: Any, problems: Problems) -> bool:
    if value is None:
        problems.add(row.number, column, "required")
    return value is not None


def _price(row: SheetRow, problems: Problems) -> Any:
    price = row.cells.get("unit_price")
    if is_blank(price):
        problems.add(row.number, "unit_price", "required")
        return INVALID
    return problems.read(row, "unit_price", money, price)


def _flat(fee: FeeRows, level: dict, problems: Problems) -> dict[str, Any] | None:
    row = _single_row(fee, problems)
    amount = _price(row, problems)
    unit_value = level["unit"][0]
    if not _required(row, "unit", unit_value, problems) or INVALID in (amount, unit_value):
        return None
    return {"type": "flat", "amount": amount, "unit": unit_value}


def _free(fee: FeeRows, problems: Problems) -> dict[str, Any]:
    row = _single_row(fee, problems)
    price = row.cells.get("unit_price")
    if not is_blank(price) and not _says_free(price):
        amount = problems.read(row, "unit_price", money, price)
        if amount is not INVALID and Decimal(amount) != 0:
            problems.add(row.number, "unit_price", "free_with_price")
    return {"type": "free"}


def _text(fee: FeeRows, problems: Problems) -> dict[str, Any] | None:
    row = _single_row(fee, problems)
    wording = text(row.cells.get("unit_price"))
    if not _required(row, "unit_price", wording or None, problems):
        return None
    if len(wording) > NAME_LIMIT:
        problems.add(row.number, "unit_price", "too_long", limit=NAME_LIMIT)
        return None
    return {"type": "text", "text": wording}


@dataclass
class _Tier:
    row: SheetRow
    lower: str
    upper: str | None
    inclusive: bool | None
    price: str
    components: list[dict[str, str]]


def _read_tier(row: SheetRow, problems: Problems) -> _Tier | None:
    cells = row.cells
    found = problems.read(
        row, "tier_lower", bounds, cells.get("tier_lower"), cells.get("tier_upper")
    )
    price = _price(row, problems)
    parts = problems.read(row, "components", components, cells.get("components"))
    if INVALID in (found, price, parts):
        return None
    return _Tier(row, found.lower, found.upper, found.inclusive, price, parts)


def _is_whole(value: str) -> bool:
    return Decimal(value) == Decimal(value).to_integral_value()


def _close_whole_unit_steps(tiers: list[_Tier]) -> None:
    """Read "0–180(含)" then "181–260(含)" as one table without a gap.

    Price bureaus publish integer bounds and bill whole units (meters are read to the whole
    kWh or m³), so after an inclusive upper bound N nothing lies between N and N+1: a next
    tier starting at N+1 continues the table, and is stored starting at N (bounds belong to
    the lower tier). Everything else is a real gap and stays one: a step of more than 1
    (181 after 179), a step of 1 between bounds that are not whole numbers (180.5 → 181.5),
    and N+1 after an upper bound marked (不含), where N itself would belong to no tier.
    """
    marks = {t.inclusive for t in tiers} - {None}
    if marks == {False}:
        return
    for prev, tier in zip(tiers, tiers[1:], strict=False):
        if (
            prev.upper is not None
            and _is_whole(prev.upper)
            and _is_whole(tier.lower)
            and Decimal(tier.lower) == Decimal(prev.upper) + 1
        ):
            tier.lower = prev.upper


def _check_tiers(tiers: list[_Tier], problems: Problems) -> bool:
    before = problems.count
    first = tiers[0]
    if Decimal(first.lower) != 0:
        problems.add(first.row.number, "tier_lower", "tier_not_from_zero", lower=first.lower)
    for prev, tier in zip(tiers, tiers[1:], strict=False):
        if prev.upper is None:
            problems.add(prev.row.number, "tier_upper", "tier_open_before_last")
        elif Decimal(tier.lower) != Decimal(prev.upper):
            code = "tier_overlap" if Decimal(tier.lower) < Decimal(prev.upper) else "tier_gap"
            problems.add(
                tier.row.number,
                "tier_lower",
                code,
                lower=tier.lower,
                upper=prev.upper,
                other_row=prev.row.number,
            )
    for tier in tiers:
        if tier.upper is not None and Decimal(tier.upper) <= Decimal(tier.lower):
            problems.add(tier.row.number, "tier_upper", "tier_upper_too_low")
        total = sum((Decimal(c["price"]) for c in tier.components), Decimal(0))
        if tier.components and total != Decimal(tier.price):
            problems.add(
                tier.row.number, "components", "components_sum", total=str(total), price=tier.price
            )
    last = tiers[-1]
    if last.upper is not None:
        problems.add(last.row.number, "tier_upper", "tier_last_closed")
    marks = [t for t in tiers if t.inclusive is not None]
    for tier in marks[1:]:
        if tier.inclusive != marks[0].inclusive:
            problems.add(tier.row.number, "tier_upper", "mixed_inclusive")
    return problems.count == before


def _tiers(fee: FeeRows, level: dict, problems: Problems) -> dict[str, Any] | None:
    first = fee.rows[0]
    unit_value, period = level["unit"][0], level["billing_period"][0]
    ok = _required(first, "unit", unit_value, problems)
    ok = _required(first, "billing_period", period, problems) and ok
    if len(fee.rows) > MAX_TIERS:
        problems.add(fee.rows[MAX_TIERS].number, "tier_lower", "too_many_tiers", limit=MAX_TIERS)
        ok = False
    tiers = [_read_tier(row, problems) for row in fee.rows]
    if not ok or None in tiers or INVALID in (unit_value, period):
        return None
    tiers.sort(key=lambda t: Decimal(t.lower))
    _close_whole_unit_steps(tiers)
    if not _check_tiers(tiers, problems):
        return None
    pricing: dict[str, Any] = {"type": "tiers", "unit": unit_value, "period": period}
    marks = {t.inclusive for t in tiers} - {None}
    # Bounds belong to the lower tier unless the sheet says (不含); a fee that never said
    # either way keeps saying nothing.
    current = (fee.current or {}).get("pricing", {})
    if marks or "upper_inclusive" in current or fee.current is None:
        pricing["upper_inclusive"] = marks != {False}
    pricing["tiers"] = [
        {"lower": t.lower, "upper": t.upper, "price": t.price}
        | ({"components": t.components} if t.components else {})
        for t in tiers
    ]
    # The sheet has no columns for the household allowances; they stay as the fee had them.
    for key in TIER_ALLOWANCES:
        if key in current:
            pricing[key] = current[key]
    return pricing


PRICING_BUILDERS = {
    "tiers": _tiers,
    "flat": _flat,
    "free": lambda fee, level, problems: _free(fee, problems),
    "text": lambda fee, level, problems: _text(fee, problems),
}


def _optional_text(
    fee: dict[str, Any], key: str, value: str, current: dict[str, Any] | None
) -> None:
    # An empty value stays absent, unless the fee being replaced stored it empty.
    if value or (current or {}).get(key) == "":
        fee[key] = value


def build_fee(
    fee: FeeRows, index: BasisIndex, preferred: set[str], problems: Problems
) -> dict[str, Any] | None:
    """The fee as revision content, or None when its rows have errors (all recorded)."""
    first = fee.rows[0]
    level = fee_level(fee, problems)
    pricing_type = _pricing_type(fee, level["pricing"][0])
    if pricing_type is INVALID:
        return None
    pricing = PRICING_BUILDERS[pricing_type](fee, level, problems)
    refs: Any = []
    # A market-regulated price cites no price basis (only the price-marking rules it is shown
    # under, kept from the fee it replaces), so its basis cell may be blank.
    market_regulated = bool((fee.current or {}).get("market_regulated"))
    basis_cell, basis_row = level["basis"]
    if basis_cell is not None and basis_cell is not INVALID:
        row = next(r for r in fee.rows if r.number == basis_row)
        refs = problems.read(row, "basis", index.refs, row.cells["basis"], preferred)
    elif basis_cell is None and pricing_type != "free" and not market_regulated:
        problems.add(first.number, "basis", "missing_basis")
        refs = INVALID
    name = text(first.cells.get("fee_name"))
    customer_class = text(first.cells.get("customer_class"))
    note = level["note"][0] or ""
    details = {key: level[key][0] or "" for key in ("service_content", "payee")}
    for column, value, limit in (
        ("fee_name", name, NAME_LIMIT),
        ("customer_class", customer_class, CLASS_LIMIT),
        ("service_content", details["service_content"], NOTE_LIMIT),
        ("payee", details["payee"], PAYEE_LIMIT),
        ("note", note, NOTE_LIMIT),
    ):
        if len(value) > limit:
            problems.add(first.number, column, "too_long", limit=limit)
            pricing = None
    if pricing is None or INVALID in (refs, level["kind"][0]):
        return None
    current = fee.current
    out: dict[str, Any] = {
        "name": current["name"] if current else simplified(name),
        "kind": level["kind"][0] or "charge",
        "pricing": pricing,
        "basis": refs,
    }
    _optional_text(
        out,
        "customer_class",
        current.get("customer_class", "") if current else simplified(customer_class),
        current,
    )
    for key, value in details.items():
        if key in first.cells:
            _optional_text(out, key, value, current)
        elif current and key in current:
            # A sheet made before these columns existed leaves them as they were.
            out[key] = current[key]
    _optional_text(out, "note", note, current)
    # The sheet has no columns for these; they stay as the fee being replaced had them.
    for key in ("reductions", "valid_until", "valid_from", "market_regulated", "display_basis"):
        if current and key in current:
            out[key] = current[key]
    return out
