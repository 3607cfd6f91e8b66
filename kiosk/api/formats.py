"""Files for download: CSV and XLSX tables, and the Open311 services list as XML."""

from __future__ import annotations

import csv
import io
from typing import Any
from xml.etree import ElementTree

from flask import Response

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML = "application/xml; charset=utf-8"
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """Text that a spreadsheet will show rather than evaluate (OWASP CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads the Chinese text correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([inert(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """One workbook with a sheet per (title, header, rows); every text cell stays text."""
    from openpyxl import Workbook  # only for downloads: kept out of every worker's memory

    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    return cell


def download(body: bytes, filename: str, content_type: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def open311_xml(services: list[dict[str, Any]]) -> bytes:
    """GeoReport v2's XML form: <services><service>…</service></services>."""
    root = ElementTree.Element("services")
    for service in services:
        node = ElementTree.SubElement(root, "service")
        for key, value in service.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            ElementTree.SubElement(node, key).text = text
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
