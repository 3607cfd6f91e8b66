"""The demo city's fee lists are complete: each energy and water price says what it pays for,
whom and since when, and each utility's fee list names the routes to complain about it."""

from __future__ import annotations

from sqlalchemy import select

from services.catalogue.complaints import complaint_routes
from services.catalogue.queries import current_revision
from services.catalogue.reference import load_reference
from services.db import db
from services.fees.structure import tier_warnings
from services.models import Item, ItemKind, Sector, Utility
from tests.html import parse

ENERGY = (Sector.WATER, Sector.POWER, Sector.GAS, Sector.HEATING)


def tariffs_in_force() -> list[tuple[Item, dict]]:
    query = select(Item).join(Utility).where(Item.kind == ItemKind.TARIFF)
    found = []
    for item in db.session.scalars(query.order_by(Item.code)):
        revision = current_revision(item)
        if revision is not None:
            found.append((item, revision.content))
    return found


def test_energy_and_water_prices_say_what_for_and_whom(ctx):
    energy = [(i, c) for i, c in tariffs_in_force() if i.utility.sector in ENERGY]
    assert len(energy) >= 7
    for item, content in energy:
        for fee in content["fees"]:
            assert fee.get("service_content") and fee.get("payee"), (item.code, fee["name"])


def test_the_demo_tariffs_carry_their_household_allowances(ctx):
    by_code = {item.code: content for item, content in tariffs_in_force()}
    water = by_code["CZ-WATER-T01"]["fees"][0]["pricing"]
    power = by_code["CZ-POWER-T01"]["fees"][0]["pricing"]
    assert water["household_allowance"]["per_person"] == "30"
    assert water["low_income_quota"]["quantity"] == "36"  # 3 m³ a month, billed yearly
    assert power["low_income_quota"]["quantity"] == "180"  # 15 kWh a month, billed yearly


def test_beijings_water_ratio_is_published_as_is_with_a_warning_and_power_keeps_the_rule(ctx):
    by_code = {item.code: (item, content) for item, content in tariffs_in_force()}
    water, power = by_code["CZ-WATER-T01"], by_code["CZ-POWER-T01"]
    assert [w.code for w in tier_warnings(water[1], Sector.WATER)] == ["water_ratio"] * 2
    assert tier_warnings(power[1], Sector.POWER) == []


def test_every_utility_with_fees_has_hotline_price_line_and_department(ctx):
    channels = load_reference().channels.values()
    for utility in db.session.scalars(select(Utility)):
        routes = complaint_routes(utility, channels)
        assert routes.hotlines and [c.phone for c in routes.price_lines] == ["12315"], utility.slug
        assert routes.competent and routes.competent[0].phone == "12345", utility.slug
    power = db.session.scalar(select(Utility).where(Utility.sector == Sector.POWER))
    assert [c.phone for c in complaint_routes(power, channels).regulators] == ["12398"]


def test_the_power_price_page_starts_its_fee_list_with_12398(client):
    page = parse(client.get("/u/chengzhou-power/residential-power-price").data)
    routes = page.text_of("complaints")
    for number in ("95598", "12315", "12398", "12345"):
        assert number in routes
