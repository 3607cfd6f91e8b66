"""What a reader is shown of one revision, in one language: the kiosk's item page, the
editor's preview and the printed notice all start from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from typing import Any

from services import clock
from services.calendar.due_dates import DueLine, due_lines
from services.catalogue import queries as catalogue
from services.catalogue.complaints import ComplaintRoutes, complaint_routes
from services.catalogue.price_notices import PriceNoticeView, price_notice_view
from services.catalogue.reference import Reference, load_reference
from services.content.checks import basis_refs
from services.content.kinds import kind_fields
from services.content.localize import (
    has_converted,
    has_fallback,
    localized_content,
    localized_field,
    localized_summary,
)
from services.fees.tariffs import FeeView, fee_views
from services.models import Channel, Item, LegalBasis, Revision, Utility

# How the due dates are worked out from a revision's content and "now".
DueDateRule = Callable[[dict[str, Any], datetime], list[DueLine]]


def case_names(written: dict[str, Any], shown: dict[str, Any]) -> dict[str, str]:
    """Each case label of the time limits as written → as `shown` (localized) names it."""
    names: dict[str, str] = {}
    for slot in ("promised", "statutory"):
        cases = [
            ((content.get("time_limits") or {}).get(slot) or {}).get("cases") or []
            for content in (written, shown)
        ]
        for as_written, as_shown in zip(*cases, strict=False):
            names.setdefault(as_written["label"], as_shown["label"])
    return names


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
    complaints: ComplaintRoutes | None = None  # heads the fee list when there is one

    @property
    def legal_bases(self) -> list[tuple[LegalBasis, str]]:
        """The item's own legal basis, highest rank first."""
        return catalogue.ranked_bases(self.content.get("basis", []), self.bases)

    @cached_property
    def change_summary(self) -> str:
        """The change summary in the reader's language."""
        return localized_summary(self.revision.content, self.revision.change_summary, self.lang)

    @cached_property
    def shown_texts(self) -> list[Any]:
        """Every text of the page that comes from records rather than the interface."""
        records = [(self.utility, "name")]
        records += [(b, "title") for b in self.bases.values()]
        records += [(ch, f) for ch in self.channels for f in ("name", "hours")]
        texts = [localized_field(obj, field, self.lang) for obj, field in records]
        return [self.content, self.change_summary, texts]

    @cached_property
    def fell_back(self) -> bool:
        """Whether some text of this page is still in Simplified Chinese, for want of a
        translation into the reader's language."""
        upcoming = self.upcoming.fell_back if self.upcoming else False
        return upcoming or has_fallback(*self.shown_texts)

    @cached_property
    def converted(self) -> bool:
        """Whether some text of this page was converted to Traditional automatically."""
        return has_converted(*self.shown_texts)

    @cached_property
    def dues(self) -> list[DueLine]:
        """When a service applied for now is due, promised and by law, per case (asked for
        only on screen); none for a price notice, which nobody applies for."""
        if "time_limits" not in self.content:
            return []
        lines = self.due_dates(self.revision.content, clock.now())
        # The dates are worked out from the content as written; each case is named in the
        # reader's language, as its time limit is named beside it.
        names = case_names(self.revision.content, self.content)
        return [replace(line, label=names.get(line.label, line.label)) for line in lines]

    @cached_property
    def price_notice(self) -> PriceNoticeView | None:
        """A tariff's notice facts (document, dates, scope, collector), None for a service."""
        return price_notice_view(self.revision, self.content, self.bases)


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
    content = kind_fields(content, revision.item.kind)
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
        complaints=complaint_routes(revision.item.utility, reference.channels.values()),
    )
