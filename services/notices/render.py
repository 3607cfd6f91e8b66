"""Printed wall notices: one PDF per (revision, language, paper), and a hall's whole set."""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from flask import current_app
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import select
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from services import clock
from services.catalogue import queries as catalogue
from services.catalogue.presenting import revision_view
from services.content.localize import bcp47
from services.db import db
from services.fees.tariffs import FeeView
from services.models import Channel, Hall, ItemKind, LegalBasis, Revision
from services.notices.pdf_cache import cached_pdf, content_key
from services.notices.qr import qr_svg

PAPERS = ("A4", "A3")
STYLESHEET = "css/print.css"
# The base URL of print templates: a reserved name (RFC 2606) that never resolves, which
# the fetcher below maps onto static/. Nothing else is ever fetched.
STATIC_ORIGIN = "https://static.invalid/"

# Every render shares the process's one FontConfiguration, and Pango font maps are not
# thread-safe: renders in a threaded server take turns.
_render_lock = threading.Lock()


class StaticOnlyFetcher(URLFetcher):
    """Serves WeasyPrint our own static files and refuses every other URL (file:, http:…)."""

    def __init__(self, static_dir: Path):
        super().__init__()
        self.static_dir = static_dir.resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if not url.startswith(STATIC_ORIGIN):
            raise ValueError(f"notices may only use their own static files, not {url[:80]!r}")
        path = (self.static_dir / unquote(urlsplit(url).path).lstrip("/")).resolve()
        if not path.is_relative_to(self.static_dir) or not path.is_file():
            raise ValueError(f"no such static file: {url[:80]!r}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


@dataclass(frozen=True)
class Notice:
    """Everything one printed notice shows, already in its language."""

    revision: Revision
    lang: str
    paper: str
    content: dict[str, Any]
    content_mode: str
    fees: list[FeeView]
    bases: dict[str, LegalBasis]
    item_bases: list[tuple[LegalBasis, str]]
    channels: list[Channel]
    successor: Revision | None
    upcoming: Revision | None
    permalink: str
    qr: Markup
    printed_on: date

    @property
    def is_tariff(self) -> bool:
        return self.revision.item.kind == ItemKind.TARIFF

    @property
    def is_upcoming(self) -> bool:
        return self.revision.effective_from > self.printed_on


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF in the shared cache; `etag` is its content-addressed name."""

    path: Path
    etag: str


def check_choice(lang: str, paper: str) -> None:
    """Raise ValueError unless `lang` is a configured language and `paper` is A4 or A3."""
    if lang not in current_app.config["LANGUAGES"]:
        raise ValueError(f"unknown language {lang!r}")
    if paper not in PAPERS:
        raise ValueError(f"unknown paper size {paper!r}")


def permalink(revision_id: int, lang: str) -> str:
    """Where a notice's QR code points: /r/<id>?lang=… on the configured public base URL."""
    # Built from the route itself, without a request: the CLI prints with no request at all.
    path = current_app.url_map.bind("").build(
        "public.revision_permalink", {"revision_id": revision_id, "lang": lang}
    )
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def notice_for(revision: Revision, lang: str, paper: str) -> Notice:
    """Gather what the printed notice of a published revision shows, in `lang`."""
    check_choice(lang, paper)
    view = revision_view(revision, lang, successor=catalogue.successor_of(revision))
    link = permalink(revision.id, lang)
    return Notice(
        revision=revision,
        lang=lang,
        paper=paper,
        content=view.content,
        content_mode=view.content_mode,
        fees=view.fees,
        bases=view.bases,
        item_bases=view.legal_bases,
        channels=view.channels,
        successor=view.successor,
        upcoming=catalogue.upcoming_revision(revision.item),
        permalink=link,
        qr=Markup(qr_svg(link, "M")),
        printed_on=clock.today(),
    )


def _render_template(name: str, lang: str, **context: Any) -> str:
    with force_locale(lang):
        return current_app.jinja_env.get_template(name).render(html_lang=bcp47(lang), **context)


def _notice_html(notice: Notice) -> str:
    return _render_template("print/notice.html", notice.lang, notice=notice, paper=notice.paper)


def notice_html(revision: Revision, lang: str, paper: str) -> str:
    """The notice as the HTML that is laid out into the PDF."""
    return _notice_html(notice_for(revision, lang, paper))


@lru_cache(maxsize=1)
def font_config() -> FontConfiguration:
    """The process's one font configuration (building one scans every installed font)."""
    return FontConfiguration()


@lru_cache(maxsize=2)
def _parsed_stylesheet(css: bytes, static_dir: Path) -> weasyprint.CSS:
    # Parsing the stylesheet costs about as much as laying out a page: do it once per
    # version of the file, not once per notice.
    return weasyprint.CSS(
        string=css.decode(),
        base_url=STATIC_ORIGIN,
        url_fetcher=StaticOnlyFetcher(static_dir),
        font_config=font_config(),
    )


def _stylesheet() -> bytes:
    return Path(current_app.static_folder, STYLESHEET).read_bytes()


def _layout(html: str) -> weasyprint.Document:
    static_dir = Path(current_app.static_folder)
    fetcher = StaticOnlyFetcher(static_dir)
    return weasyprint.HTML(string=html, base_url=STATIC_ORIGIN, url_fetcher=fetcher).render(
        font_config=font_config(),
        stylesheets=[_parsed_stylesheet(_stylesheet(), static_dir)],
        pdf_tags=True,
    )


def _write(documents: list[weasyprint.Document]) -> bytes:
    # The first document's metadata (title, language, author) describes the whole file.
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(pdf_tags=True)


def pdf_from_html(html: str) -> bytes:
    """Lay out one HTML document as a tagged PDF, fetching only our own static files."""
    with _render_lock:
        return _write([_layout(html)])


def render_notice(revision: Revision, lang: str, paper: str) -> bytes:
    """The printed wall notice of a published revision, as PDF bytes."""
    return pdf_from_html(notice_html(revision, lang, paper))


def renderer_fingerprint() -> str:
    """What besides the HTML shapes a PDF: the WeasyPrint version and the print stylesheet."""
    return f"weasyprint {weasyprint.__version__} css {hashlib.sha256(_stylesheet()).hexdigest()}"


def notice_pdf(revision: Revision, lang: str, paper: str) -> RenderedPdf:
    """The notice from the shared cache, rendered first if no server has made it yet.

    The name hashes the notice's HTML, so anything it shows (a new revision, a renamed
    channel, the printed date) gives a new file and a new ETag.
    """
    html = notice_html(revision, lang, paper)
    key = content_key("notice", renderer_fingerprint(), html)
    path = cached_pdf(current_app.config["CACHE_DIR"], key, lambda: pdf_from_html(html))
    return RenderedPdf(path, key)


def hall_by_slug(slug: str) -> Hall | None:
    """The hall with this slug, or None."""
    return db.session.scalar(select(Hall).where(Hall.slug == slug))


def hall_revisions(hall: Hall) -> list[Revision]:
    """The revisions in force of every item the hall shows: by utility, tariffs first."""
    found = []
    for utility in hall.utilities:
        services, tariffs = catalogue.items_by_category(utility)
        found += [revision for _, revision in tariffs]
        found += [revision for entries in services.values() for _, revision in entries]
    return found


def _hall_index_html(
    hall: Hall, notices: list[Notice], lang: str, paper: str, pages: list[int | None]
) -> str:
    return _render_template(
        "print/hall_index.html",
        lang,
        hall=hall,
        entries=list(zip(notices, pages, strict=True)),
        paper=paper,
        printed_on=clock.today(),
    )


def hall_pdf(
    hall: Hall, lang: str, paper: str, progress: Callable[[], None] | None = None
) -> RenderedPdf:
    """One PDF for a hall's wall: an index page, then the notice of every item it shows.

    `progress` is called once per notice laid out (not at all when the cache has it).
    """
    check_choice(lang, paper)
    notices = [notice_for(revision, lang, paper) for revision in hall_revisions(hall)]
    htmls = [_notice_html(notice) for notice in notices]
    skeleton = _hall_index_html(hall, notices, lang, paper, [None] * len(notices))
    key = content_key("hall", renderer_fingerprint(), skeleton, *htmls)

    def render() -> bytes:
        with _render_lock:
            documents = []
            for html in htmls:
                documents.append(_layout(html))
                if progress:
                    progress()
            # The index is laid out last because it lists the page each notice starts on.
            index_pages = len(_layout(skeleton).pages)
            starts, page = [], index_pages + 1
            for document in documents:
                starts.append(page)
                page += len(document.pages)
            index = _layout(_hall_index_html(hall, notices, lang, paper, starts))
            return _write([index, *documents])

    return RenderedPdf(cached_pdf(current_app.config["CACHE_DIR"], key, render), key)
