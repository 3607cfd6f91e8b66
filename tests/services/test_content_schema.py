from decimal import Decimal

import pytest

from services.content.checks import check_content
from services.content.schema import ContentError, validate_content
from services.fees.tariffs import bill_for_usage, check_tiers, tier_bars
from services.models import ItemKind, Sector
from tests.factories import ensure_test_refs, service_content, tariff_content


def tiers(*bands):
    return {
        "type": "tiers",
        "unit": "元/立方米",
        "period": "year",
        "tiers": [{"lower": lo, "upper": up, "price": price} for lo, up, price in bands],
    }


@pytest.mark.parametrize(
    ("content", "kind"),
    [(service_content, ItemKind.SERVICE), (tariff_content, ItemKind.TARIFF)],
)
def test_valid_contents_pass(ctx, content, kind):
    ensure_test_refs()
    assert check_content(content(), kind, Sector.WATER) is None
    # The same content is refused once what it refers to is not there.
    with pytest.raises(ContentError) as refused:
        check_content(content(channels=["no-such-channel"]), kind, Sector.WATER)
    assert refused.value.field == "channels[0]"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (service_content(name=""), "name"),
        (service_content(audience="everyone"), "audience"),
        (
            service_content(
                materials=[{"name": "身份证", "form": "scan", "copies": 1, "required": True}]
            ),
            "materials[0].form",
        ),
        (
            service_content(
                time_limits={
                    "statutory": {"value": 20, "unit": "weeks"},
                    "promised": {"value": 5, "unit": "working_days"},
                }
            ),
            "time_limits.statutory.unit",
        ),
        (
            service_content(
                fees=[
                    {
                        "name": "安装费",
                        "kind": "charge",
                        "basis": [],
                        "pricing": {"type": "flat", "amount": "-3", "unit": "元"},
                    }
                ]
            ),
            "fees[0].pricing.amount",
        ),
    ],
)
def test_schema_errors_name_the_field(content, field):
    with pytest.raises(ContentError) as raised:
        validate_content(content)
    assert raised.value.field == field


def test_missing_required_field_is_named():
    content = service_content()
    del content["summary"]
    with pytest.raises(ContentError, match="summary"):
        validate_content(content)


def test_charged_fee_without_basis_is_refused(ctx):
    ensure_test_refs()
    content = service_content()
    content["fees"][0]["basis"] = []
    with pytest.raises(ContentError) as raised:
        check_content(content)
    assert raised.value.field == "fees[0].basis"


def test_unknown_basis_code_is_refused(ctx):
    ensure_test_refs()
    content = service_content(basis=[{"code": "no-such-document"}])
    with pytest.raises(ContentError, match="no-such-document") as raised:
        check_content(content)
    assert raised.value.field == "basis[0].code"


@pytest.mark.parametrize(
    ("bands", "field", "words"),
    [
        ([("0", "180", "5"), ("170", None, "7")], "p.tiers[1].lower", "overlaps"),
        ([("0", "180", "5"), ("200", None, "7")], "p.tiers[1].lower", "gap"),
        ([("10", "180", "5"), ("180", None, "7")], "p.tiers[0].lower", "start at 0"),
        ([("0", "180", "5"), ("180", "260", "7")], "p.tiers[1].upper", "open-ended"),
        ([("0", None, "5"), ("180", None, "7")], "p.tiers[0].upper", "only the last"),
    ],
)
def test_bad_tiers_are_refused_with_the_tier_named(bands, field, words):
    with pytest.raises(ContentError, match=words) as raised:
        check_tiers(tiers(*bands), "p")
    assert raised.value.field == field


def test_bill_is_computed_tier_by_tier():
    pricing = tariff_content()["fees"][0]["pricing"]
    bill = bill_for_usage(pricing, Decimal("200"))
    assert [(line.quantity, line.amount) for line in bill.lines] == [
        (Decimal("180"), Decimal("900.00")),
        (Decimal("20"), Decimal("140.00")),
    ]
    assert bill.total == Decimal("1040.00")
    assert bill_for_usage(pricing, Decimal("0")).total == 0
    assert bill_for_usage(pricing, Decimal("300")).total == Decimal("900") + 560 + 360


def test_chart_bars_scale_with_price():
    bars = tier_bars(tariff_content()["fees"][0]["pricing"], width=600, height=240)
    assert [round(bar.height) for bar in bars] == [133, 187, 240]
    assert bars[0].x < bars[1].x < bars[2].x
