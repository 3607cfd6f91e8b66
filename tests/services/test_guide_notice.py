"""The printed notice of a complete 办事指南, read back from the PDF: code, provider's nature,
online address, hearing link, FAQ, how the result is delivered, the last verified date, the
flow chart with its branches, and a QR code per form that leads to the form itself."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from services.db import db
from services.models import Nature
from services.notices import render as notices
from services.notices.presses import Presses
from tests.factories import (
    blank_pdf,
    make_item,
    make_printer,
    make_revision,
    make_utility,
    service_content,
    store_form,
    unique,
)
from tests.services.test_notices import pdf_text


@pytest.fixture(scope="module")
def presses(app):
    presses = Presses(Path(app.static_folder), processes=1)
    yield presses
    presses.shutdown()


@pytest.fixture
def printer(app, ctx, presses, tmp_path) -> notices.Printer:
    return make_printer(app, presses, tmp_path / "cache")


def pages(data: bytes, dpi: int = 200) -> list[Image.Image]:
    """Every page rasterised by pdftoppm, as a printer would see it."""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "notice.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "notice.pdf", "page"], cwd=folder, check=True
        )
        return [Image.open(png).convert("L") for png in sorted(Path(folder).glob("page*.png"))]


def form_codes(data: bytes) -> list[str]:
    """The texts of the notice's QR codes that lead to a form, page by page."""
    found = []
    for image in pages(data):
        for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            if "/forms/" in code.text:
                found.append(code.text)
    return found


@pytest.fixture
def guide(app, ctx):
    blank, sample = blank_pdf("供暖报停申请表"), blank_pdf("供暖报停申请表（样例）")
    content = service_content(
        name="居民供暖报停",
        online_url="https://heat.example.cn/stop",
        result_delivery=["sms", "electronic"],
        verified_on="2026-10-15",
        faq=[{"question": "报停后还要交费吗？", "answer": "按基本热价的百分之三十收取。"}],
        hearing={
            "held_on": "2025-08-20",
            "body": "澄州市发改委",
            "url": "https://fgw.example.cn/h/88",
        },
    )
    content["steps"][0]["branches"] = ["correction", "refusal"]
    content["steps"][1]["branches"] = ["refusal"]
    content["materials"][1] |= {
        "blank_form": store_form(app, blank),
        "sample": store_form(app, sample),
    }
    utility = make_utility(nature=Nature.PUBLIC_ENTERPRISE)
    item = make_item(utility, code=unique("CZ-HEAT"))
    revision = make_revision(item, content=content)
    db.session.commit()
    return {"revision": revision, "blank": blank, "sample": sample}


def test_the_notice_prints_every_part_of_the_guide(printer, guide):
    revision = guide["revision"]
    text = pdf_text(notices.notice_pdf(printer, revision, "zh_Hans", "A4").path.read_bytes())
    for shown in (
        f"事项编码:{revision.item.code}",
        "公共企事业单位",
        "https://heat.example.cn/stop",
        "https://fgw.example.cn/h/88",
        "报停后还要交费吗？",
        "按基本热价的百分之三十收取。",
        "结果送达方式:短信告知；电子送达",
        "最近核实2026年10月15日",
    ):
        assert shown in text, shown
    # Each branch once in the chart and once beside its step in the list below it.
    assert text.count("补正材料（一次性告知）") == 2
    assert text.count("不予受理（书面说明理由）") == 4


def test_each_form_has_a_qr_code_that_downloads_it(app, client, printer, guide):
    revision = guide["revision"]
    data = notices.notice_pdf(printer, revision, "zh_Hans", "A4").path.read_bytes()
    base = f"https://gongshi.example.org/r/{revision.id}/forms/2"
    assert sorted(form_codes(data)) == [f"{base}/blank_form.pdf", f"{base}/sample.pdf"]
    for code, expected in (
        (f"{base}/blank_form.pdf", guide["blank"]),
        (f"{base}/sample.pdf", guide["sample"]),
    ):
        response = client.get(urlsplit(code).path)
        assert response.status_code == 200 and response.data == expected


def test_a_notice_without_forms_prints_no_form_codes(printer, ctx):
    revision = make_revision()
    db.session.commit()
    data = notices.notice_pdf(printer, revision, "en", "A4").path.read_bytes()
    assert form_codes(data) == []
    assert f"Itemcode:{revision.item.code}" in pdf_text(data)  # white space removed


def test_a_straight_sequence_prints_as_its_boxed_steps_alone(printer, ctx):
    revision = make_revision()
    db.session.commit()
    html = notices.notice_html(printer, revision, "zh_Hans", "A4")
    assert 'id="flowchart"' not in html and 'class="flow"' in html
    data = notices.notice_pdf(printer, revision, "zh_Hans", "A4").path.read_bytes()
    assert len(PdfReader(io.BytesIO(data)).pages) == 1  # as before the chart existed
