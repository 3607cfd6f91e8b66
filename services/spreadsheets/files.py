"""Spreadsheet bytes in and out: XLSX (openpyxl) and CSV, told apart by content, not name."""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.content.text import from_inert, inert
from services.fees.sheet import (
    COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    SheetError,
    SheetFailure,
)
from services.spreadsheets.inspection import check_workbook
from services.spreadsheets.values import folded, is_blank

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc) container
HEADER_SEARCH_ROWS = 20
# Past this many rows a sheet cannot be a fee table, even counting blank rows in between.
MAX_GRID_ROWS = MAX_ROWS * 10
MAX_GRID_COLUMNS = 60


@dataclass(frozen=True)
class Formula:
    """A cell that computes its value; imports want the value itself."""

    text: str


@dataclass(frozen=True)
class SheetRow:
    """One data row: its number as the spreadsheet shows it, and its cells by column key."""

    number: int
    cells: dict[str, Any]


@dataclass(frozen=True)
class Sheet:
    header_row: int
    rows: list[SheetRow]


def _fail(code: str, row: int | None = None, column: str | None = None, **params: Any):
    raise SheetFailure([SheetError(row, column, code, params)])


def sheet_format(data: bytes) -> str:
    """The format the bytes are in, "xlsx" or "csv"; SheetFailure for anything else."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile:
            _fail("unreadable")
        if "xl/workbook.xml" not in names:
            _fail("wrong_file_type")
        if unpacked > MAX_UNPACKED_BYTES:
            _fail("file_too_large", limit=f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB")
        return "xlsx"
    if data.startswith(OLE_MAGIC):
        _fail("legacy_xls")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        _fail("wrong_file_type")
    return "csv"


def open_workbook(data: bytes) -> Any:
    """The workbook with its formulas kept as written; SheetFailure "unreadable" if damaged."""
    # openpyxl is imported where it is used: web workers that never read or write a
    # workbook need not hold it.
    from openpyxl import load_workbook

    try:
        # Workbooks from other programs carry styles and extensions openpyxl only warns about.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), data_only=False)
    except MemoryError:
        raise  # a limit reached, not a damaged file: the caller says so
    except Exception:  # openpyxl raises many kinds of errors for a damaged workbook
        _fail("unreadable")


def _xlsx_grid(data: bytes) -> list[tuple[int, list[Any]]]:
    sheet = open_workbook(data).worksheets[0]
    if sheet.max_row > MAX_GRID_ROWS:
        _fail("too_many_rows", limit=MAX_ROWS)
    merged = {}
    for span in sheet.merged_cells.ranges:
        # A merged block shows its top-left value in every cell it covers.
        value = cell_value(sheet.cell(span.min_row, span.min_col))
        for row, column in span.cells:
            merged[row, column] = value
    width = min(sheet.max_column, MAX_GRID_COLUMNS)
    grid = []
    for row in sheet.iter_rows(max_col=width):
        number = row[0].row
        grid.append((number, [merged.get((number, c.column), cell_value(c)) for c in row]))
    return grid


def cell_value(cell) -> Any:
    """A cell's value as written, a formula as a Formula rather than its text."""
    if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
        return Formula(str(getattr(cell.value, "text", cell.value)))
    return cell.value


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)  # what Excel's "Unicode text" export writes
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    _fail("wrong_file_type")


def _csv_grid(data: bytes) -> list[tuple[int, list[Any]]]:
    content = _decode(data)
    first_line = next((line for line in content.splitlines() if line.strip()), "")
    delimiter = max(",\t;", key=first_line.count)
    grid = []
    records = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(records, 1):
            if number > MAX_GRID_ROWS:
                _fail("too_many_rows", limit=MAX_ROWS)
            cells = [from_inert(c) for c in cells]  # our own exports quote formula starts
            grid.append(
                (number, [Formula(c.strip()) if c.strip().startswith("=") else c for c in cells])
            )
    except csv.Error:  # e.g. a cell longer than the csv module accepts
        _fail("unreadable")
    return grid


def _header_keys() -> dict[str, str]:
    keys = {}
    for column in COLUMNS:
        for name in (column.key, column.zh, column.en, column.label, *column.aliases):
            keys[folded(name)] = column.key
    return keys


def _column_of(cell: Any, keys: dict[str, str]) -> str | None:
    if isinstance(cell, Formula) or is_blank(cell):
        return None
    name = folded(cell).strip("*")
    if name in keys:
        return keys[name]
    # "单价 (unit price)", "单价（元）": either half may name the column.
    for part in re.split(r"[()]", name):
        if part in keys:
            return keys[part]
    return None


def _find_header(grid: list[tuple[int, list[Any]]]) -> tuple[int, int, dict[str, int]]:
    keys = _header_keys()
    seen = 0
    for position, (number, cells) in enumerate(grid):
        if all(is_blank(c) for c in cells):
            continue
        seen += 1
        if seen > HEADER_SEARCH_ROWS:
            break
        found: dict[str, int] = {}
        errors = []
        for index, cell in enumerate(cells):
            key = _column_of(cell, keys)
            if key is None:
                continue
            if key in found:
                from openpyxl.utils import get_column_letter

                errors.append(
                    SheetError(
                        number,
                        key,
                        "duplicate_column",
                        {"other": get_column_letter(found[key] + 1)},
                    )
                )
            found.setdefault(key, index)
        if "item_code" in found and "fee_name" in found:
            errors += [
                SheetError(number, c.key, "missing_column")
                for c in COLUMNS
                if c.required and c.key not in found
            ]
            if errors:
                raise SheetFailure(errors)
            return position, number, found
    _fail("no_header")


def read_grid(data: bytes) -> list[tuple[int, list[Any]]]:
    """Every row of the first sheet as (row number, cells), after the same checks of size
    and structure as read_sheet; for sheets with columns of their own (handling figures)."""
    if len(data) > MAX_FILE_BYTES:
        _fail("file_too_large", limit=f"{MAX_FILE_BYTES // 1024 // 1024} MB")
    if sheet_format(data) == "xlsx":
        check_workbook(data)  # before openpyxl builds a single cell
        return _xlsx_grid(data)
    return _csv_grid(data)


def read_sheet(data: bytes) -> Sheet:
    """The data rows of the first sheet, keyed by column; SheetFailure if the file is unusable
    or any cell holds a formula instead of a value.

    Rows above the header (a title) and blank rows are skipped; unknown columns are ignored.
    """
    grid = read_grid(data)
    position, header_row, columns = _find_header(grid)
    rows = []
    for number, cells in grid[position + 1 :]:
        values = {key: cells[i] if i < len(cells) else None for key, i in columns.items()}
        if all(is_blank(v) for v in values.values()):
            continue
        if len(rows) == MAX_ROWS:
            _fail("too_many_rows", limit=MAX_ROWS)
        rows.append(SheetRow(number, values))
    if not rows:
        _fail("empty_sheet", header_row)
    formulas = [
        SheetError(row.number, key, "formula", {"formula": value.text})
        for row in rows
        for key, value in row.cells.items()
        if isinstance(value, Formula)
    ]
    if formulas:
        raise SheetFailure(formulas)
    return Sheet(header_row, rows)


def write_xlsx(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """A workbook of (title, header, rows) sheets; text cells stay text, dates are dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str):
                    # Excel would turn "5.00" into 5 and "1-5" into a date otherwise.
                    cell.number_format = "@"
                    # Text, never a formula, whatever it starts with.
                    cell.data_type = "s"
        for index, name in enumerate(header, 1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, len(name) + 4)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens the Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, date) else inert(v) for v in row]
        )
    return out.getvalue().encode("utf-8-sig")
