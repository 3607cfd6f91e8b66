"""Fees and tiered tariffs: tier checks, bills computed with Decimal, and chart geometry."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from services.content.schema import ContentError


@dataclass(frozen=True)
class Tier:
    """One price band; `upper` None means open-ended ("以上")."""

    index: int
    lower: Decimal
    upper: Decimal | None
    price: Decimal
    components: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class BillLine:
    tier: Tier
    quantity: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Household:
    """What the bill estimator may ask about a household; None persons: not said."""

    persons: int | None = None
    is_low_income: bool = False  # 低保 or 特困 household


@dataclass(frozen=True)
class Bill:
    usage: Decimal
    lines: tuple[BillLine, ...]
    total: Decimal
    # What was applied for the household: how far each bound between tiers moved up for its
    # size, and the free quantity (and what it was worth) for a 低保 / 特困 household.
    bound_shift: Decimal = Decimal(0)
    free_quantity: Decimal = Decimal(0)
    free_amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class FeeView:
    """A fee with the tiers and chart bars of a tiered price worked out (empty otherwise)."""

    fee: dict[str, Any]
    tiers: list[Tier]
    bars: list[Bar]


@dataclass(frozen=True)
class Bar:
    """One bar of the tier price chart, in SVG user units."""

    tier: Tier
    x: float
    y: float
    width: float
    height: float


def tiers_of(pricing: dict[str, Any]) -> list[Tier]:
    """The tiers of a tiered pricing, as Decimals."""
    return [
        Tier(
            index=i,
            lower=Decimal(t["lower"]),
            upper=None if t.get("upper") in (None, "") else Decimal(t["upper"]),
            price=Decimal(t["price"]),
            components=tuple((c["name"], Decimal(c["price"])) for c in t.get("components", [])),
        )
        for i, t in enumerate(pricing["tiers"])
    ]


def check_tiers(pricing: dict[str, Any], field: str) -> None:
    """Raise ContentError unless tiers start at 0, are contiguous, ascend and end open."""
    tiers = tiers_of(pricing)
    if tiers[0].lower != 0:
        raise ContentError(f"{field}.tiers[0].lower", "the first tier must start at 0")
    for prev, tier in zip(tiers, tiers[1:], strict=False):
        if prev.upper is None:
            raise ContentError(
                f"{field}.tiers[{prev.index}].upper",
                "only the last tier may be open-ended",
            )
        if tier.lower != prev.upper:
            what = "overlaps" if tier.lower < prev.upper else "leaves a gap after"
            raise ContentError(
                f"{field}.tiers[{tier.index}].lower",
                f"tier {tier.index + 1} {what} tier {prev.index + 1} "
                f"(starts at {tier.lower}, previous ends at {prev.upper})",
            )
    for tier in tiers:
        if tier.upper is not None and tier.upper <= tier.lower:
            raise ContentError(
                f"{field}.tiers[{tier.index}].upper", "upper bound must exceed the lower bound"
            )
        if tier.components and sum(p for _, p in tier.components) != tier.price:
            raise ContentError(
                f"{field}.tiers[{tier.index}].components",
                f"components add up to {sum(p for _, p in tier.components)}, "
                f"not the tier price {tier.price}",
            )
    if tiers[-1].upper is not None:
        raise ContentError(
            f"{field}.tiers[{tiers[-1].index}].upper", "the last tier must be open-ended"
        )


def check_fees(content: dict[str, Any]) -> None:
    """Rules the schema cannot say: tier order, every charged fee names its basis, a
    market-regulated price cites the price-marking rules instead, and validity runs forward."""
    for i, fee in enumerate(content.get("fees", [])):
        pricing = fee["pricing"]
        if pricing["type"] == "tiers":
            check_tiers(pricing, f"fees[{i}].pricing")
        if fee.get("market_regulated"):
            # 市场调节价: no government price document authorises it; the price-marking rules
            # (总局令第56号) only say how it is shown, so they go under display_basis.
            if fee["basis"]:
                raise ContentError(
                    f"fees[{i}].basis",
                    "a market-regulated price has no price basis; "
                    "cite the price-marking rules under display rules instead",
                )
            if pricing["type"] == "free":
                raise ContentError(
                    f"fees[{i}].market_regulated", "a free item has no market-regulated price"
                )
            if not fee.get("display_basis"):
                raise ContentError(
                    f"fees[{i}].display_basis",
                    "a market-regulated price must cite the price-marking rules it is shown under",
                )
        elif pricing["type"] != "free" and not fee["basis"]:
            raise ContentError(f"fees[{i}].basis", "a fee must name its legal or price basis")
        start, end = fee.get("valid_from"), fee.get("valid_until")
        if start and end and end < start:
            raise ContentError(f"fees[{i}].valid_until", "the fee cannot end before it starts")


def bound_shift(pricing: dict[str, Any], household: Household | None) -> Decimal:
    """How far the household's size moves each bound between tiers up (0 when it does not)."""
    allowance = pricing.get("household_allowance")
    if not allowance or household is None or household.persons is None:
        return Decimal(0)
    extra = household.persons - allowance["above_persons"]
    return Decimal(allowance["per_person"]) * extra if extra > 0 else Decimal(0)


