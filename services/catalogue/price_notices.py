"""What a price notice (价格公示) states besides its prices, resolved for display: the price
document with its 文号, issuer and date, when the prices take effect and were made public,
whom they apply to, who collects the money and for whom, and the disclosure deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from services.models import ItemKind, LegalBasis, Revision


@dataclass(frozen=True)
class Disclosure:
    """公开时限: how soon a change is published, and the rule that says so."""

    value: int
    unit: str
    basis: LegalBasis | None
    article: str


@dataclass(frozen=True)
class PriceNoticeView:
    """A tariff's notice facts; a field the content leaves out is empty or None."""

    document: LegalBasis | None
    document_article: str
    effective_on: date | None
    published_on: date | None
    scope: str
    collector: str
    collected_for: str
    disclosure: Disclosure | None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def price_notice_view(
    revision: Revision, content: dict[str, Any], bases: dict[str, LegalBasis]
) -> PriceNoticeView | None:
    """The notice facts of a tariff revision (None for a service).

    A tariff published before these fields existed still shows when its prices apply: the
    date its revision took effect.
    """
    if revision.item.kind != ItemKind.TARIFF:
        return None
    notice = content.get("price_notice", {})
    document = notice.get("document") or {}
    disclosure = notice.get("disclosure")
    return PriceNoticeView(
        document=bases.get(document.get("code", "")),
        document_article=document.get("article", ""),
        effective_on=_day(notice.get("effective_on")) or revision.effective_from,
        published_on=_day(notice.get("published_on")),
        scope=notice.get("scope", ""),
        collector=notice.get("collector", ""),
        collected_for=notice.get("collected_for", ""),
        disclosure=Disclosure(
            value=disclosure["value"],
            unit=disclosure["unit"],
            basis=bases.get(disclosure["basis"]["code"]),
            article=disclosure["basis"].get("article", ""),
        )
        if disclosure
        else None,
    )
