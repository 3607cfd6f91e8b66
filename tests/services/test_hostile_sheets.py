"""Hostile workbooks, built for real: each is refused by looking at its zip and streaming its
XML, before openpyxl builds any cell, and an upload is read in a child process whose memory
and time are limited."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from services.fees.importing import plan_fee_import
from services.fees.sheet import COLUMNS, SheetFailure
from services.spreadsheets.files import read_sheet
from services.spreadsheets.inspection import check_workbook
from services.spreadsheets.isolation import ParseLimits, run_limited
from tests.factories import make_item, make_revision

HEADER = [column.label for column in COLUMNS]
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def small_workbook() -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["CZ-1", "水费", "收费", "", "固定", "", "", "", "5", "", "元/立方米"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(data: bytes, changes: dict[str, bytes | None] | None = None, **extra) -> bytes:
    """The workbook with some members replaced (bytes), or rewritten by a function."""
    changes = changes or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            change = changes.get(info.filename)
            if callable(change):
                body = change(body)
            elif change is not None:
                body = change
            target.writestr(info.filename, body, compress_type=zipfile.ZIP_DEFLATED)
        missing = {n: b for n, b in changes.items() if n not in source.namelist()}
        for name, body in (missing | extra).items():
            target.writestr(name.replace("__", "/"), body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_merged(ref: str) -> bytes:
    merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode()
    return rewritten(
        small_workbook(), {SHEET: lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + merge)}
    )


def sheet_xml(rows: bytes, dimension: str = "A1") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + f'<dimension ref="{dimension}"/>'.encode()
        + b"<sheetData>"
        + rows
        + b"</sheetData></worksheet>"
    )


def with_strings(strings: list[str]) -> bytes:
    """A workbook whose shared-strings part holds `strings`, declared as Excel declares it."""
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    types = "[Content_Types].xml"
    return rewritten(
        small_workbook(),
        {STRINGS: shared_strings(strings), types: lambda xml: xml.replace(b"</Types>", override)},
    )


def shared_strings(strings: list[str]) -> bytes:
    body = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{body}</sst>'
    ).encode()


def refusal(data: bytes) -> list[str]:
    """The codes read_sheet refuses the bytes with, checking that it stays small meanwhile."""
    tracemalloc.start()
    try:
        read_sheet(data)
    except SheetFailure as failure:
        codes = [e.code for e in failure.errors]
    else:
        codes = []
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < 48 * 1024 * 1024, f"reading took {peak // 1024 // 1024} MB"
    return codes


def test_one_huge_merged_range_is_refused_before_loading():
    data = with_merged("A1:XFD1048576")
    assert len(data) < 10_000
    assert refusal(data) == ["merged_too_large"]


def test_a_small_merged_range_is_still_read():
    check_workbook(with_merged("A2:B2"))


def test_many_merged_ranges_are_refused():
    merges = "".join(f'<mergeCell ref="A{n}:B{n}"/>' for n in range(3, 5003)).encode()
    data = rewritten(
        small_workbook(),
        {
            SHEET: lambda xml: xml.replace(
                b"</sheetData>", b"</sheetData><mergeCells>" + merges
            ).replace(b"</worksheet>", b"</mergeCells></worksheet>")
        },
    )
    assert refusal(data) == ["merged_too_large"]


def test_a_used_range_of_the_whole_sheet_is_refused():
    data = rewritten(small_workbook(), {SHEET: sheet_xml(b"", "A1:XFD1048576")})
    assert refusal(data) == ["sheet_too_large"]


def test_a_million_rows_are_refused_while_streaming():
    data = rewritten(small_workbook(), {SHEET: sheet_xml(b"<row/>" * 1_000_000)})
    assert refusal(data) == ["too_many_rows"]


def test_a_row_numbered_past_the_limit_is_refused():
    row = b'<row r="1048576"><c r="A1048576"/></row>'
    data = rewritten(small_workbook(), {SHEET: sheet_xml(row)})
    assert refusal(data) == ["too_many_rows"]


def test_too_many_cells_are_refused():
    row = b"<row>" + b"<c/>" * 1000 + b"</row>"
    data = rewritten(small_workbook(), {SHEET: sheet_xml(row * 400)})
    assert refusal(data) == ["too_many_cells"]


def test_a_zip_bomb_is_refused_by_its_packing():
    data = rewritten(small_workbook(), xl__media__image1_png=bytes(30 * 1024 * 1024))
    assert len(data) < 100_000
    assert refusal(data) == ["packed_too_tightly"]


def test_a_zip_bomb_past_the_unpacked_limit_is_refused_by_its_size():
    data = rewritten(small_workbook(), xl__media__image1_png=bytes(300 * 1024 * 1024))
    assert refusal(data) == ["file_too_large"]


def test_one_huge_shared_string_is_refused():
    data = with_strings(["水" * 1_000_000])
    assert refusal(data) == ["long_text"]


def test_very_many_shared_strings_are_refused():
    data = with_strings([str(n) for n in range(100_001)])
    assert refusal(data) == ["too_many_cells"]


def test_xml_entities_are_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData><row><c><v>&lol2;</v></c></row></sheetData></worksheet>"
    )
    assert refusal(rewritten(small_workbook(), {SHEET: bomb})) == ["unreadable"]


# The child process ---------------------------------------------------------------------------


def test_a_parse_that_runs_out_of_memory_is_refused_and_the_caller_lives_on():
    with pytest.raises(SheetFailure) as refused:
        run_limited(bytearray, 2 * 1024 * 1024 * 1024, ParseLimits(memory_bytes=64 * 1024 * 1024))
    assert [e.code for e in refused.value.errors] == ["too_complex"]


def test_a_parse_that_runs_out_of_time_is_ended():
    started = time.monotonic()
    with pytest.raises(SheetFailure) as refused:
        run_limited(time.sleep, 60, ParseLimits(seconds=1))
    assert [e.code for e in refused.value.errors] == ["too_complex"]
    assert time.monotonic() - started < 15


def test_a_sheet_read_in_the_child_gives_the_same_plan(ctx):
    item = make_revision(make_item()).item
    data = small_workbook()
    assert plan_fee_import(data, limits=ParseLimits()).errors == plan_fee_import(data).errors
    refused = plan_fee_import(with_merged("A1:XFD1048576"), item.utility, ParseLimits())
    assert [e.code for e in refused.errors] == ["merged_too_large"] and refused.items == []


def big_workbook() -> bytes:
    """15,000 rows of 14 numbers: nothing a fee table could not hold, but not small to load."""
    rows = b"".join(
        f'<row r="{n}">'.encode()
        + b"".join(f'<c r="{c}{n}"><v>{n}</v></c>'.encode() for c in "ABCDEFGHIJKLMN")
        + b"</row>"
        for n in range(2, 15001)
    )
    return rewritten(small_workbook(), {SHEET: sheet_xml(rows, "A1:N15000")})


TIGHT = ParseLimits(memory_bytes=24 * 1024 * 1024)


def test_a_real_workbook_too_big_for_the_memory_limit_is_refused_in_the_child(ctx):
    data = big_workbook()
    check_workbook(data)
    plan = plan_fee_import(data, limits=TIGHT)
    assert [e.code for e in plan.errors] == ["too_complex"]
