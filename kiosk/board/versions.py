"""Content versions of a hall, kept while nothing they depend on has moved, and how long a
board's answer stands.

Working a version out costs several queries; the devices list and the offline manifest ask
for it often. It is kept until the catalogue's generation moves (a publish, here or in
another process: kiosk.caching) or the minute turns (opening hours change on the minute).
The board's poll itself is kept in the page cache until the same minute ends (minute_end),
and carries the server's clock on every answer (board_time).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app

from kiosk.caching import GENERATION
from services import clock
from services.catalogue import halls
from services.devices import board
from services.models import Hall

_known: dict[tuple, tuple[tuple, str]] = {}
_lock = threading.Lock()


def _remember(key: tuple, at: datetime, compute: Callable[[], str]) -> str:
    recheck = current_app.config["PAGE_CACHE_RECHECK_SECONDS"]
    stamp = (GENERATION.current(recheck), at.replace(second=0, microsecond=0))
    known = _known.get(key)
    if known and known[0] == stamp:
        return known[1]
    version = compute()
    with _lock:
        _known[key] = (stamp, version)
    return version


def screen_version(hall: Hall, at: datetime | None = None) -> str:
    """What the hall's board shows now (services.devices.board.content_version), remembered."""
    at = halls.local(at)
    return _remember(("board", hall.id), at, lambda: board.content_version(hall, at))


def pages_version(hall: Hall, at: datetime | None = None) -> str:
    """What the hall's kiosks show today (services.devices.board.catalogue_version), remembered."""
    at = halls.local(at)
    return _remember(("pages", hall.id), at, lambda: board.catalogue_version(hall, at.date(), at))


def minute_end(now: datetime) -> datetime:
    """When what a board shows may next change by itself: opening hours turn on the minute."""
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def board_time() -> dict[str, str]:
    """The server's clock for a board (its clock and "as of" time follow it, not the screen's)."""
    return {"X-Board-Time": str(int(clock.now().timestamp() * 1000))}
