"""Printed notices read back from the PDF: every section, the language, fonts, QR and cache."""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from flask_babel import force_locale, gettext
from fontTools.cffLib import CFFFontSet
from PIL import Image, ImageChops
from pypdf import PdfReader

from services.models import ItemKind, RevisionStatus
from services.notices import STYLESHEET, jobs, layout, pdf_cache
from services.notices import render as notices
from services.notices.presses import Presses
from services.notices.qr import QUIET_ZONE, qr_matrix
from tests.factories import (
    make_hall,
    make_item,
    make_printer,
    make_revision,
    make_utility,
    service_content,
)

DPI = 200


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext reads it, all whitespace removed (CJK lines break anywhere)."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return "".join(out.split())


def squeeze(text: str) -> str:
    return "".join(text.split())


def page_image(data: bytes, page: int, dpi: int) -> Image.Image:
    """A page rasterised by pdftoppm, as a printer would see it."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "notice.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png"]
            + ["notice.pdf", "page"],
            cwd=folder,
            check=True,
        )
        (png,) = Path(folder).glob("page*.png")
        return Image.open(png).convert("L")


def first_page_image(data: bytes, dpi: int = DPI) -> Image.Image:
    """The first page rasterised by pdftoppm, as a printer would see it."""
    return page_image(data, 1, dpi)


def read_qr(image: Image.Image, rating: bool = False) -> zxingcpp.Barcode:
    """The page's QR code to the notice's revision (or, if `rating`, the one to rate the
    service), decoded."""
    codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    (code,) = [c for c in codes if ("/rate?" in c.text) == rating]
    return code


def embedded_fonts(data: bytes) -> list[str]:
    """Base names of the fonts in the PDF, subset prefix removed."""
    reader = PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/"))
    return sorted(names)


def gettext_in(lang: str, msgid: str, hall: str) -> str:
    with force_locale(lang):
        return gettext(msgid, hall=hall)


def labels(lang: str, *msgids: str) -> list[str]:
    with force_locale(lang):
        return [squeeze(gettext(m)) for m in msgids]


SECTION_LABELS = (
    "Who may apply",
    "Statutory time limit",
    "Promised time limit",
    "Fees",
    "Conditions",
    "Materials",
    "Steps",
    "Where and when",
    "Enquiries and complaints",
)


@pytest.fixture(scope="module")
def presses(app):
    """Two render processes for this module's notices, stopped after it."""
    presses = Presses(Path(app.static_folder), processes=2)
    yield presses
    presses.shutdown()


@pytest.fixture
def printer(app, ctx, presses, tmp_path) -> notices.Printer:
    """A printer built from arguments alone, with a cache of its own."""
    return make_printer(app, presses, tmp_path / "cache")


def render_notice(printer, revision, lang: str, paper: str) -> bytes:
    """The notice's PDF as a render process made it, read back from the cache."""
    return notices.notice_pdf(printer, revision, lang, paper).path.read_bytes()


@pytest.fixture
def revision(ctx):
    return make_revision()


def test_notice_shows_every_section_the_issue_lists(printer, revision):
    text = pdf_text(render_notice(printer, revision, "zh_Hans", "A4"))
    for label in labels("zh_Hans", *SECTION_LABELS):
        assert label in text, label
    for expected in (
        "澄州测试水务有限公司",
        "居民用水新装",
        "水表安装费",
        "¥380.00",
        "澄价〔2024〕1号",
        "20个工作日",
        "5个工作日",
        "房屋已取得不动产权证书",
        "居民身份证",
        "现场勘查",
        "市民中心水务窗口",
        "09:00–17:00",
        "政务服务便民热线",
        "12345",
    ):
        assert expected in text, expected
    with force_locale("zh_Hans"):
        assert squeeze(gettext("Printed on %(date)s", date="")) in text
    assert f"/r/{revision.id}?lang=zh_Hans" in text


def test_english_notice_has_english_labels_and_says_content_is_chinese(printer, revision):
    text = pdf_text(render_notice(printer, revision, "en", "A4"))
    for label in SECTION_LABELS:
        assert squeeze(label) in text, label
    assert squeeze("Some parts are not yet available in English and are shown in Chinese.") in text
    assert "居民用水新装" in text


def test_traditional_notice_converts_the_content(printer, revision):
    text = pdf_text(render_notice(printer, revision, "zh_Hant", "A4"))
    assert "居民用水新裝" in text and "新装" not in text
    for label in labels("zh_Hant", "Statutory time limit", "Promised time limit"):
        assert label in text