def household_tiers(pricing: dict[str, Any], shift: Decimal) -> list[Tier]:
    """The tiers with every bound between them moved up by `shift`."""
    if not shift:
        return tiers_of(pricing)
    return [
        Tier(
            index=t.index,
            lower=t.lower + shift if t.index else t.lower,
            upper=None if t.upper is None else t.upper + shift,
            price=t.price,
            components=t.components,
        )
        for t in tiers_of(pricing)
    ]


def _tier_lines(tiers: list[Tier], usage: Decimal) -> list[BillLine]:
    lines = []
    for tier in tiers:
        if usage <= tier.lower:
            break
        top = usage if tier.upper is None else min(usage, tier.upper)
        quantity = top - tier.lower
        amount = (quantity * tier.price).quantize(Decimal("0.01"), ROUND_HALF_UP)
        lines.append(BillLine(tier=tier, quantity=quantity, amount=amount))
    return lines


def bill_for_usage(
    pricing: dict[str, Any], usage: Decimal, household: Household | None = None
) -> Bill:
    """The bill for one period's usage under a tiered pricing, tier by tier, with the
    household-size allowance and the 低保 / 特困 free quota where the tariff has them."""
    if usage < 0:
        raise ValueError("usage cannot be negative")
    shift = bound_shift(pricing, household)
    tiers = household_tiers(pricing, shift)
    lines = _tier_lines(tiers, usage)
    total = sum((ln.amount for ln in lines), Decimal(0))
    quota = pricing.get("low_income_quota")
    free_quantity = free_amount = Decimal(0)
    if quota and household is not None and household.is_low_income:
        # The free units are the period's first ones, so they are worth what they cost at
        # the bottom of the table.
        free_quantity = min(usage, Decimal(quota["quantity"]))
        free_amount = sum((ln.amount for ln in _tier_lines(tiers, free_quantity)), Decimal(0))
    return Bill(
        usage=usage,
        lines=tuple(lines),
        total=total - free_amount,
        bound_shift=shift,
        free_quantity=free_quantity,
        free_amount=free_amount,
    )


def tier_bars(pricing: dict[str, Any], width: float = 600, height: float = 240) -> list[Bar]:
    """Bars for a price chart: one per tier, heights proportional to the unit price."""
    tiers = tiers_of(pricing)
    top = max(t.price for t in tiers) or Decimal(1)
    gap = width * 0.06
    bar_width = (width - gap * (len(tiers) + 1)) / len(tiers)
    bars = []
    for n, tier in enumerate(tiers):
        bar_height = float(tier.price / top) * height
        bars.append(
            Bar(
                tier=tier,
                x=gap + n * (bar_width + gap),
                y=height - bar_height,
                width=bar_width,
                height=bar_height,
            )
        )
    return bars


def fee_views(content: dict[str, Any]) -> list[FeeView]:
    """The content's fees, each with its tiers and chart bars when it is tiered."""
    return [
        FeeView(fee, tiers_of(fee["pricing"]), tier_bars(fee["pricing"]))
        if fee["pricing"]["type"] == "tiers"
        else FeeView(fee, [], [])
        for fee in content.get("fees", [])
    ]
