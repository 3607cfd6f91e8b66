"""WeasyPrint's side of printing: HTML laid out into PDF pages, fetching only our own files.

Only the render processes import this module (see jobs.py): WeasyPrint, Pango and the
font configuration stay out of the web workers.
"""

from __future__ import annotations

import io
import mimetypes
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from services.notices import STYLESHEET
from services.notices.fonts import compact_cid_subsets, embed_compact_cffs

# The base URL of print templates: a reserved name (RFC 2606) that never resolves, which
# the fetcher below maps onto static/. Nothing else is ever fetched.
STATIC_ORIGIN = "https://static.invalid/"


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


def stylesheet(static_dir: Path) -> weasyprint.CSS:
    """The print stylesheet as it is on disk now, parsed once per version."""
    return _parsed_stylesheet((static_dir / STYLESHEET).read_bytes(), static_dir)


def lay_out(html: str, static_dir: Path, tagged: bool = True) -> weasyprint.Document:
    """Lay out one HTML document into pages."""
    return weasyprint.HTML(
        string=html, base_url=STATIC_ORIGIN, url_fetcher=StaticOnlyFetcher(static_dir)
    ).render(font_config=font_config(), stylesheets=[stylesheet(static_dir)], pdf_tags=tagged)


def write(documents: list[weasyprint.Document], tagged: bool = True) -> bytes:
    """One PDF of these documents' pages, each font embedded once as a subset of its glyphs."""
    # The first document's metadata (title, language, author) describes the whole file.
    pages = [page for document in documents for page in document.pages]
    with compact_cid_subsets():
        return documents[0].copy(pages).write_pdf(pdf_tags=tagged, finisher=embed_compact_cffs)


def merge(first: bytes, parts: list[Path]) -> bytes:
    """`first`, then every PDF in `parts`, as one file with the title and language of `first`."""
    writer = PdfWriter()
    reader = PdfReader(io.BytesIO(first))
    writer.append(reader)
    for part in parts:
        writer.append(PdfReader(part))
    if reader.metadata:
        writer.add_metadata(reader.metadata)
    if "/Lang" in reader.trailer["/Root"]:
        writer.root_object[NameObject("/Lang")] = reader.trailer["/Root"]["/Lang"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
