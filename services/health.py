"""What /healthz reports: the database answers and the PDF fonts can be subset quickly."""

from __future__ import annotations

import ctypes.util
from typing import Any

from sqlalchemy import text

from services.db import db


def harfbuzz_subset_available() -> bool:
    """True when libharfbuzz-subset is installed (WeasyPrint PDFs take seconds without it)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def health_report() -> dict[str, Any]:
    """A small JSON-able report; `ok` is False when the database cannot be read."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        database = f"error: {type(error).__name__}"
    return {
        "ok": database == "ok",
        "database": database,
        "harfbuzz_subset": harfbuzz_subset_available(),
    }
