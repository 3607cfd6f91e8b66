"""The catalogue's small reference tables (legal bases, channels) read whole, once.

Item pages name a handful of these each; reading them all once and keeping them while the
catalogue is unchanged saves two queries a page. The rows are kept as copies that belong
to no session, so a commit elsewhere never expires them and they never lazy-load.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from services.db import db
from services.models import BasisStatus, Channel, LegalBasis


def _detached_copy(row):
    # Column values only: relationships of a copy are empty, never loaded.
    columns = row.__mapper__.column_attrs
    return type(row)(**{column.key: getattr(row, column.key) for column in columns})


@dataclass(frozen=True)
class Reference:
    """Legal bases and channels as they stood when read."""

    bases: dict[str, LegalBasis]
    channels: dict[str, Channel]

    def bases_by_code(self, codes: list[str]) -> dict[str, LegalBasis]:
        """The legal bases among `codes`, keyed by code."""
        return {code: self.bases[code] for code in codes if code in self.bases}

    def channels_for(self, codes: list[str]) -> list[Channel]:
        """The channels a revision names, in its order."""
        return [self.channels[code] for code in codes if code in self.channels]


def load_reference() -> Reference:
    """Every approved legal basis and every channel, detached from the session."""
    bases = db.session.scalars(select(LegalBasis).where(LegalBasis.status == BasisStatus.APPROVED))
    channels = db.session.scalars(select(Channel))
    return Reference(
        bases={b.code: _detached_copy(b) for b in bases},
        channels={c.code: _detached_copy(c) for c in channels},
    )
