"""Why a record cannot be written as asked, said in codes that the screens word."""

from __future__ import annotations

from typing import Any


class Refused(ValueError):
    """A write refused before anything changed; `field` is where the person can act."""

    def __init__(self, code: str, field: str | None = None, /, **params: Any):
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


def columns(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of a row, as the audit trail records them."""
    return {name: getattr(row, name) for name in names}