@pytest.mark.parametrize(
    ("lang", "bcp47", "family", "author"),
    [
        ("zh_Hans", "zh-Hans", "Noto-Sans-CJK-SC", "澄州测试水务有限公司"),
        ("zh_Hant", "zh-Hant", "Noto-Sans-CJK-TC", "澄州測試水務有限公司"),
        ("en", "en", "Noto-Sans-CJK-SC", "澄州测试水务有限公司"),
    ],
)
def test_pdf_is_tagged_with_title_language_author_and_subset_fonts(
    printer, revision, lang, bcp47, family, author
):
    data = render_notice(printer, revision, lang, "A4")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.author == author
    assert reader.metadata.title.startswith("居民用水新")
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == bcp47
    assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
    fonts = embedded_fonts(data)
    assert fonts and all(name.split("+")[1].startswith(family) for name in fonts), fonts
    assert all(len(name.split("+")[0]) == 6 for name in fonts)  # XXXXXX+ marks a subset


@pytest.mark.parametrize(("paper", "width_mm"), [("A4", 210), ("A3", 297)])
def test_paper_size_and_qr_code_of_at_least_30_mm_with_quiet_zone(
    printer, revision, paper, width_mm
):
    data = render_notice(printer, revision, "en", paper)
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == width_mm
    image = first_page_image(data)
    code = read_qr(image)
    assert code.text == f"https://gongshi.example.org/r/{revision.id}?lang=en"
    assert code.text.endswith(f"/r/{revision.id}?lang=en")
    assert code.ec_level in ("M", "Q")
    position = code.position
    side = position.top_right.x - position.top_left.x
    assert side / DPI * 25.4 >= 30
    # The quiet zone: four modules of white all round the symbol (less a pixel of blur).
    module = side / (len(qr_matrix(code.text)) - 2 * QUIET_ZONE)
    zone = round(module * QUIET_ZONE) - 2
    left, top, right, bottom = (
        position.top_left.x,
        position.top_left.y,
        position.bottom_right.x,
        position.bottom_right.y,
    )
    strips = [
        (left - zone, top - zone, right + zone, top - 2),
        (left - zone, bottom + 2, right + zone, bottom + zone),
        (left - zone, top - zone, left - 2, bottom + zone),
        (right + 2, top - zone, right + zone, bottom + zone),
    ]
    assert all(image.crop(strip).getextrema()[0] > 200 for strip in strips)


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_a_notice_carries_a_second_code_to_rate_the_service_in_its_language(
    printer, revision, lang
):
    data = render_notice(printer, revision, lang, "A4")
    code = read_qr(first_page_image(data), rating=True)
    item = revision.item
    assert code.text == (
        f"https://gongshi.example.org/u/{item.utility.slug}/{item.slug}/rate?lang={lang}"
    )
    position = code.position
    assert (position.top_right.x - position.top_left.x) / DPI * 25.4 >= 20


def test_qr_matrix_carries_its_quiet_zone():
    matrix = qr_matrix("http://example.test/r/1?lang=en")
    edge = matrix[:QUIET_ZONE] + matrix[-QUIET_ZONE:]
    assert not any(any(row) for row in edge)
    assert not any(any(row[:QUIET_ZONE] + row[-QUIET_ZONE:]) for row in matrix)


def test_superseded_notice_says_so_and_names_the_new_version(printer):
    item = make_item(kind=ItemKind.TARIFF)
    old = make_revision(item, status=RevisionStatus.SUPERSEDED, effective_to=date(2025, 1, 1))
    make_revision(item, effective_from=date(2025, 1, 1))
    text = pdf_text(render_notice(printer, old, "en", "A4"))
    assert squeeze("This version is no longer in force") in text
    assert squeeze("It was replaced on January 1, 2025 by version 2.") in text


HOSTILE = {
    "name": '<b>粗体</b><img src="file:///etc/passwd">',
    "summary": "<style>*{display:none}</style>url(file:///etc/passwd)",
    "conditions": [
        '<link rel="stylesheet" href="http://example.com/x.css">',
        "</li></ol><h1>伪造</h1>",
    ],
}


