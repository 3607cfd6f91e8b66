"""Sheets read back into records: every cell read by its column's kind, every child row
put into its parent, translations into their texts. Needs no database: the import checks
references and content afterwards, and the export runs its own output through here."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from services.catalogue.workbook import cells
from services.catalogue.workbook.cells import CellProblem
from services.catalogue.workbook.layout import Row, build_element, parse_field, put_leaf
from services.catalogue.workbook.messages import Problem
from services.catalogue.workbook.sheets import (
    SHEET_BY_NAME,
    SHEETS,
    TRANSLATED,
    Column,
    SheetSpec,
    children_of,
)
from services.spreadsheets.files import Formula
from services.spreadsheets.values import is_blank

POSITION = Column("position", ("position",), cells.WHOLE, "序号", True)


@dataclass
class Table:
    """One sheet as read: its header cells and its data rows (number, cells), and how its
    cells are named in messages (`items!F12` for a workbook, `items[10].name` for JSON)."""

    header: list[Any]
    rows: list[tuple[int, list[Any]]]
    letters: bool = True


@dataclass
class Gathered:
    """The records found, by sheet, each with the row it came from; for every item, where
    each part of its content came from; and every problem found."""

    records: dict[str, list[tuple[Row, dict[str, Any]]]] = field(default_factory=dict)
    # item code → {content path: (row, sheet spec)}
    origins: dict[str, dict[tuple[Any, ...], tuple[Row, SheetSpec]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rows_by_sheet: dict[str, int] = field(default_factory=dict)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def columns_of(spec: SheetSpec) -> dict[str, Column]:
    """Every column of the sheet by name, the parent and position columns included."""
    links = {"item": Column("item", ("item",), cells.TEXT, "事项编码", True)}
    links["fee"] = Column("fee", ("fee",), cells.WHOLE, "收费项目序号", True)
    found = {name: links[name] for name in spec.links}
    if spec.parent:
        found["position"] = POSITION
    return found | {column.name: column for column in spec.columns}


def _header(spec: SheetSpec, table: Table, out: Gathered) -> dict[str, int] | None:
    wanted = columns_of(spec)
    found: dict[str, int] = {}
    ok = True
    for index, heading in enumerate(table.header):
        if is_blank(heading):
            continue
        name = str(heading).strip()
        where = f"{spec.name}!{_letter(index)}1" if table.letters else spec.name
        if name not in wanted:
            out.problems.append(Problem(where, "unknown_column", {"column": name}))
            ok = False
        elif name in found:
            out.problems.append(Problem(where, "duplicate_column", {"column": name}))
            ok = False
        else:
            found[name] = index
    for name in wanted:
        if name not in found:
            out.problems.append(Problem(f"{spec.name}!1", "missing_column", {"column": name}))
            ok = False
    return found if ok else None


def _read_rows(spec: SheetSpec, table: Table, out: Gathered) -> list[Row]:
    positions = _header(spec, table, out)
    if positions is None:
        return []
    columns = columns_of(spec)
    rows = []
    for place, (number, values) in enumerate(table.rows):
        raw = {name: values[i] if i < len(values) else None for name, i in positions.items()}
        if all(is_blank(value) for value in raw.values()):
            continue
        if table.letters:
            refs = {name: f"{spec.name}!{_letter(i)}{number}" for name, i in positions.items()}
            label = f"{spec.name}!{number}"
        else:
            refs = {name: f"{spec.name}[{place}].{name}" for name in positions}
            label = f"{spec.name}[{place}]"
        row = Row(spec.name, number, {}, refs, label)
        for name, value in raw.items():
            column = columns[name]
            params = {"label": column.label}
            if isinstance(value, Formula):
                out.problems.append(
                    Problem(row.where(name), "formula", params | {"formula": value.text[:80]})
                )
                continue
            try:
                stored = column.kind.read(value)
            except CellProblem as problem:
                code = "bad_cell_json" if problem.code == "bad_json" else problem.code
                out.problems.append(Problem(row.where(name), code, params | problem.params))
                continue
            if stored is None and column.required:
                out.problems.append(Problem(row.where(name), "required", params))
            row.values[name] = stored
        rows.append(row)
    out.rows_by_sheet[spec.name] = len(rows)
    return rows


def _unique(rows: list[Row], key, column: str, label: str, out: Gathered) -> None:
    seen: dict[Any, Row] = {}
    for row in rows:
        value = key(row)
        if value is None or (isinstance(value, tuple) and None in value):
            continue
        if value in seen:
            shown = value[-1] if isinstance(value, tuple) else value
            params = {"label": label, "value": shown, "other": seen[value].where(column)}
            out.problems.append(Problem(row.where(column), "duplicate_key", params))
        else:
            seen[value] = row


def _place_children(
    spec: SheetSpec,
    rows: list[Row],
    parents: dict[Any, tuple[Row, dict[str, Any]]],
    items: set[str],
    out: Gathered,
) -> dict[Any, list[tuple[Row, dict[str, Any]]]]:
    """Each child row's element under its parent, ordered by position."""
    grouped: dict[Any, list[tuple[int, Row]]] = defaultdict(list)
    for row in rows:
        item = row.values.get("item")
        if item is None:
            continue
        parent_key: Any = item if spec.parent == "items" else (item, row.values.get("fee"))
        if parent_key not in parents:
            if item not in items:
                out.problems.append(Problem(row.where("item"), "unknown_item", {"value": item}))
            else:
                params = {"item": item, "value": row.values.get("fee")}
                out.problems.append(Problem(row.where("fee"), "unknown_fee", params))
            continue
        position = row.values.get("position")
        if position is None:
            continue
        taken = [other for place, other in grouped[parent_key] if place == position]
        if taken:
            params = {"value": position, "other": taken[0].where("position")}
            out.problems.append(Problem(row.where("position"), "duplicate_position", params))
            continue
        grouped[parent_key].append((position, row))
    placed: dict[Any, list[tuple[Row, dict[str, Any]]]] = {}
    for parent_key, members in grouped.items():
        members.sort(key=lambda pair: pair[0])
        elements = [(row, build_element(spec, row)) for _, row in members]
        placed[parent_key] = elements
        _parent_row, parent = parents[parent_key]
        target = parent
        for step in spec.within[:-1]:
            target = target.setdefault(step, {})
        target[spec.within[-1]] = [element for _, element in elements]
    return placed


