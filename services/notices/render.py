"""Printed wall notices: one PDF per (revision, language, paper), and a hall's whole set.

This is the web process's side: it gathers what a notice shows, renders its HTML, names
the PDF after that HTML and asks the render processes (presses.py) for any PDF the shared
cache does not hold yet. WeasyPrint is never imported here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import as_completed
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from flask_babel import force_locale
from jinja2 import Environment
from markupsafe import Markup
from sqlalchemy import select

from services import clock
from services.catalogue import queries as catalogue
from services.catalogue.presenting import RevisionView, revision_view
from services.content.localize import bcp47
from services.db import db
from services.guide_files.materials import form_files
from services.models import Hall, ItemKind, Revision
from services.notices import STYLESHEET, jobs
from services.notices.pdf_cache import cache_path, content_key
from services.notices.presses import Presses
from services.notices.qr import qr_svg

PAPERS = ("A4", "A3")
# The code that turns HTML into PDF bytes: a change to it must give new file names.
RENDERER_SOURCES = ("layout.py", "fonts.py", "jobs.py")
# A hall's batch is split into this many parts per render process, so that a process that
# drew short notices takes another part instead of idling while the other finishes.
PARTS_PER_PROCESS = 4


@dataclass(frozen=True)
class Printer:
    """What printing needs from the application, handed over instead of looked up."""

    templates: Environment
    languages: tuple[str, ...]
    public_base_url: str
    static_dir: Path
    cache_dir: Path
    presses: Presses


@dataclass(frozen=True)
class FormQr:
    """A QR code to one material's blank form or sample, as the notice prints it."""

    number: int  # the material's place in the list, from 1
    kind: str  # blank_form or sample
    url: str
    qr: Markup


@dataclass(frozen=True)
class Notice:
    """Everything one printed notice shows, already in its language."""

    view: RevisionView
    paper: str
    upcoming: Revision | None
    permalink: str
    qr: Markup
    printed_on: date
    rate_qr: Markup  # to rate the service on one's phone (好差评)
    form_qrs: tuple[FormQr, ...] = ()  # to download the materials' forms and samples

    @property
    def revision(self) -> Revision:
        return self.view.revision

    @property
    def lang(self) -> str:
        return self.view.lang

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


def check_choice(printer: Printer, lang: str, paper: str) -> None:
    """Raise ValueError unless `lang` is a configured language and `paper` is A4 or A3."""
    if lang not in printer.languages:
        raise ValueError(f"unknown language {lang!r}")
    if paper not in PAPERS:
        raise ValueError(f"unknown paper size {paper!r}")


def permalink(printer: Printer, revision_id: int, lang: str) -> str:
    """Where a notice's QR code points: /r/<id>?lang=… on the public base URL."""
    # /r/<id> is a permanent address (DESIGN.md): printed codes outlive any change of routes.
    return f"{printer.public_base_url.rstrip('/')}/r/{revision_id}?lang={lang}"


def rate_link(printer: Printer, revision: Revision, lang: str) -> str:
    """Where a notice's rating QR code points: the item's rating page, in the notice's language."""
    item = revision.item
    base = printer.public_base_url.rstrip("/")
    return f"{base}/u/{item.utility.slug}/{item.slug}/rate?lang={lang}"


def form_link(printer: Printer, revision_id: int, number: int, kind: str) -> str:
    """Where a notice's QR code to a material's form points: the revision's permanent
    address of that file."""
    base = printer.public_base_url.rstrip("/")
    return f"{base}/r/{revision_id}/forms/{number}/{kind}.pdf"


def notice_for(printer: Printer, revision: Revision, lang: str, paper: str) -> Notice:
    """Gather what the printed notice of a published revision shows, in `lang`."""
    check_choice(printer, lang, paper)
    view = revision_view(revision, lang, successor=catalogue.successor_of(revision))
    link = permalink(printer, revision.id, lang)
    return Notice(
        view=view,
        paper=paper,
        upcoming=catalogue.upcoming_revision(revision.item),
        permalink=link,
        qr=Markup(qr_svg(link, "M")),
        printed_on=clock.today(),
        rate_qr=Markup(qr_svg(rate_link(printer, revision, lang), "M")),
        form_qrs=tuple(
            FormQr(number, kind, url, Markup(qr_svg(url, "M")))
            for number, kind, _sha in form_files(revision.content)
            for url in [form_link(printer, revision.id, number, kind)]
        ),
    )


def render_template(printer: Printer, name: str, lang: str, **context: Any) -> str:
    """A print template rendered in `lang`, its <html lang> set to match."""
    with force_locale(lang):
        template = printer.templates.get_template(name)
        return template.render(html_lang=bcp47(lang), **context)


