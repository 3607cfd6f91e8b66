"""The demo city of 澄州市: every sector, complete services, backed fees, idempotent seeding."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from fixtures.demo import SeedReport, seed_demo
from fixtures.demo_city import UTILITIES
from fixtures.demo_city.common import CITY_CHANNELS
from services.catalogue import queries as catalogue
from services.content.checks import basis_refs, check_content
from services.db import db
from services.devices import board
from services.fees.tariffs import bill_for_usage
from services.models import (
    Channel,
    ChannelKind,
    Hall,
    Item,
    ItemKind,
    LegalBasis,
    Revision,
    RevisionStatus,
    Sector,
    Utility,
)
from services.notices.render import hall_by_slug

DEMO_SLUGS = [spec.row["slug"] for spec in UTILITIES]
PUBLIC = (RevisionStatus.PUBLISHED, RevisionStatus.SUPERSEDED)
# Short national service numbers, or 区号-号码 with Chengzhou's area code.
PHONE = re.compile(r"^(\d{5}|0519-\d{8}|010-12300)$")


def demo_utilities() -> list[Utility]:
    query = select(Utility).where(Utility.slug.in_(DEMO_SLUGS)).order_by(Utility.position)
    return list(db.session.scalars(query))


def demo_items(kind: ItemKind | None = None) -> list[Item]:
    query = select(Item).join(Utility).where(Utility.slug.in_(DEMO_SLUGS))
    if kind:
        query = query.where(Item.kind == kind)
    return list(db.session.scalars(query.order_by(Item.code)))


def public_revisions() -> list[Revision]:
    query = (
        select(Revision)
        .join(Item)
        .join(Utility)
        .where(Utility.slug.in_(DEMO_SLUGS), Revision.status.in_(PUBLIC))
    )
    return list(db.session.scalars(query))


def item(code: str) -> Item:
    return db.session.scalar(select(Item).where(Item.code == code))


def channel_kinds() -> dict[str, list[ChannelKind]]:
    return {c.code: c.kind_list for c in db.session.scalars(select(Channel))}


def test_every_sector_has_a_demo_utility(ctx):
    utilities = demo_utilities()
    assert len(utilities) >= 8
    assert {u.sector for u in utilities} == set(Sector)
    for utility in utilities:
        assert utility.translations["en"]["name"] and utility.translations["en"]["short_name"]
        assert utility.address.startswith("澄州市")
        assert utility.website.startswith("https://")


def test_demo_city_has_at_least_60_services_and_8_tariffs(ctx):
    assert len(demo_items(ItemKind.SERVICE)) >= 60
    assert len(demo_items(ItemKind.TARIFF)) >= 8
    assert all(i.category == "价格公示" for i in demo_items(ItemKind.TARIFF))


def test_every_utility_publishes_seven_to_nine_services_in_categories(ctx):
    for utility in demo_utilities():
        services = [i for i in utility.items if i.kind == ItemKind.SERVICE]
        assert 7 <= len(services) <= 9, utility.slug
        assert len({i.category for i in services}) >= 2, utility.slug


def test_item_slugs_are_kebab_case_and_codes_are_prefixed(ctx):
    for demo_item in demo_items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", demo_item.slug), demo_item.slug
        assert re.fullmatch(r"CZ-[A-Z]+-T?\d{2,3}", demo_item.code), demo_item.code


def test_every_published_revision_passes_check_content(ctx):
    revisions = public_revisions()
    assert len(revisions) >= len(demo_items())
    for revision in revisions:
        check_content(revision.content, revision.item.kind, revision.item.utility.sector)


def test_every_demo_price_notice_states_its_document_dates_scope_and_collector(ctx):
    bound = {Sector.WATER, Sector.GAS, Sector.HEATING}  # by 建城规〔2021〕4号
    for revision in public_revisions():
        if revision.item.kind != ItemKind.TARIFF:
            continue
        code, sector = revision.item.code, revision.item.utility.sector
        notice = revision.content["price_notice"]
        assert "time_limits" not in revision.content and "visits" not in revision.content
        assert notice["scope"] and notice["collector"], code
        effective = date.fromisoformat(notice["effective_on"])
        published = date.fromisoformat(notice["published_on"])
        assert published < effective, code  # made public before the prices apply
        assert ("disclosure" in notice) == (sector in bound), code
        if sector != Sector.TELECOM:  # telecom prices are market-regulated: no price document
            document = db.session.scalar(
                select(LegalBasis).where(LegalBasis.code == notice["document"]["code"])
            )
            assert document.doc_number and document.issued_on <= published, code


def test_every_item_has_one_published_revision_in_force_or_announced(ctx):
    for demo_item in demo_items():
        published = [r for r in demo_item.revisions if r.status == RevisionStatus.PUBLISHED]
        assert published, demo_item.code
        for revision in demo_item.revisions:
            assert revision.published_at and revision.change_summary and revision.is_major
            assert revision.published_at.date() <= date(2026, 11, 27)


def test_every_service_item_is_complete(ctx):
    kinds = channel_kinds()
    for demo_item in demo_items(ItemKind.SERVICE):
        content = catalogue.current_revision(demo_item).content
        assert content["conditions"], demo_item.code
        assert content["materials"], demo_item.code
        assert all({"form", "copies", "required"} <= m.keys() for m in content["materials"])
        assert content["steps"], demo_item.code
        assert content["time_limits"]["promised"]["unit"], demo_item.code
        assert content["locations"], demo_item.code
        assert all(place["hours"] for place in content["locations"]), demo_item.code
        named = {kind for code in content["channels"] for kind in kinds[code]}
        assert ChannelKind.CONSULT in named, demo_item.code
        assert ChannelKind.COMPLAINT in named, demo_item.code
        assert "hotline-12345" in content["channels"]


def test_promised_time_limits_are_never_longer_than_statutory_ones(ctx):
    minutes = {"minutes": 1, "hours": 60, "working_days": 1440, "calendar_days": 1440}
    minutes["on_the_spot"] = 0
    for demo_item in demo_items(ItemKind.SERVICE):
        limits = catalogue.current_revision(demo_item).content["time_limits"]
        statutory, promised = limits.get("statutory"), limits["promised"]
        if statutory is None:
            continue
        assert (
            promised["value"] * minutes[promised["unit"]]
            <= statutory["value"] * minutes[statutory["unit"]]
        ), demo_item.code


def test_every_statutory_limit_cites_its_law_and_every_other_is_a_promise(ctx):
    bases = set(db.session.scalars(select(LegalBasis.code)))
    for demo_item in demo_items(ItemKind.SERVICE):
        limits = catalogue.current_revision(demo_item).content["time_limits"]
        if "statutory" in limits:
            source = limits["statutory"]["source"]
            assert source["kind"] == "law" and source["article"], demo_item.code
            assert source["code"] in bases, demo_item.code
        assert limits["promised"]["source"]["kind"] in ("law", "promise"), demo_item.code


def test_the_power_company_promises_repair_arrival_per_area_and_connection_per_case(ctx):
    repair = catalogue.current_revision(item("CZ-POWER-006")).content
    promise = repair["time_limits"]["promised"]
    assert promise["source"] == {"kind": "promise"}
    assert [(c["label"], c["value"], c["unit"]) for c in promise["cases"]] == [
        ("城区", 45, "minutes"),
        ("农村", 90, "minutes"),
        ("特殊边远地区", 2, "hours"),
    ]
    connection = catalogue.current_revision(item("CZ-POWER-001")).content
    labels = [c["label"] for c in connection["time_limits"]["promised"]["cases"]]
    assert labels == ["无外线工程", "有外线工程"]


def test_every_charged_fee_names_a_basis_with_number_issuer_and_date(ctx):
    bases = {b.code: b for b in db.session.scalars(select(LegalBasis))}
    charged = 0
    for revision in public_revisions():
        for fee in revision.content["fees"]:
            if fee["pricing"]["type"] == "free":
                continue
            charged += 1
            # A market-regulated price rests on no price document: it cites the
            # price-marking rules it is shown under instead.
            refs = fee["display_basis"] if fee.get("market_regulated") else fee["basis"]
            assert refs, (revision.item.code, fee["name"])
            assert not (fee.get("market_regulated") and fee["basis"])
            for ref in refs:
                basis = bases[ref["code"]]
                assert basis.doc_number and basis.issuer and basis.issued_on, basis.code
    assert charged >= 30


def test_every_referenced_basis_is_fully_described(ctx):
    bases = {b.code: b for b in db.session.scalars(select(LegalBasis))}
    for revision in public_revisions():
        for _field, ref in basis_refs(revision.content):
            basis = bases[ref["code"]]
            assert basis.doc_number and basis.issuer and basis.issued_on and basis.effective_on
            assert 1 <= basis.rank <= 5


def test_charged_items_list_the_price_hotline_and_payment_methods(ctx):
    for revision in public_revisions():
        content = revision.content
        if any(f["pricing"]["type"] != "free" for f in content["fees"]):
            assert "hotline-12315" in content["channels"], revision.item.code
            assert content["payment_methods"], revision.item.code


def test_every_item_has_an_english_name_and_summary(ctx):
    for revision in public_revisions():
        english = revision.content["translations"]["en"]
        assert english["name"] and english["summary"], revision.item.code
        assert english["name"].isascii()


def test_phone_numbers_are_written_with_the_area_code(ctx):
    codes = [row["code"] for row in CITY_CHANNELS] + [
        row["code"] for spec in UTILITIES for row in spec.channels
    ]
    for channel in db.session.scalars(select(Channel).where(Channel.code.in_(codes))):
        assert PHONE.match(channel.phone), (channel.code, channel.phone)
    for revision in public_revisions():
        for place in revision.content["locations"]:
            assert PHONE.match(place.get("phone", "12345")), place


def test_only_power_items_list_95598(ctx):
    for revision in public_revisions():
        if "power-95598" in revision.content["channels"]:
            assert revision.item.utility.sector == Sector.POWER


def test_residential_water_price_was_raised_in_2025_after_a_hearing(ctx):
    water = item("CZ-WATER-T01")
    first, second = water.revisions
    assert first.status == RevisionStatus.SUPERSEDED
    assert (first.effective_from, first.effective_to) == (date(2022, 1, 1), date(2024, 12, 31))
    assert second.status == RevisionStatus.PUBLISHED
    assert second.effective_from == date(2025, 1, 1)
    assert catalogue.current_revision(water, on=date(2024, 6, 1)) == first
    assert catalogue.current_revision(water, on=date(2025, 6, 1)) == second
    pricing = second.content["fees"][0]["pricing"]
    assert [t["price"] for t in pricing["tiers"]] == ["5.00", "7.00", "9.00"]
    assert pricing["upper_inclusive"] is True and pricing["period"] == "year"
    assert {c["name"]: c["price"] for c in pricing["tiers"][0]["components"]} == {
        "水费": "2.07",
        "水资源费": "1.57",
        "污水处理费": "1.36",
    }
    assert bill_for_usage(pricing, Decimal(200)).total == Decimal("1040.00")
    assert second.content["hearing"]["held_on"] and first.content["hearing"]["held_on"]


def test_residential_electricity_follows_the_jiangsu_tiers(ctx):
    pricing = catalogue.current_revision(item("CZ-POWER-T01")).content["fees"][0]["pricing"]
    assert [(t["lower"], t["upper"], t["price"]) for t in pricing["tiers"]] == [
        ("0", "2760", "0.5283"),
        ("2760", "4800", "0.5783"),
        ("4800", None, "0.8283"),
    ]


def test_residential_gas_price_change_is_announced_before_2027(ctx):
    gas = item("CZ-GAS-T01")
    before = date(2026, 11, 27)
    current, upcoming = gas.revisions
    assert catalogue.current_revision(gas, on=before) == current
    assert catalogue.upcoming_revision(gas, on=before) == upcoming
    assert upcoming.effective_from == date(2027, 1, 1)
    assert "2027" in upcoming.change_summary and upcoming.content["hearing"]
    old, new = (r.content["fees"][0]["pricing"]["tiers"][0]["price"] for r in gas.revisions)
    assert Decimal(new) > Decimal(old)


def test_school_tuition_is_free_and_after_school_care_is_charged(ctx):
    fees = catalogue.current_revision(item("CZ-EDU-T01")).content["fees"]
    assert fees[0]["pricing"] == {"type": "free"}
    assert fees[0]["basis"][0]["code"] == "compulsory-education-law"
    assert any(f["name"] == "课后服务费" and f["reductions"] for f in fees)


def test_halls_show_their_utilities_with_hours_and_settings(ctx):
    halls = {h.slug: h for h in db.session.scalars(select(Hall))}
    civic, district = halls["civic-centre"], halls["tianning-hall"]
    assert [u.slug for u in civic.utilities] == DEMO_SLUGS
    assert {u.sector for u in district.utilities} == {Sector.WATER, Sector.POWER, Sector.GAS}
    for hall in (civic, district):
        assert hall.opening_hours[0]["weekdays"] == [1, 2, 3, 4, 5]
        assert hall.settings == {"idle_seconds": 90, "slide_seconds": 12}
        assert hall.translations["en"]["name"]


def test_seeding_again_adds_nothing(ctx):
    report = seed_demo()
    assert report == SeedReport("demo city")
    assert report.summary() == (
        "demo city: added 0 utilities, 0 items, 0 revisions, 0 legal bases, 0 channels, 0 halls"
    )


@pytest.mark.parametrize(
    ("report", "line"),
    [
        (SeedReport("demo city", utilities=1, halls=1), "1 utility, 0 items"),
        (SeedReport("x", bases=1, channels=2), "1 legal basis, 2 channels"),
    ],
)
def test_seed_report_summary_is_one_line_with_counts(report, line):
    summary = report.summary()
    assert line in summary and "\n" not in summary
    assert summary.startswith(f"{report.label}: added ")


def test_the_demo_halls_show_their_own_utilities(ctx):
    tianning = board.select_for(hall_by_slug("tianning-hall"), date(2031, 3, 3))
    assert {item.utility.slug for item in tianning.items} == {
        "chengzhou-water",
        "chengzhou-power",
        "chengzhou-gas",
    }
    assert any(channel.phone == "12345" for channel in tianning.channels)


def test_the_demo_names_list_keeps_its_streets_on_traditional_pages():
    from kiosk.cli import DEMO_NAMES
    from services.content import localize

    try:
        localize.configure_traditional("tw", localize.read_names(DEMO_NAMES))
        assert localize.to_traditional("澄州市澄江区澄江中路8号") == "澄州市澄江區澄江中路8號"
    finally:
        localize.configure_traditional("tw")
    assert localize.to_traditional("澄江中路") == "澂江中路"  # what the list prevents
