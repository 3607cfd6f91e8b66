"""The whole catalogue written as one workbook (XLSX) or the same sheets as JSON.

Before anything is written the output is read back the way an import reads it, and each
record compared with the database: a field no column carries stops the export with its
name, so nothing is left out of a workbook without anyone noticing.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from services.catalogue.workbook.gathering import Table, columns_of, gather
from services.catalogue.workbook.layout import Uncovered, record_rows, translation_rows
from services.catalogue.workbook.records import catalogue_records
from services.catalogue.workbook.sheets import (
    FORMAT_NAME,
    FORMAT_VERSION,
    SHEET_BY_NAME,
    SHEETS,
    TRANSLATED,
)

FORMATS = ("xlsx", "json")


def catalogue_tables(records: dict[str, list[dict[str, Any]]]) -> dict[str, list[list[Any]]]:
    """Every sheet as rows of cells in header order, from the records."""
    stored: dict[str, list[dict[str, Any]]] = {"translations": []}
    for sheet in ("utilities", "halls", "legal_bases", "channels", "items"):
        stored |= record_rows(sheet, records[sheet])
        key = SHEET_BY_NAME[sheet].key
        stored["translations"] += translation_rows(sheet, records[sheet], key)
    tables = {}
    for spec in SHEETS:
        columns = columns_of(spec)
        tables[spec.name] = [
            [columns[name].kind.write(row.get(name)) for name in spec.header]
            for row in stored[spec.name]
        ]
    return tables


def check_covered(
    records: dict[str, list[dict[str, Any]]], tables: dict[str, list[list[Any]]]
) -> None:
    """Raise Uncovered unless reading the tables back gives every record's content and
    translations exactly as they are stored."""
    gathered = gather(
        {spec.name: Table(spec.header, list(enumerate(tables[spec.name], 2))) for spec in SHEETS}
    )
    if gathered.problems:
        raise Uncovered("; ".join(p.text() for p in gathered.problems[:5]))
    for sheet in TRANSLATED:
        key = SHEET_BY_NAME[sheet].key
        found = {record[key]: record for _, record in gathered.records[sheet]}
        for record in records[sheet]:
            back = found[record[key]]
            if sheet == "items":
                if back.get("content") != record["content"]:
                    raise Uncovered(
                        f"items {record[key]}: "
                        + _first_difference(record["content"], back.get("content"))
                    )
                continue
            original = record.get("translations") or {}
            if (back.get("translations") or {}) != original:
                raise Uncovered(f"{sheet} {record[key]}: translations")


def _first_difference(original: Any, back: Any, path: str = "content") -> str:
    if isinstance(original, dict) and isinstance(back, dict):
        for key in list(original) + [k for k in back if k not in original]:
            if original.get(key, ...) != back.get(key, ...):
                return _first_difference(original.get(key), back.get(key), f"{path}.{key}")
    if isinstance(original, list) and isinstance(back, list) and len(original) == len(back):
        for index, (a, b) in enumerate(zip(original, back, strict=True)):
            if a != b:
                return _first_difference(a, b, f"{path}[{index}]")
    return f"{path} is not carried by any column ({original!r} would come back as {back!r})"


def _json_cell(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def export_catalogue(fmt: str) -> bytes:
    """The whole catalogue as XLSX or JSON bytes; Uncovered if a record holds a field the
    workbook has no column for."""
    from services.spreadsheets.files import write_xlsx

    records = catalogue_records()
    tables = catalogue_tables(records)
    check_covered(records, tables)
    if fmt == "json":
        sheets = {
            spec.name: [
                {name: _json_cell(cell) for name, cell in zip(spec.header, row, strict=True)}
                for row in tables[spec.name]
            ]
            for spec in SHEETS
        }
        document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "sheets": sheets}
        return json.dumps(document, ensure_ascii=False, indent=1).encode()
    return write_xlsx([(spec.name, spec.header, tables[spec.name]) for spec in SHEETS])
