"""What a hall's kiosks and board keep for when the server cannot be reached."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import current_app, url_for

from kiosk.board.versions import pages_version
from services import clock
from services.content.checks import basis_refs
from services.devices import board
from services.models import Hall

# Served from its own route at the site root (a worker controls only pages below it).
SERVICE_WORKER = "sw.js"


def asset_urls() -> list[str]:
    """Every static file under its current hashed name."""
    folder = Path(current_app.static_folder)
    names = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and not path.name.startswith(".") and path.name != SERVICE_WORKER
    )
    return [url_for("static", filename=name) for name in names]


def page_urls(hall: Hall) -> list[str]:
    """The hall's pages: start, its utilities, their items in force, the laws they cite,
    and its board."""
    selection = board.select_for(hall, clock.today())
    codes = sorted(
        {
            ref["code"]
            for revision in selection.current.values()
            for _path, ref in basis_refs(revision.content)
        }
    )
    return [
        url_for("public.home"),
        *(url_for("public.utility_detail", utility_slug=u.slug) for u in hall.utilities),
        *(
            url_for("public.item_detail", utility_slug=item.utility.slug, item_slug=item.slug)
            for item in selection.items
        ),
        *(url_for("public.basis_detail", code=code) for code in codes),
        url_for("board.board_page", hall_slug=hall.slug),
    ]


def manifest_version(hall: Hall) -> str:
    """The version a kiosk reports once it holds the hall's pages and today's assets."""
    digest = hashlib.sha256("\n".join([pages_version(hall), *asset_urls()]).encode())
    return digest.hexdigest()[:16]


def manifest(hall: Hall) -> dict[str, Any]:
    """The hall's offline manifest: its version, its pages and every asset."""
    return {
        "hall": hall.slug,
        "version": manifest_version(hall),
        "pages": page_urls(hall),
        "assets": asset_urls(),
    }
