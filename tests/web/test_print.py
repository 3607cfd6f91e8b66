"""Printing from the kiosk: notice PDFs with ETags, clear refusals, and the QR code round trip."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask_babel import force_locale, gettext
from pypdf import PdfReader

from kiosk.background import run_hall_batch
from kiosk.notices.printer import notice_printer
from services.db import db
from services.models import ItemKind, RevisionStatus
from services.notices import batches
from services.notices import render as notices
from tests.factories import committed, make_hall, make_item, make_revision, make_utility
from tests.html import parse
from tests.services.test_notices import first_page_image, pdf_text, read_qr, squeeze

ROOT = Path(__file__).resolve().parents[2]

PRINT_LINK = re.compile(r"^/print/(\d+)\.pdf\?lang=(zh_Hans|zh_Hant|en)&paper=(A4|A3)$")


@pytest.fixture(scope="module")
def tariff(app) -> dict[str, object]:
    """A residential water price (居民生活用水价格) whose version 1 was replaced on
    2025-01-01 by version 2, committed for this module."""

    def make() -> dict[str, object]:
        item = make_item(kind=ItemKind.TARIFF)
        old = make_revision(item, status=RevisionStatus.SUPERSEDED, effective_to=date(2025, 1, 1))
        current = make_revision(item, effective_from=date(2025, 1, 1))
        return {
            "old": old.id,
            "current": current.id,
            "page": f"/u/{item.utility.slug}/{item.slug}",
            "utility_page": f"/u/{item.utility.slug}",
        }

    return committed(app, make)


def hall_of_services(app, count: int) -> tuple[str, str]:
    """The slug and name of a new hall showing one utility with `count` services, committed."""

    def make() -> tuple[str, str]:
        utility = make_utility()
        for position in range(count):
            make_revision(make_item(utility, position=position))
        hall = make_hall([utility])
        return hall.slug, hall.name

    return committed(app, make)


def translated(app, lang: str, msgid: str, **values) -> str:
    with app.app_context(), force_locale(lang):
        return gettext(msgid, **values)


def test_notice_is_a_pdf_with_an_etag_that_revalidates_to_304(client, tariff):
    url = f"/print/{tariff['current']}.pdf?lang=zh_Hans&paper=A4"
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    etag = response.headers["ETag"]
    assert client.get(url).headers["ETag"] == etag
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    other_lang = f"/print/{tariff['current']}.pdf?lang=en&paper=A4"
    other_paper = f"/print/{tariff['current']}.pdf?lang=zh_Hans&paper=A3"
    assert client.get(other_lang).headers["ETag"] != etag
    assert client.get(other_paper).headers["ETag"] != etag


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("lang=fr&paper=A4", "fr"),
        ("lang=zh_Hans&paper=B5", "B5"),
        ("lang=zh-CN", "zh-CN"),
    ],
)
def test_a_language_or_paper_we_do_not_print_gets_a_400_that_says_why(client, tariff, query, named):
    response = client.get(f"/print/{tariff['current']}.pdf?{query}")
    assert response.status_code == 400
    page = parse(response.data)
    assert page.title and named in page.text
    assert "A4" in page.text or "zh_Hant" in page.text


@pytest.mark.parametrize(
    "url", ["/print/999999.pdf", "/print/hall/no-such-hall.pdf", "/print/abc.pdf"]
)
def test_unknown_notices_and_halls_are_404(client, url):
    assert client.get(url).status_code == 404


def test_a_draft_cannot_be_printed(app, client):
    draft = committed(app, lambda: make_revision(status=RevisionStatus.DRAFT, published_at=None).id)
    assert client.get(f"/print/{draft}.pdf").status_code == 404


def test_item_page_offers_every_language_and_paper(client, tariff):
    page = parse(client.get(tariff["page"]).data)
    choices = {PRINT_LINK.match(link).groups() for link in page.links if PRINT_LINK.match(link)}
    assert choices == {
        (str(tariff["current"]), lang, paper)
        for lang in ("zh_Hans", "zh_Hant", "en")
        for paper in ("A4", "A3")
    }
    response = client.get(f"/print/{tariff['current']}.pdf?lang=zh_Hant&paper=A3")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "居民生活用水價格" in text and "居民生活用水价格" not in text
    page = PdfReader(io.BytesIO(response.data)).pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 297


def test_qr_code_of_a_current_notice_opens_that_revision(app, client, tariff):
    current = tariff["current"]
    pdf = client.get(f"/print/{current}.pdf?lang=en&paper=A4").data
    scanned = urlsplit(read_qr(first_page_image(pdf)).text)
    assert (scanned.path, scanned.query) == (f"/r/{current}", "lang=en")
    page = parse(client.get(f"{scanned.path}?{scanned.query}").data)
    assert page.lang == "en"
    in_force = translated(
        app, "en", "Version %(n)d, in force from %(date)s", n=2, date="January 1, 2025"
    )
    assert in_force in page.text
    assert translated(app, "en", "This version is no longer in force") not in page.text


def test_qr_code_of_a_superseded_notice_leads_to_a_page_that_says_it_was_replaced(
    app, client, tariff
):
    old, current = tariff["old"], tariff["current"]
    no_longer = translated(app, "zh_Hans", "This version is no longer in force")
    pdf = client.get(f"/print/{old}.pdf?lang=zh_Hans&paper=A4").data
    assert squeeze(no_longer) in pdf_text(pdf)
    scanned = urlsplit(read_qr(first_page_image(pdf)).text)
    assert (scanned.path, scanned.query) == (f"/r/{old}", "lang=zh_Hans")
    page = parse(client.get(f"{scanned.path}?{scanned.query}").data)
    assert no_longer in page.text
    assert f"/r/{current}" in page.links


def test_hall_prints_as_one_pdf_with_its_own_etag(app, client):
    slug, name = hall_of_services(app, 3)
    url = f"/print/hall/{slug}.pdf?lang=en&paper=A3"
    with app.app_context():
        # What staff start at /editor/print and the job worker builds (test_print_batches).
        hall = notices.hall_by_slug(slug)
        job, _ = batches.request_hall_batch(db.session, notice_printer(), hall, "en", "A3", "t")
        db.session.commit()
        run_hall_batch(job.id)
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 4
    assert translated(app, "en", "Notices of %(hall)s", hall=name) in reader.pages[0].extract_text()
    revalidated = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert revalidated.status_code == 304


def test_cli_builds_one_pdf_per_language_for_a_hall(app, tmp_path):
    slug, _ = hall_of_services(app, 2)
    out = tmp_path / "out"
    command = f"notices build --hall {slug} --out {out} --lang en --lang zh_Hant --paper a3"
    result = app.test_cli_runner().invoke(args=command.split())
    assert result.exit_code == 0, result.output
    for lang in ("en", "zh_Hant"):
        path = out / f"{slug}-{lang}-A3.pdf"
        assert str(path) in result.output
        reader = PdfReader(path)
        assert len(reader.pages) >= 3
        assert round(float(reader.pages[0].mediabox.width) / 72 * 25.4) == 297
        index = squeeze(reader.pages[0].extract_text())
        assert squeeze(translated(app, lang, "Notices of %(hall)s", hall="")) in index


def test_cli_refuses_an_unknown_hall(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["notices", "build", "--hall", "no-such-hall", "--out", str(tmp_path)]
    )
    assert result.exit_code != 0
    assert "no-such-hall" in result.output


# A web worker as gunicorn runs one: the app, some pages, then a notice nobody printed yet.
WEB_WORKER = """
import multiprocessing, sys
from kiosk import create_app
database, cache, *pages, notice = sys.argv[1:]
client = create_app({"SQLALCHEMY_DATABASE_URI": database, "CACHE_DIR": cache}).test_client()
for url in pages:
    assert client.get(url).status_code == 200, url
assert "weasyprint" not in sys.modules, "a page loaded WeasyPrint"
response = client.get(notice)
assert response.status_code == 200 and response.data.startswith(b"%PDF-")
assert multiprocessing.active_children(), "no render process laid the notice out"
print(sorted(name for name in sys.modules if name.split(".")[0] in ("weasyprint", "pydyf")))
"""


def test_a_web_worker_never_loads_weasyprint_even_to_print(database_url, tmp_path, tariff):
    pages = ["/", tariff["utility_page"], tariff["page"], "/changes"]
    notice = f"/print/{tariff['current']}.pdf?lang=zh_Hant&paper=A4"
    worker = subprocess.run(
        [sys.executable, "-c", WEB_WORKER, database_url, str(tmp_path), *pages, notice],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr[-2000:]
    assert worker.stdout.strip() == "[]"
    (pdf,) = tmp_path.glob("pdf/*/*.pdf")
    assert "居民生活用水價格" in pdf_text(pdf.read_bytes())