def _notice_html(printer: Printer, notice: Notice) -> str:
    return render_template(
        printer, "print/notice.html", notice.lang, notice=notice, paper=notice.paper
    )


def notice_html(printer: Printer, revision: Revision, lang: str, paper: str) -> str:
    """The notice as the HTML that is laid out into the PDF."""
    return _notice_html(printer, notice_for(printer, revision, lang, paper))


@lru_cache(maxsize=1)
def _renderer_code() -> str:
    digest = hashlib.sha256()
    for name in RENDERER_SOURCES:
        digest.update(Path(__file__).with_name(name).read_bytes())
    return digest.hexdigest()


def renderer_fingerprint(static_dir: Path) -> str:
    """What besides the HTML shapes a PDF: WeasyPrint, our layout code and the stylesheet."""
    css = hashlib.sha256((static_dir / STYLESHEET).read_bytes()).hexdigest()
    return f"weasyprint {version('weasyprint')} code {_renderer_code()} css {css}"


def notice_pdf(printer: Printer, revision: Revision, lang: str, paper: str) -> RenderedPdf:
    """The notice from the shared cache, rendered first if no server has made it yet.

    The name hashes the notice's HTML, so anything it shows (a new revision, a renamed
    channel, the printed date) gives a new file and a new ETag.
    """
    return cached_pdf(printer, "notice", notice_html(printer, revision, lang, paper))


def cached_pdf(printer: Printer, kind: str, html: str) -> RenderedPdf:
    """The PDF of one printed page's HTML from the shared cache, laid out by a render
    process first if no server has made it yet; `kind` names the cache entry's kind."""
    key = content_key(kind, renderer_fingerprint(printer.static_dir), html)
    path = cache_path(printer.cache_dir, key)
    if not path.is_file():
        printer.presses.run(jobs.store_notice, html, str(printer.static_dir), str(path))
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
    printer: Printer,
    hall: Hall,
    notices: list[Notice],
    lang: str,
    paper: str,
    pages: list[int | None],
) -> str:
    return render_template(
        printer,
        "print/hall_index.html",
        lang,
        hall=hall,
        entries=list(zip(notices, pages, strict=True)),
        paper=paper,
        printed_on=clock.today(),
    )


def hall_pdf(
    printer: Printer,
    hall: Hall,
    lang: str,
    paper: str,
    progress: Callable[[int], None] | None = None,
) -> RenderedPdf:
    """One PDF for a hall's wall: an index page, then the notice of every item it shows.

    The notices are laid out in parts, in parallel, and joined after the index. `progress`
    is called with the number of notices in each part as it is done (never when the cache
    has the PDF).
    """
    check_choice(printer, lang, paper)
    notices = [notice_for(printer, revision, lang, paper) for revision in hall_revisions(hall)]
    htmls = [_notice_html(printer, notice) for notice in notices]
    skeleton = _hall_index_html(printer, hall, notices, lang, paper, [None] * len(notices))
    key = content_key("hall", renderer_fingerprint(printer.static_dir), skeleton, *htmls)
    path = cache_path(printer.cache_dir, key)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        with TemporaryDirectory(dir=path.parent, prefix=".hall-") as folder:
            starts = _print_parts(printer, skeleton, htmls, Path(folder), progress)
            index = _hall_index_html(printer, hall, notices, lang, paper, starts)
            parts = sorted(str(part) for part in Path(folder).glob("*.pdf"))
            printer.presses.run(jobs.store_merged, index, parts, str(printer.static_dir), str(path))
    return RenderedPdf(path, key)


def _print_parts(
    printer: Printer,
    skeleton: str,
    htmls: list[str],
    folder: Path,
    progress: Callable[[int], None] | None,
) -> list[int]:
    """Lay the notices out in parts into `folder`; the page each notice starts on."""
    static_dir = str(printer.static_dir)
    # The index comes first, so the notices start after however many pages it takes.
    index_pages = printer.presses.submit(jobs.count_pages, skeleton, static_dir)
    size = -(-len(htmls) // (printer.presses.processes * PARTS_PER_PROCESS)) or 1
    chunks = [htmls[n : n + size] for n in range(0, len(htmls), size)]
    parts = {
        printer.presses.submit(
            jobs.store_part, chunk, static_dir, str(folder / f"{number:04d}.pdf")
        ): len(chunk)
        for number, chunk in enumerate(chunks)
    }
    for done in as_completed(parts):
        done.result()
        if progress:
            progress(parts[done])
    starts, page = [], index_pages.result() + 1
    for part in parts:  # in submission order, which is the order of the notices
        for pages in part.result():
            starts.append(page)
            page += pages
    return starts
