from datetime import date

from services.catalogue import queries as catalogue
from services.models import ItemKind, ItemStatus, RevisionStatus
from tests.factories import make_item, make_revision, make_utility


def test_current_revision_is_latest_in_force(ctx):
    item = make_item()
    first = make_revision(item, effective_from=date(2024, 1, 1), status=RevisionStatus.SUPERSEDED)
    second = make_revision(item, effective_from=date(2025, 1, 1))
    assert catalogue.current_revision(item, on=date(2024, 6, 1)) == first
    assert catalogue.current_revision(item, on=date(2025, 1, 1)) == second


def test_future_revision_is_upcoming_until_its_date(ctx):
    item = make_item()
    now = make_revision(item, effective_from=date(2025, 1, 1))
    later = make_revision(item, effective_from=date(2027, 1, 1))
    assert catalogue.current_revision(item, on=date(2026, 12, 31)) == now
    assert catalogue.upcoming_revision(item, on=date(2026, 12, 31)) == later
    assert catalogue.current_revision(item, on=date(2027, 1, 1)) == later
    assert catalogue.upcoming_revision(item, on=date(2027, 1, 1)) is None


def test_drafts_are_never_current(ctx):
    item = make_item()
    published = make_revision(item, effective_from=date(2024, 1, 1))
    make_revision(item, effective_from=date(2024, 6, 1), status=RevisionStatus.DRAFT)
    make_revision(item, effective_from=date(2024, 7, 1), status=RevisionStatus.IN_REVIEW)
    assert catalogue.current_revision(item, on=date(2025, 1, 1)) == published
    assert catalogue.upcoming_revision(item, on=date(2024, 1, 2)) is None


def test_superseded_revision_names_its_successor(ctx):
    item = make_item()
    old = make_revision(item, effective_from=date(2024, 1, 1), status=RevisionStatus.SUPERSEDED)
    new = make_revision(item, effective_from=date(2025, 1, 1))
    assert catalogue.successor_of(old, on=date(2025, 3, 1)) == new
    assert catalogue.successor_of(new, on=date(2025, 3, 1)) is None


def test_upcoming_revision_has_no_successor_before_its_date(ctx):
    item = make_item()
    make_revision(item, effective_from=date(2024, 1, 1))
    upcoming = make_revision(item, effective_from=date(2027, 1, 1))
    assert catalogue.successor_of(upcoming, on=date(2026, 6, 1)) is None


def test_public_revision_hides_drafts(ctx):
    draft = make_revision(status=RevisionStatus.DRAFT)
    assert catalogue.public_revision(draft.id) is None


def test_items_are_grouped_by_category_with_tariffs_apart(ctx):
    utility = make_utility()
    connect = make_item(utility, category="用水报装", position=1)
    transfer = make_item(utility, category="用户变更", position=2)
    price = make_item(utility, kind=ItemKind.TARIFF, category="价格公示", position=3)
    retired = make_item(utility, category="用水报装", status=ItemStatus.RETIRED)
    unpublished = make_item(utility, category="用水报装")
    for item in (connect, transfer, price, retired):
        make_revision(item)
    make_revision(unpublished, status=RevisionStatus.DRAFT)

    services, tariffs = catalogue.items_by_category(utility, on=date(2025, 1, 1))

    assert list(services) == ["用水报装", "用户变更"]
    assert [item for item, _ in services["用水报装"]] == [connect]
    assert [item for item, _ in tariffs] == [price]
