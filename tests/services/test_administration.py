"""The transparency office's services: every write is checked first, audited in an unbroken
chain, and what residents see is noted in the public log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from services.administration import bases, channels, halls, items, utilities
from services.administration.problems import Refused
from services.db import db
from services.models import (
    BasisStatus,
    CatalogueChange,
    ChannelKind,
    ItemKind,
    ItemStatus,
    Nature,
    RevisionStatus,
    Role,
    Sector,
)
from services.publishing import audit
from tests.factories import (
    make_channel,
    make_hall,
    make_item,
    make_legal_basis,
    make_revision,
    make_user,
    service_content,
)


def test_weekdays_sharing_hours_share_one_row_and_read_back_the_same():
    rows = halls.weekly_rows(
        {
            1: [halls.Period("09:00", "12:00"), halls.Period("13:30", "17:00")],
            2: [halls.Period("09:00", "12:00"), halls.Period("13:30", "17:00")],
            6: [halls.Period("09:00", "12:00")],
        }
    )
    assert rows == [
        {"weekdays": [1, 2, 6], "opens": "09:00", "closes": "12:00"},
        {"weekdays": [1, 2], "opens": "13:30", "closes": "17:00"},
    ]


@pytest.mark.parametrize(
    "address", ["https://water.example.org", "http://10.0.0.1/x", "HTTPS://A.CN/"]
)
def test_web_addresses_are_http_or_https(address):
    assert utilities.is_web_address(address)


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "ftp://a.cn", "//a.cn", "https://", "water.example.org"]
)
def test_other_schemes_are_refused(address):
    assert not utilities.is_web_address(address)


def test_a_utility_is_saved_audited_and_noted(ctx):
    data = utilities.UtilityData(
        slug="svc-water",
        name="澄州供水",
        short_name="供水",
        sector=Sector.WATER,
        nature=Nature.PUBLIC_ENTERPRISE,
        translations={"en": {"name": "Water", "address": " "}},
    )
    utility = utilities.save_utility(data, "office")
    assert utility.translations == {"en": {"name": "Water"}}
    change = db.session.scalar(
        select(CatalogueChange).where(CatalogueChange.subject_id == utility.id)
    )
    assert change.action == "created" and change.link == {"utility": "svc-water"}
    with pytest.raises(Refused) as refused:
        utilities.save_utility(data, "office")
    assert refused.value.code == "slug_taken" and refused.value.field == "slug"
    assert audit.verify_chain().is_ok


def test_an_unchanged_save_notes_nothing_for_residents(ctx):
    channel = make_channel(kinds=["consult"], phone="12345")
    data = channels.ChannelData(
        code=channel.code, name=channel.name, kinds=[ChannelKind.CONSULT], phone="12345"
    )
    channels.save_channel(data, "office", channel)
    assert (
        db.session.scalar(select(CatalogueChange).where(CatalogueChange.subject_id == channel.id))
        is None
    )
    data.kinds = [ChannelKind.CONSULT, ChannelKind.COMPLAINT, ChannelKind.CONSULT]
    channels.save_channel(data, "office", channel)
    assert channel.kinds == ["consult", "complaint"]
    change = db.session.scalar(
        select(CatalogueChange).where(CatalogueChange.subject_id == channel.id)
    )
    assert change.fields == ["kinds"]


def test_a_proposed_basis_waits_for_a_reviewer_other_than_its_proposer(ctx):
    editor = make_user(Role.EDITOR)
    reviewer = make_user(Role.REVIEWER)
    data = bases.BasisData(code=bases.next_proposal_code("澄价〔2026〕1号"), title="新通知")
    basis = bases.propose_basis(data, editor, editor.utility)
    assert basis.status == BasisStatus.PROPOSED and basis.proposed_for_id == editor.utility_id
    assert bases.proposed_in({"basis": [{"code": basis.code}], "fees": []}) == [basis]
    with pytest.raises(Refused, match="own_proposal"):
        bases.approve_basis(basis, editor)
    bases.approve_basis(basis, reviewer)
    assert basis.status == BasisStatus.APPROVED
    with pytest.raises(Refused, match="not_proposed"):
        bases.approve_basis(basis, reviewer)


def test_only_items_in_force_are_marked_for_a_repealed_basis(ctx):
    repealed = make_legal_basis(repealed_on=date(2025, 1, 1))
    current = make_item()
    make_revision(current, content=service_content(basis=[{"code": repealed.code}]))
    moved_on = make_item()
    make_revision(moved_on, content=service_content(basis=[{"code": repealed.code}]))
    make_revision(moved_on, effective_from=date(2025, 2, 1))
    found = [
        entry for entry in bases.repealed_citations(date(2026, 1, 1)) if entry.basis is repealed
    ]
    assert [i.id for i in found[0].items] == [current.id]
    assert {i.id for i in bases.citing_items(repealed)} == {current.id, moved_on.id}


def test_a_new_item_starts_with_an_empty_draft(ctx):
    editor = make_user(Role.EDITOR)
    item = items.create_item(
        editor.utility, ItemKind.SERVICE, "svc-new", "SVC-NEW-1", "报装", editor
    )
    assert [r.status for r in item.revisions] == [RevisionStatus.DRAFT]
    assert item.revisions[0].content["name"] == ""
    with pytest.raises(Refused, match="bad_code"):
        items.create_item(editor.utility, ItemKind.SERVICE, "svc-other", "代码 1", "", editor)


def test_suspend_resume_retire_follow_their_order(ctx):
    item = make_item()
    make_revision(item)
    with pytest.raises(Refused, match="not_suspended"):
        items.resume_item(item, "office")
    items.suspend_item(item, "检修", "office")
    assert item.status == ItemStatus.SUSPENDED and item.status_reason == "检修"
    items.resume_item(item, "office")
    assert item.status == ItemStatus.ACTIVE and item.status_reason == ""
    items.retire_item(item, "", None, "office")
    with pytest.raises(Refused, match="already_retired"):
        items.suspend_item(item, "再停", "office")
    other = make_item()
    with pytest.raises(Refused, match="bad_successor"):
        items.retire_item(other, "", item, "office")
    actions = [
        c.action
        for c in db.session.scalars(
            select(CatalogueChange).where(
                CatalogueChange.subject_id == item.id, CatalogueChange.subject == "item"
            )
        )
    ]
    assert actions == ["suspended", "resumed", "retired"]
    assert audit.verify_chain().is_ok


def test_a_hall_keeps_settings_the_form_does_not_edit(ctx):
    hall = make_hall(settings={"idle_seconds": 90, "kiosk_theme": "dark"})
    data = halls.HallData(
        slug=hall.slug, name=hall.name, utilities=list(hall.utilities), idle_seconds=120
    )
    halls.save_hall(data, "office", hall)
    assert hall.settings["kiosk_theme"] == "dark" and hall.settings["idle_seconds"] == 120
    with pytest.raises(Refused, match="out_of_range"):
        halls.save_hall(
            halls.HallData(
                slug=hall.slug, name=hall.name, utilities=list(hall.utilities), slide_seconds=1
            ),
            "office",
            hall,
        )
