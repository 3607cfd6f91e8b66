"""Field-by-field differences between two contents, fee and time-limit changes marked."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from services.content.schema import CONTENT_PROPERTIES

_BOOKKEEPING = re.compile(r"translations\.\w+\.sources\.")
FIELD_ORDER = {key: n for n, key in enumerate([*CONTENT_PROPERTIES, "translations"])}
# A cited document's code, wherever it sits (basis, fees' basis and display rules, reductions,
# a price notice's document and disclosure rule, the law a time limit comes from).
BASIS_CODE = re.compile(r"(basis\[\d+\]|price_notice\.document|disclosure\.basis|source)\.code$")


@dataclass(frozen=True)
class FieldChange:
    """One leaf of the content that differs between two revisions."""

    path: str
    old: Any
    new: Any

    @property
    def field(self) -> str:
        """The top-level content field the change sits in."""
        return top_field(self.path)

    @property
    def is_fee(self) -> bool:
        return self.field == "fees"

    @property
    def is_time_limit(self) -> bool:
        return self.field == "time_limits" or (self.field == "steps" and ".time_limit" in self.path)

    @property
    def kind(self) -> str:
        """added, removed or changed."""
        if self.old is None:
            return "added"
        return "removed" if self.new is None else "changed"


def top_field(path: str) -> str:
    """`fees[0].pricing.unit` → `fees`."""
    return path.split(".")[0].split("[")[0]


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Every non-blank leaf of a content tree by its field path (`fees[0].pricing.unit`).

    Blank leaves are left out, so a missing field, null, "" and [] all read the same.
    """
    if isinstance(value, dict):
        found: dict[str, Any] = {}
        for key, child in value.items():
            found |= flatten(child, f"{path}.{key}" if path else key)
        return found
    if isinstance(value, list):
        found = {}
        for n, child in enumerate(value):
            found |= flatten(child, f"{path}[{n}]")
        return found
    return {} if _is_blank(value) else {path: value}


def field_position(path: str) -> tuple[int, tuple[int, ...]]:
    """Sort key: the top-level field's place in the schema, then the row numbers."""
    rows = tuple(int(n) for n in path.replace("]", "[").split("[")[1::2])
    return FIELD_ORDER.get(top_field(path), len(FIELD_ORDER)), rows


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[FieldChange]:
    """Field-by-field changes from `old` to `new`, in the order the content is laid out."""
    before, after = flatten(old or {}), flatten(new)
    # What each translation was made from is kept for the translations' sake; nobody reads it.
    paths = [p for p in dict.fromkeys([*after, *before]) if not _BOOKKEEPING.match(p)]
    changes = [
        FieldChange(p, before.get(p), after.get(p)) for p in paths if before.get(p) != after.get(p)
    ]
    return sorted(changes, key=lambda c: field_position(c.path))


def fee_or_limit_changes(old: dict[str, Any] | None, new: dict[str, Any]) -> list[FieldChange]:
    """The changes that a minor revision may not make."""
    return [c for c in diff(old, new) if c.is_fee or c.is_time_limit]


def with_document_numbers(changes: list[FieldChange], names: dict[str, str]) -> list[FieldChange]:
    """The changes with each cited document shown by its 文号 (`names`: code → 文号, or its
    title when it has none) instead of the internal code residents never see."""
    return [
        replace(c, old=names.get(c.old, c.old), new=names.get(c.new, c.new))
        if BASIS_CODE.search(c.path)
        else c
        for c in changes
    ]
