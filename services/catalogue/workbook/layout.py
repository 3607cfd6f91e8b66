"""Records laid out as sheet rows and rows gathered back into records, both driven by the
declarations in sheets.py; and the check that a record survives the trip unchanged."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from services.catalogue.workbook.sheets import SHEETS, TRANSLATED, SheetSpec, children_of

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def get_path(value: Any, path: tuple[Any, ...]) -> Any:
    """The value at `path` (keys and list indexes), None when any step is missing."""
    for step in path:
        if isinstance(step, int):
            if not isinstance(value, list) or step >= len(value):
                return None
        elif not isinstance(value, dict) or step not in value:
            return None
        value = value[step]
    return value


def set_path(target: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Put `value` at `path`, making the dictionaries on the way."""
    for step in path[:-1]:
        if not isinstance(target.get(step), dict):
            target[step] = {}
        target = target[step]
    target[path[-1]] = value


def parse_field(text: str) -> tuple[Any, ...] | None:
    """`materials[0].name` as ("materials", 0, "name"); None if it is not a field path."""
    tokens: list[Any] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() != position and text[position : match.start()] != ".":
            return None
        tokens.append(int(match[2]) if match[2] is not None else match[1])
        position = match.end()
    if position != len(text) or not tokens or isinstance(tokens[0], int):
        return None
    return tuple(tokens)


def field_text(path: tuple[Any, ...]) -> str:
    """("materials", 0, "name") as `materials[0].name`."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


class Uncovered(ValueError):
    """A record holds something no column of the workbook carries."""


def leaves(tree: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text in a translation tree with its path; Uncovered for anything else."""
    if isinstance(tree, dict):
        if not tree and path:
            raise Uncovered(f"{field_text(path)} is empty")
        for key, value in tree.items():
            if not isinstance(key, str) or not _TOKEN.fullmatch(key) or key.isdigit():
                raise Uncovered(f"{field_text(path)}: key {key!r}")
            yield from leaves(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            yield from leaves(value, (*path, index))
    elif isinstance(tree, str) and tree:
        yield path, tree
    else:
        raise Uncovered(f"{field_text(path)} holds {tree!r}")


def put_leaf(tree: dict[str, Any], path: tuple[Any, ...], text: str) -> bool:
    """Put one translated text into its tree; False when a list index skips a place."""
    target: Any = tree
    for step, following in zip(path, path[1:], strict=False):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(step, int):
            if not isinstance(target, list) or step > len(target):
                return False
            if step == len(target):
                target.append(empty)
        elif not isinstance(target, dict):
            return False
        else:
            target.setdefault(step, empty)
        target = target[step]
        if type(target) is not type(empty):
            return False
    last = path[-1]
    if isinstance(last, int):
        if not isinstance(target, list) or last != len(target):
            return False
        target.append(text)
    elif not isinstance(target, dict) or last in target:
        return False
    else:
        target[last] = text
    return True


def _element_row(spec: SheetSpec, element: dict[str, Any]) -> dict[str, Any]:
    return {column.name: get_path(element, column.path) for column in spec.columns}


def record_rows(sheet: str, records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The rows of a top-level sheet and of every sheet below it, as stored values."""
    spec = next(s for s in SHEETS if s.name == sheet)
    out: dict[str, list[dict[str, Any]]] = {spec.name: []}
    for child in children_of(sheet):
        out[child.name] = []
        for grandchild in children_of(child.name):
            out[grandchild.name] = []
    for record in records:
        out[spec.name].append(_element_row(spec, record))
        for child in children_of(sheet):
            for place, element in enumerate(get_path(record, child.within) or [], 1):
                link = {"item": record[spec.key], "position": place}
                out[child.name].append(link | _element_row(child, element))
                for grandchild in children_of(child.name):
                    for inner, part in enumerate(get_path(element, grandchild.within) or [], 1):
                        row = {"item": record[spec.key], "fee": place, "position": inner}
                        out[grandchild.name].append(row | _element_row(grandchild, part))
    return out


def translation_rows(sheet: str, records: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """One translations row per translated text of the sheet's records."""
    rows = []
    for record in records:
        for language, tree in (get_path(record, TRANSLATED[sheet]) or {}).items():
            try:
                for path, text in leaves(tree):
                    rows.append(
                        {
                            "sheet": sheet,
                            "key": record[key],
                            "language": language,
                            "field": field_text(path),
                            "text": text,
                        }
                    )
            except Uncovered as error:
                raise Uncovered(
                    f"{sheet} {record[key]}: translations.{language}: {error}"
                ) from None
    return rows


@dataclass
class Row:
    """One data row as read: its sheet, its number (or place in a JSON list), its stored
    values by column and the cell reference of each column."""

    sheet: str
    number: int
    values: dict[str, Any]
    # Where each column's cell is, as people name it: `items!F12` (or `items[10].name`).
    cells: dict[str, str] = field(default_factory=dict)
    label: str = ""

    def where(self, column: str | None = None) -> str:
        """The cell of `column`, or the row as a whole (`items!12`)."""
        if column and column in self.cells:
            return self.cells[column]
        return self.label or f"{self.sheet}!{self.number}"


def _copy_defaults(defaults: dict[str, Any]) -> dict[str, Any]:
    import copy

    return copy.deepcopy(defaults)


def build_element(spec: SheetSpec, row: Row) -> dict[str, Any]:
    """The record or element a row describes, from its non-blank cells and the defaults."""
    element = _copy_defaults(spec.defaults)
    for column in spec.columns:
        value = row.values.get(column.name)
        if value is not None:
            set_path(element, column.path, value)
    return element