def test_hostile_content_is_printed_as_plain_text_and_nothing_is_fetched(
    app, printer, caplog, monkeypatch
):
    # Alembic's logging set-up disables loggers that existed before the migrations ran;
    # WeasyPrint reports every refused or failed fetch through its logger.
    monkeypatch.setattr(logging.getLogger("weasyprint"), "disabled", False)
    revision = make_revision(content=service_content(**HOSTILE))
    # Laid out in this process, as a render process does it, for its log to be seen.
    html = notices.notice_html(printer, revision, "zh_Hans", "A4")
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        text = pdf_text(layout.write([layout.lay_out(html, printer.static_dir)]))
    for value in (HOSTILE["name"], HOSTILE["summary"], *HOSTILE["conditions"]):
        assert squeeze(value) in text, value
    assert "root:x:0" not in text
    assert not [r for r in caplog.records if "load" in r.getMessage().lower()], caplog.text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.css",
        "https://static.invalid/../../../../etc/passwd",
        "https://static.invalid/css/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "https://static.invalid.example.com/css/print.css",
        "data:text/css,body{}",
        "https://static.invalid/css/no-such.css",
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(app, url):
    fetcher = layout.StaticOnlyFetcher(Path(app.static_folder))
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_fetcher_serves_the_print_stylesheet(app):
    fetcher = layout.StaticOnlyFetcher(Path(app.static_folder))
    response = fetcher.fetch(layout.STATIC_ORIGIN + STYLESHEET)
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_cached_notice_is_rendered_once_and_a_new_revision_gets_a_new_file(printer):
    item = make_item()
    first = make_revision(item)
    one = notices.notice_pdf(printer, first, "zh_Hans", "A4")
    stamp = one.path.stat().st_mtime_ns
    again = notices.notice_pdf(printer, first, "zh_Hans", "A4")
    assert (again.path, again.etag) == (one.path, one.etag)
    assert again.path.stat().st_mtime_ns == stamp
    assert one.path.name == f"{one.etag}.pdf"
    other_paper = notices.notice_pdf(printer, first, "zh_Hans", "A3")
    second = make_revision(item, effective_from=date(2025, 6, 1))
    newer = notices.notice_pdf(printer, second, "zh_Hans", "A4")
    assert len({one.etag, other_paper.etag, newer.etag}) == 3
    assert not list(one.path.parent.glob("*.tmp"))


@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("kind", [ItemKind.TARIFF, ItemKind.SERVICE])
def test_notice_pages_stay_under_150_kb_each(printer, kind, paper):
    revision = make_revision(make_item(kind=kind))
    data = render_notice(printer, revision, "zh_Hant", paper)
    assert len(data) / len(PdfReader(io.BytesIO(data)).pages) <= 150 * 1024


def glyph_counts(data: bytes) -> list[tuple[int, int]]:
    """(glyphs in the embedded font program, CIDs the text uses) for each font program."""
    programs, cids = {}, {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for name, font in page["/Resources"]["/Font"].items():
            cid_font = font.get_object()["/DescendantFonts"][0].get_object()
            reference = cid_font["/FontDescriptor"].get_object().raw_get("/FontFile3")
            program = reference.get_object()
            assert program["/Subtype"] == "/CIDFontType0C", name
            programs[reference.idnum] = program
            widths = cid_font["/W"]  # [first [w w …] first [w …] …]
            used = cids.setdefault(reference.idnum, set())
            for n in range(0, len(widths), 2):
                used.update(range(widths[n], widths[n] + len(widths[n + 1])))
    counts = []
    for number, program in programs.items():
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(program.get_data()), None)
        counts.append((len(cff.topDictIndex[0].charset), len(cids[number])))
    return counts


def test_embedded_fonts_hold_only_the_glyphs_printed(printer, revision):
    counts = glyph_counts(render_notice(printer, revision, "zh_Hans", "A4"))
    assert len(counts) == 2  # regular and bold
    for glyphs, cids in counts:
        # .notdef and the odd glyph HarfBuzz keeps besides, not the font's 65,535.
        assert cids > 20 and glyphs <= cids * 1.1 + 1


@pytest.mark.parametrize("lang", ["zh_Hans", "zh_Hant", "en"])
def test_smaller_fonts_draw_the_very_same_page(printer, revision, lang):
    document = layout.lay_out(
        notices.notice_html(printer, revision, lang, "A4"), printer.static_dir
    )
    weasyprints_own = document.write_pdf(pdf_tags=True)
    ours = layout.write([document])
    assert len(ours) < len(weasyprints_own) / 2
    for page in range(len(document.pages)):
        assert pdf_text(ours) == pdf_text(weasyprints_own)
        before, after = (page_image(data, page + 1, 100) for data in (weasyprints_own, ours))
        assert ImageChops.difference(before, after).getbbox() is None, f"page {page + 1}"


@pytest.mark.parametrize(
    ("kind", "lang"),
    [
        (ItemKind.SERVICE, "zh_Hans"),
        (ItemKind.SERVICE, "zh_Hant"),
        (ItemKind.SERVICE, "en"),
        (ItemKind.TARIFF, "zh_Hans"),
    ],
)
def test_a_notice_that_fits_prints_on_one_page(printer, kind, lang):
    data = render_notice(printer, make_revision(make_item(kind=kind)), lang, "A4")
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_hall_pdf_has_an_index_then_every_notice(printer):
    utility = make_utility()
    names = ["居民用水新装", "水表迁移"]
    for name in names:
        make_revision(make_item(utility), content=service_content(name=name))
    hall = make_hall([utility], name="测试便民服务中心")
    calls = []
    rendered = notices.hall_pdf(printer, hall, "zh_Hans", "A4", progress=calls.append)
    assert sum(calls) == 2
    reader = PdfReader(rendered.path)
    index = squeeze(reader.pages[0].extract_text())
    assert "测试便民服务中心" in index and all(name in index for name in names)
    # A notice's first page is the one that carries its QR code's address.
    starts = [n for n, page in enumerate(reader.pages, 1) if "/r/" in page.extract_text()]
    assert len(starts) == 2 and starts[0] == 2
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"
    assert reader.metadata.title == gettext_in("zh_Hans", "Notices of %(hall)s", "测试便民服务中心")
    again = notices.hall_pdf(printer, hall, "zh_Hans", "A4")
    assert again.etag == rendered.etag and sum(calls) == 2


