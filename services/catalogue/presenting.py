"""What a reader is shown of one revision, in one language: the kiosk's item page, the
editor's preview and the printed notice all start from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from services import clock
from services.calendar.due_dates import DueLine, due_lines
from services.catalogue import queries as catalogue
from services.catalogue.reference import Reference, load_reference
from services.content.checks import basis_refs
from services.content.localize import localized_content
from services.fees.tariffs import FeeView, fee_views
from services.models import Channel, Item, LegalBasis, Revision, Utility

# How the due dates are worked out from a revision's content and "now".
DueDateRule = Callable[[dict[str, Any], datetime], list[DueLine]]


@dataclass
class RevisionView:
    """One revision as a reader sees it: content in their language, fees, bases, channels."""

    revision: Revision
    lang: str
    item: Item
    utility: Utility
    content: dict[str, Any]
    content_mode: str
    fees: list[FeeView]
    bases: dict[str, LegalBasis]
    channels: list[Channel]
    upcoming: RevisionView | None = None
    successor: Revision | None = None
    due_dates: DueDateRule = due_lines

    @property
    def legal_bases(self) -> list[tuple[LegalBasis, str]]:
        """The item's own legal basis, highest rank first."""
        return catalogue.ranked_bases(self.content.get("basis", []), self.bases)

    @cached_property
    def dues(self) -> list[DueLine]:
        """When a service applied for now is due, promised and by law, per case (asked for
        only on screen)."""
        return self.due_dates(self.revision.content, clock.now())


def revision_view(
    revision: Revision,
    lang: str,
    upcoming: Revision | None = None,
    successor: Revision | None = None,
    reference: Reference | None = None,
    due_dates: DueDateRule = due_lines,
) -> RevisionView:
    """Everything the item page and the printed notice show for one revision, in `lang`.

    A caller that keeps the reference tables or due dates between requests passes its own.
    """
    content, mode = localized_content(revision.content, lang)
    codes = [ref["code"] for _, ref in basis_refs(revision.content)]
    reference = reference or load_reference()
    return RevisionView(
        revision=revision,
        lang=lang,
        item=revision.item,
        utility=revision.item.utility,
        content=content,
        content_mode=mode,
        fees=fee_views(content),
        bases=reference.bases_by_code(codes),
        channels=reference.channels_for(revision.content["channels"]),
        upcoming=revision_view(upcoming, lang, reference=reference, due_dates=due_dates)
        if upcoming
        else None,
        successor=successor,
        due_dates=due_dates,
    )
