"""The proposed tariff beside the one in force: their tiers, charts and the bills of
typical households under each."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services.fees.tariffs import FeeView, bill_for_usage, fee_views, tiers_of


@dataclass(frozen=True)
class BillRow:
    usage: Decimal
    current: Decimal
    draft: Decimal

    @property
    def change(self) -> Decimal:
        return self.draft - self.current

    @property
    def percent(self) -> Decimal | None:
        if not self.current:
            return None
        return (self.change * 100 / self.current).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Comparison:
    current: FeeView
    draft: FeeView
    bills: list[BillRow]


def typical_usages(pricing: dict[str, Any]) -> list[Decimal]:
    """Usages a household commonly has under these tiers: half and all of the first tier,
    the top of each closed tier after it, and a quarter above the last bound."""
    bounds = [t.upper for t in tiers_of(pricing) if t.upper is not None]
    if not bounds:
        return []
    usages = {bounds[0] / 2, *bounds, bounds[-1] * Decimal("1.25")}
    return sorted(u.quantize(Decimal("1")) for u in usages)


def compare(current: dict[str, Any], draft: dict[str, Any], fee_index: int) -> Comparison:
    """The fee at `fee_index` as in force and as proposed, and typical bills under each
    (the usages read from the tiers in force, so the bills compare like with like)."""
    now_fee = fee_views(current)[fee_index]
    new_fee = fee_views(draft)[fee_index]
    now_pricing, new_pricing = now_fee.fee["pricing"], new_fee.fee["pricing"]
    bills = [
        BillRow(
            usage,
            bill_for_usage(now_pricing, usage).total,
            bill_for_usage(new_pricing, usage).total,
        )
        for usage in typical_usages(now_pricing)
    ]
    return Comparison(now_fee, new_fee, bills)
