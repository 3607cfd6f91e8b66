"""The content checks keep a price notice and a service guide apart, and a disclosure
deadline is only cited for the sectors its rule binds."""

from __future__ import annotations

from datetime import date

import pytest

from services.catalogue.presenting import revision_view
from services.content.checks import check_content
from services.content.kinds import KindError
from services.content.schema import ContentError, validate_content
from services.models import ItemKind, Role, Sector
from services.publishing import revisions
from tests.factories import (
    ensure_test_refs,
    make_item,
    make_legal_basis,
    make_revision,
    make_user,
    make_utility,
    service_content,
    tariff_content,
)

DISCLOSURE = {"value": 20, "unit": "working_days", "basis": {"code": "rule-2021-4"}}


@pytest.fixture
def refs(ctx):
    ensure_test_refs()
    make_legal_basis(
        code="rule-2021-4", doc_number="建城规〔2021〕4号", title="《信息公开实施办法》"
    )
    make_legal_basis(code="other-rule", doc_number="某规〔2020〕1号", title="《其他办法》")


def notice_with(**fields) -> dict:
    content = tariff_content()
    content["price_notice"] = content["price_notice"] | fields
    return content


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time_limits", service_content()["time_limits"]),
        ("materials", service_content()["materials"]),
        ("steps", service_content()["steps"]),
        ("visits", 0),
        ("conditions", ["房屋已取得不动产权证书"]),
        ("result", "通水"),
    ],
)
def test_a_tariff_refuses_each_service_only_field(refs, field, value):
    with pytest.raises(KindError) as refused:
        check_content(tariff_content(**{field: value}), ItemKind.TARIFF, Sector.WATER)
    assert (refused.value.field, refused.value.code) == (field, "service_only")


def test_a_service_has_no_price_notice_and_keeps_needing_its_time_limits(refs):
    with pytest.raises(KindError) as refused:
        check_content(service_content(price_notice={"scope": "全市"}), ItemKind.SERVICE)
    assert (refused.value.field, refused.value.code) == ("price_notice", "tariff_only")
    content = service_content()
    del content["time_limits"]
    with pytest.raises(KindError) as refused:
        check_content(content, ItemKind.SERVICE)
    assert refused.value.code == "time_limits_required"


def test_an_old_published_tariff_with_time_limits_still_fits_the_schema():
    legacy = tariff_content(time_limits=service_content()["time_limits"], visits=1)
    del legacy["price_notice"]
    assert validate_content(legacy) is None
    new = tariff_content()
    assert "time_limits" not in new and validate_content(new) is None


@pytest.mark.parametrize("sector", [Sector.WATER, Sector.GAS, Sector.HEATING])
def test_the_utility_disclosure_rule_may_be_cited_by_water_gas_and_heating(refs, sector):
    assert check_content(notice_with(disclosure=DISCLOSURE), ItemKind.TARIFF, sector) is None


@pytest.mark.parametrize("sector", [Sector.POWER, Sector.TELECOM, Sector.HOSPITAL])
def test_the_utility_disclosure_rule_does_not_bind_other_sectors(refs, sector):
    with pytest.raises(KindError) as refused:
        check_content(notice_with(disclosure=DISCLOSURE), ItemKind.TARIFF, sector)
    assert refused.value.field == "price_notice.disclosure.basis.code"
    assert refused.value.code == "disclosure_rule"


def test_a_disclosure_deadline_must_be_the_rules_own(refs):
    wrong_rule = DISCLOSURE | {"basis": {"code": "other-rule"}}
    with pytest.raises(KindError) as refused:
        check_content(notice_with(disclosure=wrong_rule), ItemKind.TARIFF, Sector.WATER)
    assert refused.value.code == "disclosure_rule"
    sooner = DISCLOSURE | {"value": 15}
    with pytest.raises(KindError) as refused:
        check_content(notice_with(disclosure=sooner), ItemKind.TARIFF, Sector.WATER)
    assert (refused.value.field, refused.value.code) == (
        "price_notice.disclosure.value",
        "disclosure_value",
    )


def test_the_price_document_must_be_a_known_basis(refs):
    content = notice_with(document={"code": "no-such-document"})
    with pytest.raises(ContentError) as refused:
        check_content(content, ItemKind.TARIFF, Sector.WATER)
    assert refused.value.field == "price_notice.document.code"


def test_bad_dates_are_named_by_the_schema():
    with pytest.raises(ContentError) as refused:
        validate_content(notice_with(effective_on="2026-13-01"))
    assert refused.value.field == "price_notice.effective_on"


def test_the_view_of_a_tariff_drops_old_service_fields_and_falls_back_to_its_own_date(refs):
    item = make_item(make_utility(sector=Sector.GAS), kind=ItemKind.TARIFF)
    legacy = tariff_content(time_limits=service_content()["time_limits"], visits=2)
    del legacy["price_notice"]
    revision = make_revision(item, content=legacy, effective_from=date(2025, 7, 1))
    view = revision_view(revision, "zh_Hans")
    assert "time_limits" not in view.content and "visits" not in view.content
    assert view.dues == []
    assert view.price_notice.effective_on == date(2025, 7, 1)
    assert view.price_notice.document is None and view.price_notice.published_on is None
    assert "time_limits" in revision.content  # what was published stays as it was


def test_the_view_resolves_the_document_and_a_service_has_no_notice(refs):
    revision = make_revision(make_item(kind=ItemKind.TARIFF))
    notice = revision_view(revision, "zh_Hans").price_notice
    assert notice.document.doc_number == "澄价〔2024〕1号"
    assert notice.effective_on == date(2024, 1, 1) and notice.published_on == date(2023, 12, 8)
    assert notice.collector == "澄州测试水务有限公司"
    service = make_revision(make_item())
    assert revision_view(service, "zh_Hans").price_notice is None


def test_a_new_draft_of_an_old_tariff_starts_without_its_service_fields(refs):
    utility = make_utility()
    editor = make_user(Role.EDITOR, utility)
    item = make_item(utility, kind=ItemKind.TARIFF)
    legacy = tariff_content(time_limits=service_content()["time_limits"], visits=1)
    published = make_revision(item, content=legacy)
    draft = revisions.start_draft(item, editor)
    assert "time_limits" not in draft.content and "visits" not in draft.content
    assert draft.content["fees"] == legacy["fees"]
    assert "time_limits" in published.content  # the published version is left as it was
    blank = revisions.start_draft(make_item(utility, kind=ItemKind.TARIFF), editor)
    assert "time_limits" not in blank.content
    service = revisions.start_draft(make_item(utility), editor)
    assert "time_limits" in service.content