def test_hall_parts_laid_out_in_parallel_keep_the_order_and_page_numbers_of_the_index(printer):
    utility = make_utility()
    # Long and short notices mixed, more of them than parts, so parts end out of order.
    names = [f"测试事项{n}号" for n in range(11)]
    for position, name in enumerate(names):
        steps = service_content()["steps"] * (6 if position % 3 == 0 else 1)
        content = service_content(name=name, steps=steps)
        make_revision(make_item(utility, position=position), content=content)
    calls = []
    rendered = notices.hall_pdf(
        printer, make_hall([utility]), "zh_Hans", "A4", progress=calls.append
    )
    assert sum(calls) == len(names) and len(calls) > 2
    reader = PdfReader(rendered.path)
    texts = [page.extract_text() for page in reader.pages]
    starts = [n for n, text in enumerate(texts, 1) if "/r/" in text]
    assert [next(name for name in names if name in texts[page - 1]) for page in starts] == names
    index = "\n".join(texts[: starts[0] - 1])
    # Each row of the index: number, provider, name, version, in force from, page.
    listed = [int(re.search(rf"{name}\s+1\s+\S+日\s+(\d+)", index)[1]) for name in names]
    assert listed == starts, index
    # Each part embeds its own subsets; one name must never stand for two different ones.
    programs = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            cid_font = font.get_object()["/DescendantFonts"][0].get_object()
            program = cid_font["/FontDescriptor"]["/FontFile3"].get_object().get_data()
            programs.setdefault(font.get_object()["/BaseFont"], set()).add(program)
    assert len(programs) > 2 and all(len(found) == 1 for found in programs.values())


def test_pdf_cache_writes_atomically_and_once(tmp_path):
    key = pdf_cache.content_key("notice", "x")
    calls = []

    def render() -> bytes:
        calls.append(1)
        return b"%PDF-1.7 test"

    path = pdf_cache.cached_pdf(tmp_path, key, render)
    assert path.read_bytes() == b"%PDF-1.7 test"
    assert pdf_cache.cached_pdf(tmp_path, key, render) == path and len(calls) == 1
    assert [p.name for p in path.parent.iterdir()] == [f"{key}.pdf"]
    assert pdf_cache.content_key("ab", "c") != pdf_cache.content_key("a", "bc")


def test_two_servers_writing_the_same_pdf_leave_one_whole_file(tmp_path):
    key = pdf_cache.content_key("race")
    body = b"%PDF-" + b"x" * 2_000_000
    threads = [
        threading.Thread(
            target=pdf_cache.store_pdf, args=(pdf_cache.cache_path(tmp_path, key), body)
        )
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    path = pdf_cache.cache_path(tmp_path, key)
    assert path.read_bytes() == body
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def started_by(presses: Presses, job, *args) -> tuple[object, set]:
    """The job's result and the render processes that appeared to run it."""
    before = set(multiprocessing.active_children())
    result = presses.run(job, *args)
    return result, set(multiprocessing.active_children()) - before


def test_render_processes_stop_when_idle_and_start_again_for_the_next_job(app):
    presses = Presses(Path(app.static_folder), processes=1, idle_seconds=0.5)
    static_dir = app.static_folder
    pages, started = started_by(presses, jobs.count_pages, "<p>一</p>", static_dir)
    assert pages == 1 and len(started) == 1
    deadline = time.monotonic() + 20
    while any(process.is_alive() for process in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(process.is_alive() for process in started)
    pages, again = started_by(presses, jobs.count_pages, "<p>二</p>", static_dir)
    assert pages == 1 and len(again) == 1 and again != started
    presses.shutdown()


def test_a_killed_render_process_is_replaced(app):
    presses = Presses(Path(app.static_folder), processes=1)
    _, (process,) = started_by(presses, jobs.count_pages, "<p>一</p>", app.static_folder)
    os.kill(process.pid, signal.SIGKILL)
    process.join(10)
    assert presses.run(jobs.count_pages, "<p>二</p>", app.static_folder) == 1
    presses.shutdown()
