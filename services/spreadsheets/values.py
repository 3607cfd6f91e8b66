"""One spreadsheet cell read the way a person meant it: full-width digits, thousands
separators, "0-180(含)" ranges, "以上", Traditional characters and stray spaces included."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import opencc

from services.content.schema import MONEY, QUANTITY
from services.content.text import INVISIBLE
from services.fees.sheet import UNITS, allowed_words

_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
# A unit written after a number ("0-180度(含)", "260立方米以上"); the unit column says which.
_UNIT = r"(?:千瓦时|千瓦·时|kw·h|kwh|度|立方米|立方|方|m3|吨|t|吉焦|gj)?"
_NUM = r"\d[\d,]*(?:\.\d+)?"
_MARK = r"(?:\(?(不含|含)\)?)?"
# Dashes as price bureaus type them: hyphen, en and em dash, minus, wave; NFKC has already
# turned the full-width ones (－ ～) into these.
_DASH = r"(?:-|~|—|–|‐|‑|−|―|〜|至|到)"
_RANGE = re.compile(rf"({_NUM}){_UNIT}{_DASH}({_NUM}){_UNIT}{_MARK}")
_ABOVE = re.compile(rf"(?:>|≥|超过|大于)({_NUM}){_UNIT}|({_NUM}){_UNIT}(?:及以上|以上|\+)")
_BELOW = re.compile(
    rf"(?:≤|<|不超过|小于)({_NUM}){_UNIT}{_MARK}|({_NUM}){_UNIT}(?:及以下|以下){_MARK}"
)
_UPPER = re.compile(rf"({_NUM}){_UNIT}{_MARK}")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?")
# Words a spreadsheet puts in an upper-bound cell to say "no upper bound".
_OPEN_WORDS = {"", "以上", "及以上", "无", "无上限", "不限", "∞", "-", "—", "/"}
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:T?\d{1,2}:\d{2}(?::\d{2})?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_COMPONENT_SPLIT = re.compile(r"[;；\n、]+|[,，](?=\s*\D)")
_COMPONENT = re.compile(r"(.*?)[\s:：=＝]*([0-9０-９][0-9０-９.,，．。]*)\s*元?")


class CellError(ValueError):
    """A cell that cannot be read; `code` and `params` fill an ERROR_MESSAGES entry."""

    def __init__(self, code: str, column: str | None = None, **params: Any):
        super().__init__(code)
        self.code = code
        self.column = column
        self.params = params


@dataclass(frozen=True)
class Bounds:
    """A tier's bounds; `inclusive` is True for (含), False for (不含), None when unsaid."""

    lower: str
    upper: str | None
    inclusive: bool | None


def is_blank(value: Any) -> bool:
    """True for an empty cell or one holding only spaces."""
    return value is None or (isinstance(value, str) and not text(value))


