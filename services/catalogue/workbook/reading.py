"""A catalogue file's bytes as sheets of cells: XLSX read in a limited child process after
its size and packing are checked, or JSON in the export's shape. Nothing here knows the
columns; gathering.py reads the cells."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any, NoReturn

from services.catalogue.workbook.gathering import Table
from services.catalogue.workbook.messages import Problem, Refused
from services.catalogue.workbook.sheets import FORMAT_NAME, FORMAT_VERSION
from services.fees.sheet import SheetFailure
from services.spreadsheets.files import OLE_MAGIC, cell_value, open_workbook
from services.spreadsheets.inspection import SheetLimits, check_workbook
from services.spreadsheets.isolation import ParseLimits, run_limited

MAX_FILE_BYTES = 20 * 1024 * 1024
# A whole city's catalogue: thousands of items with their materials, steps and fees.
LIMITS = SheetLimits(
    rows=60_000,
    cells=400_000,
    merged_ranges=2000,
    merged_cells=100_000,
    shared_strings=300_000,
    unpacked_bytes=80 * 1024 * 1024,
)


def _refuse(code: str, **params: Any) -> NoReturn:
    raise Refused([Problem("", code, params)])


def _xlsx_sheets(data: bytes) -> dict[str, Any]:
    """Every sheet's cells (formulas marked), and every merged range; run in the child."""
    book = open_workbook(data)
    sheets = {}
    merged = []
    for sheet in book.worksheets:
        merged += [(sheet.title, str(span)) for span in sheet.merged_cells.ranges]
        rows = [(row[0].row, [cell_value(cell) for cell in row]) for row in sheet.iter_rows()]
        header = rows[0][1] if rows else []
        sheets[sheet.title] = (header, rows[1:])
    return {"sheets": sheets, "merged": merged}


def _from_failure(failure: SheetFailure) -> Refused:
    problems = []
    for error in failure.errors:
        params = dict(error.params)
        if error.code == "too_many_rows":
            params["limit"] = LIMITS.rows
        code = error.code if error.code in _FILE_CODES else "unreadable"
        problems.append(Problem("", code, params))
    return Refused(problems)


_FILE_CODES = {
    "unreadable",
    "file_too_large",
    "sheet_too_large",
    "too_many_rows",
    "too_many_cells",
    "merged_too_large",
    "long_text",
    "packed_too_tightly",
    "too_complex",
}


def _xlsx_tables(data: bytes, limits: ParseLimits) -> dict[str, Table]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                _refuse("wrong_file_type")
        check_workbook(data, LIMITS)  # before openpyxl builds a single cell
        found = run_limited(_xlsx_sheets, data, limits)
    except zipfile.BadZipFile:
        _refuse("unreadable")
    except SheetFailure as failure:
        raise _from_failure(failure) from None
    if found["merged"]:
        raise Refused(
            [Problem(title, "merged", {"range": ref}) for title, ref in found["merged"][:20]]
        )
    return {
        title: Table(list(header), [(number, list(cells)) for number, cells in rows])
        for title, (header, rows) in found["sheets"].items()
    }


def _json_tables(data: bytes) -> dict[str, Table]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        _refuse("bad_json", detail=str(error)[:120])
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        _refuse("bad_json", detail=f"“format” is not “{FORMAT_NAME}”")
    if document.get("version") != FORMAT_VERSION:
        _refuse("bad_json", detail=f"“version” is not {FORMAT_VERSION}")
    sheets = document.get("sheets")
    if not isinstance(sheets, dict):
        _refuse("bad_json", detail="“sheets” is not an object")
    from services.catalogue.workbook.sheets import SHEET_BY_NAME

    tables = {}
    for name, rows in sheets.items():
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            _refuse("bad_json", detail=f"“{name}” is not a list of rows")
        header: list[str] = []
        for row in rows:
            header += [key for key in row if key not in header]
        if not rows and name in SHEET_BY_NAME:
            header = SHEET_BY_NAME[name].header
        for row in rows:
            for value in row.values():
                if isinstance(value, dict | list):
                    _refuse("bad_json", detail=f"“{name}” holds a nested value")
        tables[name] = Table(
            header,
            [(index, [row.get(key) for key in header]) for index, row in enumerate(rows)],
            letters=False,
        )
    return tables


def read_tables(data: bytes, limits: ParseLimits) -> dict[str, Table]:
    """The sheets of an XLSX or JSON catalogue; Refused for anything else or anything too
    big, damaged or built to exhaust the reader."""
    if len(data) > MAX_FILE_BYTES:
        _refuse("file_too_large", limit=f"{MAX_FILE_BYTES // 1024 // 1024} MB")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_tables(data, limits)
    if data.startswith(OLE_MAGIC):
        _refuse("legacy_xls")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_tables(data)
    if b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                continue
            # Text, so a CSV or similar: one sheet cannot hold a catalogue.
            _refuse("csv_not_accepted")
    _refuse("wrong_file_type")