def _translations(rows: list[Row], gathered: Gathered) -> None:
    keys = {
        sheet: {record[SHEET_BY_NAME[sheet].key]: record for _, record in gathered.records[sheet]}
        for sheet in TRANSLATED
        if sheet in gathered.records
    }
    for row in rows:
        sheet, key = row.values.get("sheet"), row.values.get("key")
        language, text = row.values.get("language"), row.values.get("text")
        if None in (sheet, key, language, text) or row.values.get("field") is None:
            continue
        record = keys.get(sheet, {}).get(key)
        if record is None:
            params = {"target": sheet, "value": key}
            gathered.problems.append(Problem(row.where("key"), "unknown_record", params))
            continue
        path = parse_field(row.values["field"])
        if path is None:
            params = {"value": row.values["field"]}
            gathered.problems.append(Problem(row.where("field"), "bad_field", params))
            continue
        owner = record
        for step in TRANSLATED[sheet][:-1]:
            owner = owner.setdefault(step, {})
        tree = owner.setdefault(TRANSLATED[sheet][-1], {}).setdefault(language, {})
        if not put_leaf(tree, path, text):
            params = {"value": row.values["field"]}
            gathered.problems.append(Problem(row.where("field"), "translation_place", params))


def gather(tables: dict[str, Table]) -> Gathered:
    """Every record the tables describe, with every problem found on the way."""
    out = Gathered()
    for name in tables:
        if name not in SHEET_BY_NAME:
            allowed = ", ".join(spec.name for spec in SHEETS)
            out.problems.append(Problem(name, "unknown_sheet", {"sheet": name, "allowed": allowed}))
    for spec in SHEETS:
        if spec.name not in tables:
            out.problems.append(Problem("", "missing_sheet", {"sheet": spec.name}))
    if out.problems:
        return out
    rows = {spec.name: _read_rows(spec, tables[spec.name], out) for spec in SHEETS}
    for spec in SHEETS:
        if spec.key is None or spec.parent:
            continue
        label = next(c.label for c in spec.columns if c.name == spec.key)
        _unique(rows[spec.name], lambda r, k=spec.key: r.values.get(k), spec.key, label, out)
        out.records[spec.name] = [(row, build_element(spec, row)) for row in rows[spec.name]]
    slug_label = next(c.label for c in SHEET_BY_NAME["items"].columns if c.name == "slug")
    _unique(
        rows["items"],
        lambda r: (r.values.get("utility"), r.values.get("slug")),
        "slug",
        slug_label,
        out,
    )
    items = {record["code"]: (row, record) for row, record in out.records["items"]}
    for code, (row, _record) in items.items():
        out.origins[code] = {(): (row, SHEET_BY_NAME["items"])}
    for child in children_of("items"):
        placed = _place_children(child, rows[child.name], items, set(items), out)
        for code, elements in placed.items():
            for index, (row, _element) in enumerate(elements):
                out.origins[code][(*child.within[1:], index)] = (row, child)
        for grandchild in children_of(child.name):
            parents = {
                (code, row.values["position"]): (row, element)
                for code, elements in placed.items()
                for row, element in elements
            }
            found = _place_children(grandchild, rows[grandchild.name], parents, set(items), out)
            for (code, fee_position), elements in found.items():
                fee_index = next(
                    i
                    for i, (r, _) in enumerate(placed[code])
                    if r.values["position"] == fee_position
                )
                for index, (row, _element) in enumerate(elements):
                    path = (*child.within[1:], fee_index, *grandchild.within, index)
                    out.origins[code][path] = (row, grandchild)
    _translations(rows["translations"], out)
    return out


def content_origin(gathered: Gathered, code: str, path: tuple[Any, ...]) -> tuple[Row, str | None]:
    """The row and column a content path (from a schema error) came from."""
    origins = gathered.origins.get(code, {})
    for cut in range(len(path), -1, -1):
        if path[:cut] in origins:
            row, spec = origins[path[:cut]]
            rest = path[cut:]
            base = 1 if spec.name == "items" else 0
            for column in spec.columns:
                inner = column.path[base:]
                if rest and inner[: len(rest)] == rest or (rest and rest[: len(inner)] == inner):
                    return row, column.name
            return row, None
    row, _ = origins[()]
    return row, None
