"""The jobs render processes run, each writing its PDF atomically where it is asked to.

The web process imports this module only to name a job for the pool; WeasyPrint
(services.notices.layout) is imported inside the jobs, so it loads in the render
processes and never in a web worker.
"""

from __future__ import annotations

from pathlib import Path

from services.notices.pdf_cache import store_pdf


def warm_up(static_dir: str) -> None:
    """Load WeasyPrint, the font configuration and the stylesheet before the first job."""
    from services.notices import layout

    layout.font_config()
    layout.stylesheet(Path(static_dir))


def store_notice(html: str, static_dir: str, target: str) -> int:
    """Lay out one notice as a tagged PDF stored at `target`; returns its number of pages."""
    from services.notices import layout

    document = layout.lay_out(html, Path(static_dir))
    store_pdf(Path(target), layout.write([document]))
    return len(document.pages)


def store_part(htmls: list[str], static_dir: str, target: str) -> list[int]:
    """Lay out several notices into one PDF stored at `target`; returns the pages of each.

    A hall's batch is printed, not read on screen: its parts are not tagged, which also
    spares the merge from joining structure trees.
    """
    from services.notices import layout

    documents = [layout.lay_out(html, Path(static_dir), tagged=False) for html in htmls]
    store_pdf(Path(target), layout.write(documents, tagged=False))
    return [len(document.pages) for document in documents]


def count_pages(html: str, static_dir: str) -> int:
    """How many pages `html` lays out into."""
    from services.notices import layout

    return len(layout.lay_out(html, Path(static_dir), tagged=False).pages)


def store_merged(first_html: str, parts: list[str], static_dir: str, target: str) -> None:
    """Lay out `first_html`, follow it with the PDFs at `parts`, and store it all at `target`."""
    from services.notices import layout

    first = layout.write([layout.lay_out(first_html, Path(static_dir), tagged=False)], False)
    store_pdf(Path(target), layout.merge(first, [Path(part) for part in parts]))
