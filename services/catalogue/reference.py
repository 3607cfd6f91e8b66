"""The catalogue's small reference tables (utilities, legal bases, channels) read in one go.

Item pages name a handful of these each; reading them all once and keeping them while the
catalogue is unchanged saves three queries a page. The rows are kept as copies that belong
to no session, so a commit elsewhere never expires them and they never lazy-load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from services.catalogue.queries import PUBLIC_STATUSES
from services.db import db
from services.models import Channel, LegalBasis, Revision, Utility


def _detached_copy(row):
    # Column values only: relationships of a copy are empty, never loaded.
    columns = row.__mapper__.column_attrs
    return type(row)(**{column.key: getattr(row, column.key) for column in columns})


@dataclass(frozen=True)
class Reference:
    """Utilities, legal bases and channels as they stood when read."""

    utilities: tuple[Utility, ...]
    bases: dict[str, LegalBasis]
    channels: dict[str, Channel]

    def utility_by_slug(self, slug: str) -> Utility | None:
        """The utility with this slug, or None."""
        return next((u for u in self.utilities if u.slug == slug), None)

    def bases_by_code(self, codes: list[str]) -> dict[str, LegalBasis]:
        """The legal bases among `codes`, keyed by code."""
        return {code: self.bases[code] for code in codes if code in self.bases}

    def channels_for(self, codes: list[str]) -> list[Channel]:
        """The channels a revision names, in its order."""
        return [self.channels[code] for code in codes if code in self.channels]


def load_reference() -> Reference:
    """Every utility (in display order), legal basis and channel, detached from the session."""
    utilities = db.session.scalars(select(Utility).order_by(Utility.position, Utility.id))
    bases = db.session.scalars(select(LegalBasis))
    channels = db.session.scalars(select(Channel))
    return Reference(
        utilities=tuple(_detached_copy(u) for u in utilities),
        bases={b.code: _detached_copy(b) for b in bases},
        channels={c.code: _detached_copy(c) for c in channels},
    )


def scheduled_dates(after: date) -> dict[int, date]:
    """For each item with a published revision taking effect after `after`, the first such day."""
    rows = db.session.execute(
        select(Revision.item_id, func.min(Revision.effective_from))
        .where(Revision.status.in_(PUBLIC_STATUSES), Revision.effective_from > after)
        .group_by(Revision.item_id)
    )
    return {item_id: on for item_id, on in rows}
