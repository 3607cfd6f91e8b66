"""Gather what an item page shows: localized content, fees with their bases, tier charts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale

from kiosk import caching
from services import clock
from services.calendar import working_days as calendar
from services.catalogue import queries as catalogue
from services.content.checks import basis_refs
from services.content.localize import localized_content
from services.fees.tariffs import FeeView, fee_views
from services.models import Channel, Item, LegalBasis, Revision, Utility


@dataclass
class RevisionView:
    revision: Revision
    item: Item
    utility: Utility
    content: dict[str, Any]
    content_mode: str
    fees: list[FeeView]
    bases: dict[str, LegalBasis]
    channels: list[Channel]
    upcoming: RevisionView | None = None
    successor: Revision | None = None
    due: calendar.DueDate | None = None

    @property
    def legal_bases(self) -> list[tuple[LegalBasis, str]]:
        """The item's own legal basis, highest rank first."""
        return catalogue.ranked_bases(self.content.get("basis", []), self.bases)


def revision_view(
    revision: Revision, upcoming: Revision | None = None, successor: Revision | None = None
) -> RevisionView:
    """Everything the item page and the printed notice show for one revision."""
    content, mode = localized_content(revision.content, str(get_locale()))
    codes = [ref["code"] for _, ref in basis_refs(revision.content)]
    reference = caching.reference()
    return RevisionView(
        revision=revision,
        item=revision.item,
        utility=revision.item.utility,
        content=content,
        content_mode=mode,
        fees=fee_views(content),
        bases=reference.bases_by_code(codes),
        channels=reference.channels_for(revision.content["channels"]),
        upcoming=revision_view(upcoming) if upcoming else None,
        successor=successor,
        due=caching.due_date(revision.content, clock.now()),
    )
