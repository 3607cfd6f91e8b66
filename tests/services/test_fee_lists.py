"""Complete fee lists: what a fee pays for, whom and when; market-regulated prices; the national
tier-structure rules as warnings; tier bounds as price bureaus publish them; household
allowances in the bill; and the complaint routes that head a fee list."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from services.catalogue.complaints import complaint_routes
from services.content.checks import check_content
from services.content.diff import diff, with_document_numbers
from services.content.schema import ContentError, content_errors
from services.fees.importing import plan_fee_import
from services.fees.sheet import COLUMNS
from services.fees.structure import tier_warnings
from services.fees.tariffs import Household, bill_for_usage
from services.models import ChannelKind, ChannelRole, ItemKind, Sector
from services.open_data.exports import FEE_COLUMNS, fee_rows
from services.open_data.records import approved_bases
from tests.factories import (
    make_channel,
    make_item,
    make_legal_basis,
    make_revision,
    make_utility,
    service_content,
    tariff_content,
)
from tests.services.test_fee_import import (
    csv_bytes,
    every_row,
    problems,
    water_rows,
    with_cells,
    xlsx,
)


def tiers(*prices: str, bounds=("100", "200")) -> dict:
    lows = ["0", *bounds]
    highs = [*bounds, None]
    return {
        "type": "tiers",
        "unit": "元/千瓦时",
        "period": "month",
        "upper_inclusive": True,
        "tiers": [
            {"lower": lo, "upper": hi, "price": p}
            for lo, hi, p in zip(lows, highs, prices, strict=True)
        ],
    }


def fee(pricing: dict, **extra) -> dict:
    return {
        "name": "居民生活用电",
        "kind": "charge",
        "pricing": pricing,
        "basis": [{"code": "test-price-doc"}],
    } | extra


# The content --------------------------------------------------------------------------------


def test_a_fee_may_say_what_it_pays_for_whom_it_is_paid_to_and_when_it_holds(ctx):
    content = service_content(
        fees=[
            service_content()["fees"][0]
            | {
                "service_content": "上门安装水表并通水",
                "payee": "某某供水公司",
                "valid_from": "2026-03-01",
                "valid_until": "2028-02-29",
            }
        ]
    )
    make_revision()  # the test basis and channel
    check_content(content)


def test_old_content_without_the_new_fields_stays_valid(ctx):
    make_revision()
    check_content(service_content())
    check_content(tariff_content(), kind=ItemKind.TARIFF)


def test_a_fee_cannot_end_before_it_starts(ctx):
    make_revision()
    bad = service_content()["fees"][0] | {"valid_from": "2027-01-01", "valid_until": "2026-12-31"}
    with pytest.raises(ContentError) as error:
        check_content(service_content(fees=[bad]))
    assert error.value.field == "fees[0].valid_until"


def market_fee(**extra) -> dict:
    return {
        "name": "宽带月使用费",
        "kind": "charge",
        "pricing": {"type": "flat", "amount": "59.00", "unit": "元/月"},
        "basis": [],
        "market_regulated": True,
        "display_basis": [{"code": "test-price-doc"}],
    } | extra


def test_a_market_regulated_price_cites_display_rules_not_a_price_basis(ctx):
    make_revision()
    check_content(service_content(fees=[market_fee()]))
    with pytest.raises(ContentError) as error:
        check_content(service_content(fees=[market_fee(basis=[{"code": "test-price-doc"}])]))
    assert error.value.field == "fees[0].basis"
    assert "price-marking" in error.value.message
    with pytest.raises(ContentError) as error:
        check_content(service_content(fees=[market_fee(display_basis=[])]))
    assert error.value.field == "fees[0].display_basis"


def test_a_display_rule_must_be_a_known_basis(ctx):
    make_revision()
    with pytest.raises(ContentError) as error:
        check_content(service_content(fees=[market_fee(display_basis=[{"code": "nothing"}])]))
    assert error.value.field == "fees[0].display_basis[0].code"


def test_allowances_are_tiered_pricing_fields_only():
    quota = {"low_income_quota": {"quantity": "15"}}
    assert not content_errors(tariff_content(fees=[fee(tiers("0.5", "0.6", "0.9") | quota)]))
    flat = {"type": "flat", "amount": "1.00", "unit": "元/次"} | quota
    assert [e.field for e in content_errors(service_content(fees=[fee(flat)]))] == [
        "fees[0].pricing"
    ]


# National structure rules, as warnings --------------------------------------------------------


def codes(content, sector):
    return [(w.field, w.code, w.params.get("tier")) for w in tier_warnings(content, sector)]


def test_water_below_one_to_one_and_a_half_to_three_is_warned_tier_by_tier():
    # 4 : 5.6 : 10 is 1 : 1.4 : 2.5 — both upper tiers too cheap.
    content = tariff_content(fees=[fee(tiers("4.00", "5.60", "10.00"))])
    assert codes(content, Sector.WATER) == [
        ("fees[0].pricing", "water_ratio", 2),
        ("fees[0].pricing", "water_ratio", 3),
    ]
    good = tariff_content(fees=[fee(tiers("4.00", "6.00", "12.00"))])
    assert codes(good, Sector.WATER) == []


def test_water_with_two_tiers_is_warned_for_its_tier_count():
    content = tariff_content(fees=[fee(tiers("3.00", "4.50", bounds=("150",)))])
    assert codes(content, "water") == [("fees[0].pricing", "water_tiers", None)]


def test_residential_power_steps_below_five_and_thirty_fen_are_warned():
    content = tariff_content(fees=[fee(tiers("0.6000", "0.6400", "0.9000"))])
    warnings = tier_warnings(content, Sector.POWER)
    assert [(w.code, w.params["tier"], w.params["step"]) for w in warnings] == [
        ("power_step", 2, "0.0400")
    ]
    assert "0.05" in warnings[0].message
    exact = tariff_content(fees=[fee(tiers("0.6000", "0.6500", "0.9000"))])
    assert codes(exact, Sector.POWER) == []


def test_gas_below_one_to_one_point_two_to_one_point_five_is_warned():
    content = tariff_content(fees=[fee(tiers("3.00", "3.60", "4.40"))])
    assert codes(content, Sector.GAS) == [("fees[0].pricing", "gas_ratio", 3)]


def test_rules_concern_residential_tiers_of_their_sector_only():
    business = fee(tiers("4.00", "4.10", "4.20"), customer_class="工商业")
    assert codes(tariff_content(fees=[business]), Sector.WATER) == []
    assert codes(tariff_content(fees=[fee(tiers("4.00", "4.10", "4.20"))]), Sector.HEATING) == []


def test_an_unfinished_draft_fee_gives_no_warning_and_no_crash():
    broken = fee(tiers("4.00", "x", "4.20"))
    assert tier_warnings({"fees": [broken, {"name": "?"}]}, Sector.WATER) == []


# Bills for households -------------------------------------------------------------------------

ALLOWING = tiers("0.50", "0.55", "0.80", bounds=("200", "400")) | {
    "household_allowance": {"above_persons": 3, "per_person": "50"},
    "low_income_quota": {"quantity": "10"},
}


def test_a_larger_household_gets_wider_tiers():
    usage = Decimal(450)
    plain = bill_for_usage(ALLOWING, usage)
    assert [ln.quantity for ln in plain.lines] == [200, 200, 50]
    five = bill_for_usage(ALLOWING, usage, Household(persons=5))
    assert five.bound_shift == 100
    assert [(ln.tier.lower, ln.tier.upper) for ln in five.lines] == [(0, 300), (300, 500)]
    assert [ln.quantity for ln in five.lines] == [300, 150]
    assert five.total == Decimal("232.50")  # 300 × 0.50 + 150 × 0.55


def test_a_household_at_or_below_the_threshold_gets_no_allowance():
    assert bill_for_usage(ALLOWING, Decimal(450), Household(persons=3)).bound_shift == 0


def test_a_low_income_household_gets_its_free_quota_off_the_bottom_tier():
    bill = bill_for_usage(ALLOWING, Decimal(250), Household(is_low_income=True))
    assert bill.free_quantity == 10 and bill.free_amount == Decimal("5.00")
    assert bill.total == Decimal("122.50")  # 200 × 0.50 + 50 × 0.55 − 10 × 0.50
    small = bill_for_usage(ALLOWING, Decimal(4), Household(is_low_income=True))
    assert (small.free_quantity, small.total) == (4, 0)


def test_a_tariff_without_allowances_ignores_the_household():
    plain = tiers("0.50", "0.55", "0.80")
    bill = bill_for_usage(plain, Decimal(150), Household(persons=8, is_low_income=True))
    assert (bill.bound_shift, bill.free_quantity) == (0, 0)
    assert bill.total == bill_for_usage(plain, Decimal(150)).total


# Tier bounds as price bureaus publish them ---------------------------------------------------


@pytest.fixture
def water(ctx):
    return make_revision(make_item(kind=ItemKind.TARIFF))


def bounds_of(plan) -> list[tuple]:
    pricing = plan.items[0].fees[0]["pricing"]
    return [(t["lower"], t["upper"]) for t in pricing["tiers"]], pricing["upper_inclusive"]


PUBLISHED_FORMS = {
    "next tier from N+1": ("0–180(含)", "181–260(含)", "261以上"),
    "full-width digits and dashes": ("０－１８０（含）", "１８１－２６０（含）", "２６０以上"),
    "units in the cell": ("0-180立方米(含)", "181-260立方米(含)", "260立方米及以上"),
    "no marks, N+1": ("0-180", "181-260", "261以上"),
    "以下 for the first tier": ("180以下", "181~260", "260以上"),
}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("cells", PUBLISHED_FORMS.values(), ids=list(PUBLISHED_FORMS))
def test_published_bound_forms_read_as_one_contiguous_table(water, cells, fmt):
    rows = water_rows(water.item.code)
    rows = with_cells(
        rows,
        **{f"r{n}": {"tier_lower": cell, "tier_upper": ""} for n, cell in enumerate(cells, 2)},
    )
    plan = plan_fee_import(xlsx(rows) if fmt == "xlsx" else csv_bytes(rows))
    assert plan.errors == []
    assert bounds_of(plan) == ([("0", "180"), ("180", "260"), ("260", None)], True)


REAL_GAPS = {
    # A step of more than one whole unit leaves usage between the tiers unpriced.
    "182 after 180": (("0-180(含)", "182-260(含)", "260以上"), 3),
    # (不含) puts 180 itself in the next tier, so that tier must start at 180.
    "181 after 180(不含)": (("0-180(不含)", "181-260(不含)", "260以上"), 3),
    # Bounds with decimals are not whole units: 180.5 to 181.5 is a real gap.
    "181.5 after 180.5": (("0-180.5(含)", "181.5-260(含)", "260以上"), 3),
}


@pytest.mark.parametrize("cells,row", REAL_GAPS.values(), ids=list(REAL_GAPS))
def test_real_gaps_are_still_refused(water, cells, row):
    rows = with_cells(
        water_rows(water.item.code),
        **{f"r{n}": {"tier_lower": cell, "tier_upper": ""} for n, cell in enumerate(cells, 2)},
    )
    assert (row, "tier_lower", "tier_gap") in problems(plan_fee_import(xlsx(rows)))


def test_an_overlap_is_still_refused(water):
    cells = ("0-180(含)", "170-260(含)", "260以上")
    rows = with_cells(
        water_rows(water.item.code),
        **{f"r{n}": {"tier_lower": cell, "tier_upper": ""} for n, cell in enumerate(cells, 2)},
    )
    assert (3, "tier_lower", "tier_overlap") in problems(plan_fee_import(xlsx(rows)))


def test_a_sheet_that_breaks_the_water_ratio_imports_with_a_warning(water):
    # Beijing's 5 : 7 : 9 is published as it is: the import warns and goes through.
    plan = plan_fee_import(xlsx(water_rows(water.item.code)))
    assert plan.is_ok
    warned = [(p.item.code, w.code, w.params["tier"]) for p, w in plan.warnings]
    assert warned == []  # unchanged sheet: nothing would change, nothing to warn about
    rows = with_cells(water_rows(water.item.code), r3={"unit_price": "6.50"})
    plan = plan_fee_import(xlsx(rows))
    assert plan.is_ok and plan.changed
    warned = [(p.item.code, w.code, w.params["tier"]) for p, w in plan.warnings]
    assert warned == [
        (water.item.code, "water_ratio", 2),
        (water.item.code, "water_ratio", 3),
    ]


def test_an_import_keeps_what_the_sheet_has_no_columns_for(water):
    details = {
        "service_content": "城市供水",
        "payee": "某供水公司",
        "valid_from": "2024-01-01",
    }
    content = copy.deepcopy(water.content)
    content["fees"][0] |= details
    content["fees"][0]["pricing"]["low_income_quota"] = {"quantity": "36"}
    water.content = content
    # A sheet from before the 服务内容 and 收费单位 columns leaves those as they were too.
    older = [c for c in COLUMNS if c.key not in ("service_content", "payee")]
    rows = with_cells(water_rows(water.item.code), r3={"unit_price": "7.50"})
    lines = [[row.get(c.key) for c in older] for row in rows]
    new = plan_fee_import(xlsx(lines, header=[c.label for c in older])).items[0].fees[0]
    assert {key: new[key] for key in details} == details
    assert new["pricing"]["low_income_quota"] == {"quantity": "36"}


def test_the_sheet_sets_and_clears_the_service_and_the_payee(water):
    content = copy.deepcopy(water.content)
    content["fees"][0] |= {"service_content": "城市供水", "payee": "某供水公司"}
    water.content = content
    filled = every_row(
        water_rows(water.item.code), service_content="一户一表居民供水", payee="澄州市自来水公司"
    )
    new = plan_fee_import(xlsx(filled)).items[0].fees[0]
    assert (new["service_content"], new["payee"]) == ("一户一表居民供水", "澄州市自来水公司")
    cleared = plan_fee_import(xlsx(water_rows(water.item.code))).items[0].fees[0]
    assert "service_content" not in cleared and "payee" not in cleared
    differing = with_cells(filled, r3={"payee": "另一家公司"})
    assert (3, "payee", "differs_within_fee") in problems(plan_fee_import(xlsx(differing)))
    too_long = every_row(water_rows(water.item.code), payee="公" * 201)
    assert (2, "payee", "too_long") in problems(plan_fee_import(xlsx(too_long)))


# Complaint routes ------------------------------------------------------------------------------


def test_a_fee_list_is_headed_by_hotline_price_line_regulator_and_department(ctx):
    power = make_utility(sector=Sector.POWER)
    other = make_utility(sector=Sector.POWER)
    hotline = make_channel(utility=power, kinds=["consult", "complaint"], phone="95598")
    supervision = make_channel(utility=power, kind=ChannelKind.SUPERVISION)
    price = make_channel(kind=ChannelKind.PRICE, phone="12315")
    regulator = make_channel(role=ChannelRole.REGULATOR, sector=Sector.POWER, phone="12398")
    water_regulator = make_channel(role=ChannelRole.REGULATOR, sector=Sector.WATER)
    sector_department = make_channel(role=ChannelRole.COMPETENT_DEPARTMENT, sector=Sector.POWER)
    routes = complaint_routes(
        power,
        [hotline, supervision, price, regulator, water_regulator, sector_department],
    )
    assert routes.first == [hotline, price]
    assert routes.regulators == [regulator]
    assert routes.competent == [sector_department]
    own = make_channel(utility=other, role=ChannelRole.COMPETENT_DEPARTMENT)
    # A utility's own 主管部门 route wins over the sector's.
    other_routes = complaint_routes(other, [price, regulator, sector_department, own])
    assert other_routes.competent == [own] and other_routes.hotlines == []


# Where integrators read a basis ---------------------------------------------------------------


def test_exports_and_diffs_name_a_basis_by_its_document_number(ctx):
    old = make_legal_basis(code="internal-code-a", doc_number="甲价〔2023〕5号")
    new = make_legal_basis(code="internal-code-b", doc_number="甲价〔2025〕9号")
    item = make_item(kind=ItemKind.TARIFF)
    before = tariff_content()
    before["fees"][0]["basis"] = [{"code": old.code, "article": "第二条"}]
    after = copy.deepcopy(before)
    after["fees"][0]["basis"] = [{"code": new.code, "article": "第二条"}]
    after["fees"][0] |= {"payee": "某供水公司", "valid_from": "2025-01-01"}
    revision = make_revision(item, content=after)
    rows = [
        dict(zip(FEE_COLUMNS, row, strict=True))
        for row in fee_rows(item, revision, approved_bases())
    ]
    assert {row["basis"] for row in rows} == {"甲价〔2025〕9号 第二条"}
    assert {row["payee"] for row in rows} == {"某供水公司"}
    assert {row["valid_from"] for row in rows} == {"2025-01-01"}
    names = {old.code: old.doc_number, new.code: new.doc_number}
    changes = with_document_numbers(diff(before, after), names)
    basis_change = next(c for c in changes if c.path == "fees[0].basis[0].code")
    assert (basis_change.old, basis_change.new) == ("甲价〔2023〕5号", "甲价〔2025〕9号")


def test_the_change_diff_names_every_cited_document_by_its_number():
    names = {"old-rule": "甲规〔2020〕1号", "new-rule": "甲规〔2025〕2号"}
    before = {
        "time_limits": {"statutory": {"source": {"kind": "law", "code": "old-rule"}}},
        "price_notice": {"document": {"code": "old-rule"}},
    }
    after = {
        "time_limits": {"statutory": {"source": {"kind": "law", "code": "new-rule"}}},
        "price_notice": {"document": {"code": "new-rule"}},
    }
    shown = {c.path: (c.old, c.new) for c in with_document_numbers(diff(before, after), names)}
    assert shown["time_limits.statutory.source.code"] == ("甲规〔2020〕1号", "甲规〔2025〕2号")
    assert shown["price_notice.document.code"] == ("甲规〔2020〕1号", "甲规〔2025〕2号")
