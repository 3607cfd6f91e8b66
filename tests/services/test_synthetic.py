"""The synthetic benchmark catalogue: as many items as asked, valid, realistic and repeatable."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from fixtures import synthetic
from fixtures.synthetic import seed_synthetic
from services.content.checks import check_content
from services.db import db
from services.models import Item, ItemKind, Revision, RevisionStatus, Sector


def synthetic_revisions() -> list[Revision]:
    query = select(Revision).join(Item).where(Item.code.like("SYN-%")).order_by(Item.code)
    return list(db.session.scalars(query))


@pytest.fixture
def seeded(ctx):
    """Fifty synthetic items, rolled back after the test."""
    return seed_synthetic(items=50)


def test_fifty_items_are_added_and_a_second_run_adds_nothing(seeded):
    assert (seeded.items, seeded.revisions) == (50, 50)
    assert seeded.utilities == synthetic.UTILITY_COUNT
    again = seed_synthetic(items=50)
    assert (again.utilities, again.items, again.revisions, again.channels) == (0, 0, 0, 0)
    assert again.summary().startswith("synthetic catalogue: added 0 utilities, 0 items")


def test_every_item_has_one_published_revision_that_passes_check_content(seeded):
    revisions = synthetic_revisions()
    assert len(revisions) == 50
    for revision in revisions:
        assert revision.number == 1 and revision.status == RevisionStatus.PUBLISHED
        assert revision.effective_from and revision.published_at
        check_content(revision.content, revision.item.kind, revision.item.utility.sector)


def test_services_have_realistic_sizes(seeded):
    services = [r for r in synthetic_revisions() if r.item.kind == ItemKind.SERVICE]
    assert services
    for revision in services:
        content = revision.content
        assert 60 <= len(content["summary"]) <= 200
        assert 3 <= len(content["materials"]) <= 8
        assert 3 <= len(content["steps"]) <= 7
        assert 1 <= len(content["fees"]) <= 4
        assert all("\u4e00" <= ch <= "\u9fff" for ch in content["name"])


def test_some_items_are_tiered_tariffs(ctx):
    seed_synthetic(items=200)
    tariffs = [r for r in synthetic_revisions() if r.item.kind == ItemKind.TARIFF]
    assert 5 <= len(tariffs) <= 40
    assert all(r.content["fees"][0]["pricing"]["type"] == "tiers" for r in tariffs)


def test_items_are_spread_over_twenty_utilities(seeded):
    owners = {r.item.utility.slug for r in synthetic_revisions()}
    assert owners == {f"syn-{n}" for n in range(1, 21)}


def test_the_same_seed_gives_the_same_item(ctx):
    def build(seed: int):
        desk = synthetic.desk_for(3, random.Random("desk"))
        return synthetic.item_spec(42, seed, desk, "澄州南港燃气有限公司", Sector.GAS)

    assert build(1) == build(1)
    assert build(1) != build(2)
