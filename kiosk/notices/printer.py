"""The app's notice printer: its settings, and one pool of render processes per web worker."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from services.notices.presses import Presses
from services.notices.render import Printer


def notice_printer() -> Printer:
    """The printer of the current app; its render processes start with the first PDF."""
    app = current_app._get_current_object()
    static_dir = Path(app.static_folder)
    presses = app.extensions.get("notice_presses")
    if presses is None:
        presses = app.extensions["notice_presses"] = Presses(static_dir)
    return Printer(
        templates=app.jinja_env,
        languages=tuple(app.config["LANGUAGES"]),
        public_base_url=app.config["PUBLIC_BASE_URL"],
        static_dir=static_dir,
        cache_dir=Path(app.config["CACHE_DIR"]),
        presses=presses,
    )
