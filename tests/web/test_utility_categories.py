"""A utility with many services lists its categories; each category has a page of its own."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

import pytest

from kiosk.public.views import MANY_SERVICES
from services.models import ItemKind, ItemStatus, RevisionStatus
from tests.factories import committed, make_item, make_revision, make_utility

BIG = {"用水报装": MANY_SERVICES - 5, "抄表缴费": 6}


def links(html: str, utility: str) -> set[str]:
    """The item slugs the page links to (its results page and request guide are no items)."""
    found = set(re.findall(rf'href="/u/{re.escape(utility)}/([^"?]+)"', html))
    return found - {"results", "requests"}


@pytest.fixture(scope="module")
def big(app) -> dict:
    """A utility with more than MANY_SERVICES services in two categories, and a tariff."""

    def build() -> dict:
        utility = make_utility()
        slugs: dict[str, set[str]] = {}
        for category, number in BIG.items():
            for _ in range(number):
                item = make_item(utility, category=category)
                make_revision(item)
                slugs.setdefault(category, set()).add(item.slug)
        # Not counted: retired, a draft only, published from a day still to come.
        make_revision(make_item(utility, category="用水报装", status=ItemStatus.RETIRED))
        make_revision(make_item(utility, category="用水报装"), status=RevisionStatus.DRAFT)
        make_revision(make_item(utility, category="用水报装"), effective_from=date(2099, 1, 1))
        tariff = make_item(utility, kind=ItemKind.TARIFF, category="水价")
        make_revision(tariff)
        return {"utility": utility.slug, "slugs": slugs, "tariff": tariff.slug}

    return committed(app, build)


@pytest.fixture(scope="module")
def small(app) -> dict:
    """A utility with a few services in two categories."""

    def build() -> dict:
        utility = make_utility()
        slugs = []
        for category in ("用水报装", "抄表缴费"):
            item = make_item(utility, category=category)
            make_revision(item)
            slugs.append(item.slug)
        return {"utility": utility.slug, "slugs": set(slugs)}

    return committed(app, build)


def test_a_big_utility_lists_its_categories_with_counts_and_not_its_services(client, big):
    response = client.get(f"/u/{big['utility']}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for category, number in BIG.items():
        assert f"/u/{big['utility']}?category={quote(category)}" in html
        assert f"{number} 项服务" in html
    assert links(html, big["utility"]) == {big["tariff"]}  # the tariffs, no service


def test_a_category_page_lists_exactly_that_categorys_services(client, big):
    for category, slugs in big["slugs"].items():
        response = client.get(f"/u/{big['utility']}", query_string={"category": category})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert links(html, big["utility"]) == slugs
        assert f'href="/u/{big["utility"]}"' in html  # the way back to the utility's page


def test_a_category_page_asked_by_htmx_is_the_fragment(client, big):
    category = next(iter(BIG))
    response = client.get(
        f"/u/{big['utility']}",
        query_string={"category": category},
        headers={"HX-Request": "true", "HX-Target": "main"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert links(html, big["utility"]) == big["slugs"][category]


def test_the_category_varies_the_cached_page(client, big):
    first, second = BIG
    for _ in range(2):  # the second round is answered from the page cache
        for category in (first, second):
            html = client.get(f"/u/{big['utility']}", query_string={"category": category}).get_data(
                as_text=True
            )
            assert links(html, big["utility"]) == big["slugs"][category]


def test_an_unknown_category_is_not_found(client, big):
    for category in ("没有这一类", "水价", ""):  # the tariff's category lists no service
        response = client.get(f"/u/{big['utility']}", query_string={"category": category})
        assert response.status_code == 404, category


def test_a_small_utility_lists_every_service_as_before(client, small):
    html = client.get(f"/u/{small['utility']}").get_data(as_text=True)
    assert links(html, small["utility"]) == small["slugs"]
    assert "?category=" not in html
