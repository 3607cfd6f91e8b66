"""The one place that decides whether a request gets a whole page or just its fragment."""

from __future__ import annotations

from typing import Any

from flask import make_response, render_template, request


def is_htmx() -> bool:
    """True for requests htmx made (and not for history restores, which need a page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render_view(name: str, status: int = 200, **context: Any):
    """Render `<name>.html` for a plain request, or its partial `_<base>.html` for htmx.

    Each page template includes its partial, so the markup exists once. A swap of #main
    also carries the <title> and the nav bar (out of band); a swap into any other target
    (a panel inside the page) gets the partial alone.
    """
    folder, _, base = name.rpartition("/")
    partial = f"{folder}/_{base}.html" if folder else f"_{base}.html"
    if is_htmx() and request.headers.get("HX-Target") not in (None, "main"):
        body = render_template(partial, **context)  # a panel inside the page
    elif is_htmx():
        body = render_template("components/fragment.html", partial=partial, **context)
    else:
        body = render_template(f"{name}.html", partial=partial, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response