def text(value: Any) -> str:
    """The cell as text, without surrounding spaces or invisible characters."""
    if value is None:
        return ""
    if isinstance(value, float):
        return _plain(_from_float(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).translate(_INVISIBLE).strip()


def _halfwidth(value: Any) -> str:
    # NFKC turns full-width digits, letters and punctuation into ASCII; spaces go entirely.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text(value)))


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(value: str) -> str:
    """Traditional characters converted to Simplified."""
    return _t2s().convert(value)


@lru_cache(maxsize=8192)
def _fold(value: str) -> str:
    return simplified(_halfwidth(value)).casefold()


def folded(value: Any) -> str:
    """A key for matching what people write differently: half-width, Simplified, lower case,
    without spaces."""
    return _fold(text(value))


def _from_float(value: float) -> Decimal:
    # A number cell has no typed decimals to keep: 260.0 reads as 260, 5.25 as 5.25.
    return Decimal(repr(value)).normalize()


def _plain(number: Decimal) -> str:
    return format(abs(number) if number == 0 else number, "f")


def number(value: Any, *, money: bool = False) -> str:
    """A non-negative amount (money) or quantity as plain decimal text, keeping its decimals."""
    shown = text(value)
    if isinstance(value, bool | date):
        raise CellError("not_a_number", value=shown)
    if isinstance(value, float):
        parsed = _from_float(value)
    elif isinstance(value, int):
        parsed = Decimal(value)
    else:
        cleaned = _halfwidth(value).replace("。", ".").removeprefix("¥").removesuffix("元")
        if not _PLAIN_NUMBER.fullmatch(cleaned) or not re.search(r"\d", cleaned):
            raise CellError("not_a_number", value=shown)
        try:
            parsed = Decimal(cleaned.replace(",", ""))
        except InvalidOperation as error:
            raise CellError("not_a_number", value=shown) from error
    if not parsed.is_finite():
        raise CellError("not_a_number", value=shown)
    if parsed < 0:
        raise CellError("negative", value=shown)
    out = _plain(parsed)
    if not re.fullmatch((MONEY if money else QUANTITY)["pattern"], out):
        raise CellError("too_precise", value=shown)
    return out


def money(value: Any) -> str:
    """A non-negative amount of money as plain decimal text (up to 4 decimal places)."""
    return number(value, money=True)


def _in_column(column: str, read, *args: Any):
    try:
        return read(*args)
    except CellError as error:
        error.column = error.column or column
        raise


def _inclusive(mark: str | None) -> bool | None:
    return None if not mark else mark == "含"


def _upper(cell: Any) -> tuple[str | None, bool | None]:
    if is_blank(cell):
        return None, None
    if not isinstance(cell, str):
        return number(cell), None
    key = _fold(cell)
    if key in _OPEN_WORDS:
        return None, None
    match = _UPPER.fullmatch(key)
    if not match:
        raise CellError("bad_range", value=text(cell))
    return number(match[1]), _inclusive(match[2])


def _range(key: str) -> tuple[str, str | None, str | None] | None:
    if match := _RANGE.fullmatch(key):
        return match[1], match[2], match[3]
    if match := _ABOVE.fullmatch(key):
        return match[1] or match[2], None, None
    if match := _BELOW.fullmatch(key):
        return "0", match[1] or match[3], match[2] or match[4]
    return None


def bounds(lower_cell: Any, upper_cell: Any) -> Bounds:
    """A tier's bounds from its two cells; the lower cell may hold the whole range."""
    upper, inclusive = _in_column("tier_upper", _upper, upper_cell)
    if is_blank(lower_cell):
        raise CellError("required", "tier_lower")
    found = _range(_fold(lower_cell)) if isinstance(lower_cell, str) else None
    if found is None:
        try:
            return Bounds(number(lower_cell), upper, inclusive)
        except CellError as error:
            code = "bad_range" if error.code == "not_a_number" else error.code
            raise CellError(code, "tier_lower", **error.params) from None
    lower, in_cell_upper, mark = found
    lower = _in_column("tier_lower", number, lower)
    in_cell_upper = (
        None if in_cell_upper is None else _in_column("tier_lower", number, in_cell_upper)
    )
    if not is_blank(upper_cell) and upper != in_cell_upper:
        raise CellError("range_conflict", "tier_upper")
    return Bounds(lower, in_cell_upper, _inclusive(mark) if mark else inclusive)


def day(value: Any) -> date | None:
    """A date from a date cell or from text such as 2026-01-01, 2026/1/1 or 2026年1月1日."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    key = _halfwidth(value)
    match = _DATE.fullmatch(key) or _COMPACT_DATE.fullmatch(key)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError("bad_date", value=text(value))


def choice(value: Any, vocabulary: dict[str, tuple[str, ...]]) -> str | None:
    """The stored value a word stands for (收费 → charge), None when the cell is blank."""
    if is_blank(value):
        return None
    key = folded(value)
    for stored, words in vocabulary.items():
        if key == stored or any(key == _fold(word) for word in words):
            return stored
    raise CellError("not_allowed", value=text(value), allowed=allowed_words(vocabulary))


def _unit_key(value: str) -> str:
    return re.sub(r"[・•∙⋅*×]", "·", _fold(value)).replace("每", "/")


def unit(value: Any) -> str:
    """The allowed unit the cell names (元/m³ → 元/立方米)."""
    key = _unit_key(text(value))
    for canonical, aliases in UNITS.items():
        if key == _unit_key(canonical) or any(key == _unit_key(a) for a in aliases):
            return canonical
    raise CellError("unknown_unit", value=text(value))


def components(value: Any) -> list[dict[str, str]]:
    """The parts of a tier price, from "水费 2.07；水资源费 1.57；污水处理费 1.36"."""
    if is_blank(value):
        return []
    parts = []
    for part in _COMPONENT_SPLIT.split(text(value)):
        if not part.strip():
            continue
        match = _COMPONENT.fullmatch(part.strip())
        if not match or not match[1].strip():
            raise CellError("bad_components", value=text(value))
        parts.append({"name": simplified(match[1].strip()), "price": money(match[2])})
    return parts
