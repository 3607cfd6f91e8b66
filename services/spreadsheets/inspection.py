"""A workbook's size judged from its zip and its XML before any of it is loaded.

openpyxl builds one object per cell and expands every merged range cell by cell, so a tiny
file can ask for gigabytes. Everything here reads the archive's directory and streams the
sheet XML in small chunks with fixed caps, so the check itself stays small whatever the file
holds. It refuses with the same SheetFailure the reader uses.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError, XMLPullParser

from services.fees.sheet import MAX_ROWS, MAX_UNPACKED_BYTES, SheetError, SheetFailure

CHUNK = 64 * 1024
MAX_MEMBERS = 300
# Office files pack about 5–20 to one; a member packed far tighter is filler, not data.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024
# Excel's own limit on the characters in one cell.
MAX_TEXT = 32767
_CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")


@dataclass(frozen=True)
class SheetLimits:
    """How much of a workbook may be loaded at all; the defaults fit any fee table."""

    rows: int = MAX_ROWS * 10
    cells: int = MAX_ROWS * 10 * 15
    merged_ranges: int = 2000
    merged_cells: int = 100_000
    shared_strings: int = 100_000
    unpacked_bytes: int = MAX_UNPACKED_BYTES


def _fail(code: str, **params) -> None:
    raise SheetFailure([SheetError(None, None, code, params)])


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _span(ref: str) -> tuple[int, int]:
    """Rows and columns a range such as "A1:XFD1048576" covers; (0, 0) if unreadable."""
    corners = [_CELL_REF.fullmatch(part.strip().upper()) for part in ref.split(":")]
    if not corners or not all(corners):
        return 0, 0
    first, last = corners[0], corners[-1]
    rows = abs(int(last[2]) - int(first[2])) + 1
    columns = abs(_column_number(last[1]) - _column_number(first[1])) + 1
    return rows, columns


def _events(archive: zipfile.ZipFile, name: str):
    """The XML elements of one member as they end, read CHUNK bytes at a time."""
    parser = XMLPullParser(events=("end",))
    with archive.open(name) as member:
        first = True
        while chunk := member.read(CHUNK):
            if first and (b"<!DOCTYPE" in chunk.upper() or b"<!ENTITY" in chunk.upper()):
                # No Office program writes a DTD; entities are how XML bombs are made.
                _fail("unreadable")
            first = False
            try:
                parser.feed(chunk)
                for _event, element in parser.read_events():
                    yield element.tag.rsplit("}", 1)[-1], element
                    element.clear()
            except ParseError:
                _fail("unreadable")


@dataclass
class _Counts:
    rows: int = 0
    cells: int = 0
    merged_ranges: int = 0
    merged_cells: int = 0
    strings: int = 0


def _check_part(archive: zipfile.ZipFile, name: str, limits: SheetLimits, counts: _Counts):
    # Counted over every XML part, whatever it is called: openpyxl loads every sheet and
    # finds the parts through the package's content types, not through their names.
    for tag, element in _events(archive, name):
        if tag == "dimension":
            ref = element.get("ref", "")
            if _span(ref)[0] > limits.rows:
                _fail("sheet_too_large", range=ref[:40])
        elif tag == "row":
            counts.rows += 1
            number = element.get("r", "")
            if counts.rows > limits.rows or (number.isdigit() and int(number) > limits.rows):
                _fail("too_many_rows", limit=MAX_ROWS)
        elif tag == "c":
            counts.cells += 1
            if counts.cells > limits.cells:
                _fail("too_many_cells", limit=limits.cells)
        elif tag == "mergeCell":
            ref = element.get("ref", "")
            height, width = _span(ref)
            counts.merged_ranges += 1
            counts.merged_cells += height * width
            if counts.merged_ranges > limits.merged_ranges or (
                counts.merged_cells > limits.merged_cells
            ):
                _fail("merged_too_large", range=ref[:40])
        elif tag == "t" and len(element.text or "") > MAX_TEXT:
            _fail("long_text", limit=MAX_TEXT)
        elif tag == "si":
            counts.strings += 1
            if counts.strings > limits.shared_strings:
                _fail("too_many_cells", limit=limits.shared_strings)


def check_workbook(data: bytes, limits: SheetLimits | None = None) -> None:
    """Raise SheetFailure unless the XLSX bytes are small enough, once unpacked and loaded,
    to be read safely: sizes, packing, rows, cells, merged ranges and shared strings."""
    limits = limits or SheetLimits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        _fail("unreadable")
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            _fail("unreadable")
        if sum(m.file_size for m in members) > limits.unpacked_bytes:
            _fail("file_too_large", limit=f"{limits.unpacked_bytes // 1024 // 1024} MB")
        try:
            counts = _Counts()
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    _check_part(archive, member.filename, limits, counts)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError):
            _fail("unreadable")
        for member in members:
            if member.file_size > RATIO_FROM_BYTES and (
                member.file_size > MAX_RATIO * max(member.compress_size, 1)
            ):
                _fail("packed_too_tightly")
