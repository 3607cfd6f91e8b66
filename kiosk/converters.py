"""URL converters that refuse, as "not found", what no row could ever match."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

# Ids are 32-bit integers in the database (PostgreSQL's integer); a bigger number in an
# address would fail the query instead of finding nothing.
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` bounded to what an id column holds, so /r/99999999999999999999 is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    """Every `<int:…>` of every blueprint is bounded; call before the blueprints register."""
    app.url_map.converters["int"] = IdConverter
