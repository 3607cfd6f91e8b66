"""Bills under Beijing's residential water tiers: 0–180 m³ at ¥5, 180–260 at ¥7, above at ¥9."""

from decimal import Decimal

import pytest

from services.fees.tariffs import bill_for_usage
from tests.factories import tariff_content

WATER = tariff_content()["fees"][0]["pricing"]


def bill(usage):
    result = bill_for_usage(WATER, Decimal(usage))
    return [(ln.quantity, ln.amount) for ln in result.lines], result.total


def test_200_cubic_metres_cost_180_at_5_and_20_at_7():
    lines, total = bill("200")
    assert lines == [(Decimal(180), Decimal("900.00")), (Decimal(20), Decimal("140.00"))]
    assert total == Decimal("1040.00")


def test_usage_on_a_tier_boundary_stays_in_the_lower_tier():
    assert bill("180") == ([(Decimal(180), Decimal("900.00"))], Decimal("900.00"))
    lines, total = bill("260")
    assert [amount for _, amount in lines] == [Decimal("900.00"), Decimal("560.00")]
    assert total == Decimal("1460.00")


def test_usage_above_the_last_bound_is_billed_at_the_top_price():
    lines, total = bill("300")
    assert [q for q, _ in lines] == [Decimal(180), Decimal(80), Decimal(40)]
    assert total == Decimal("1820.00")


def test_fractions_are_rounded_to_the_fen_half_up():
    assert bill("12.345") == ([(Decimal("12.345"), Decimal("61.73"))], Decimal("61.73"))


def test_no_usage_costs_nothing():
    assert bill("0") == ([], Decimal(0))


def test_negative_usage_is_refused():
    with pytest.raises(ValueError):
        bill("-1")
