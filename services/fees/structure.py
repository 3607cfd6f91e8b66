"""The national structure rules for residential tiered prices, as warnings.

Real published tables sometimes miss these rules (Beijing's water 5 : 7 : 9 is 1 : 1.4 : 1.8),
and such a table must still be published as the price bureau set it; so a broken rule is a
warning shown to the editor and the reviewer, never an error that stops a save or an import.

- water (发改价格〔2013〕2676号): at least three tiers, prices at least 1 : 1.5 : 3;
- residential power (2011 national guidance): tier 2 at least 0.05 and tier 3 at least 0.30
  元/kWh above tier 1;
- gas (发改价格〔2014〕467号): prices at least 1 : 1.2 : 1.5.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from services.fees.sheet import N_
from services.fees.tariffs import tiers_of
from services.models import Sector

WATER_RATIOS = (Decimal("1.5"), Decimal(3))
GAS_RATIOS = (Decimal("1.2"), Decimal("1.5"))
POWER_STEPS = (Decimal("0.05"), Decimal("0.30"))

WARNING_MESSAGES = {
    "water_tiers": N_(
        "Residential water should have at least three tiers (发改价格〔2013〕2676号); "
        "this price has %(count)s."
    ),
    "water_ratio": N_(
        "Tier %(tier)s costs %(ratio)s times tier 1; the national rule for water is at least "
        "%(minimum)s times (1 : 1.5 : 3, 发改价格〔2013〕2676号)."
    ),
    "gas_ratio": N_(
        "Tier %(tier)s costs %(ratio)s times tier 1; the national rule for gas is at least "
        "%(minimum)s times (1 : 1.2 : 1.5, 发改价格〔2014〕467号)."
    ),
    "power_step": N_(
        "Tier %(tier)s is %(step)s 元/kWh above tier 1; the national rule for residential "
        "power is at least %(minimum)s 元/kWh more."
    ),
}


@dataclass(frozen=True)
class TierWarning:
    """One broken structure rule: the fee's pricing it concerns and what is wrong."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The English message; the web layer translates WARNING_MESSAGES[code] instead."""
        return WARNING_MESSAGES[self.code] % self.params

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def is_residential(fee: dict[str, Any]) -> bool:
    """True for a fee residents pay: no customer class, or one that names 居民."""
    customer_class = fee.get("customer_class", "")
    return not customer_class or "居民" in customer_class or "resident" in customer_class.lower()


def _ratio(price: Decimal, base: Decimal) -> Decimal:
    return (price / base).quantize(Decimal("0.01"))


def _ratio_warnings(path: str, prices: list[Decimal], minimums, code: str) -> list[TierWarning]:
    found = []
    for n, minimum in enumerate(minimums, start=2):
        if len(prices) >= n and prices[0] > 0 and prices[n - 1] < prices[0] * minimum:
            params = {"tier": n, "ratio": str(_ratio(prices[n - 1], prices[0])), "minimum": minimum}
            found.append(TierWarning(path, code, params))
    return found


def fee_warnings(fee: dict[str, Any], sector: Sector | str, path: str) -> list[TierWarning]:
    """The structure rules one tiered residential fee of a sector breaks."""
    pricing = fee["pricing"]
    if pricing["type"] != "tiers" or not is_residential(fee):
        return []
    prices = [tier.price for tier in tiers_of(pricing)]
    if sector == Sector.WATER:
        found = []
        if len(prices) < 3:
            found.append(TierWarning(path, "water_tiers", {"count": len(prices)}))
        return found + _ratio_warnings(path, prices, WATER_RATIOS, "water_ratio")
    if sector == Sector.GAS:
        return _ratio_warnings(path, prices, GAS_RATIOS, "gas_ratio")
    if sector == Sector.POWER:
        found = []
        for n, minimum in enumerate(POWER_STEPS, start=2):
            if len(prices) >= n and prices[n - 1] - prices[0] < minimum:
                step = prices[n - 1] - prices[0]
                params = {"tier": n, "step": str(step), "minimum": str(minimum)}
                found.append(TierWarning(path, "power_step", params))
        return found
    return []


def tier_warnings(content: dict[str, Any], sector: Sector | str) -> list[TierWarning]:
    """Every national structure rule the content's residential tiered fees break."""
    found = []
    for i, fee in enumerate(content.get("fees") or []):
        try:
            found += fee_warnings(fee, sector, f"fees[{i}].pricing")
        except (KeyError, TypeError, ArithmeticError, AttributeError):
            continue  # a draft's fee not yet complete: the content checks name what is wrong
    return found
