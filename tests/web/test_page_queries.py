"""A page that is not in the page cache is built from at most three SQL queries."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest
from sqlalchemy import event

from kiosk.public.views import MANY_SERVICES
from services.db import db
from services.models import ItemKind
from tests.factories import committed, make_item, make_revision, make_utility

MAX_QUERIES = 3
LANGS = ("zh_Hans", "zh_Hant", "en")
_fresh = count()


@pytest.fixture
def statements(app, monkeypatch):
    """The SQL statements run while the test runs (the catalogue recheck held off)."""
    monkeypatch.setitem(app.config, "PAGE_CACHE_RECHECK_SECONDS", 3600)
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def queries_for(client, statements, url: str, lang: str, **query: str) -> list[str]:
    """The statements one request ran, with the page cache bypassed (an address never asked)."""
    client.get(url, query_string={**query, "lang": lang, "warm": next(_fresh)})
    statements.clear()
    response = client.get(url, query_string={**query, "lang": lang, "fresh": next(_fresh)})
    assert response.status_code == 200, url
    assert "ETag" in response.headers  # rendered and kept, not passed by
    return list(statements)


@pytest.fixture(scope="module")
def pages(app) -> dict[str, str]:
    """A utility with a service (a new version scheduled) and a tariff, each published."""

    def build() -> dict[str, str]:
        utility = make_utility()
        service = make_item(utility)
        make_revision(service)
        make_revision(service, effective_from=date(2099, 1, 1), change_summary="调整")
        tariff = make_item(utility, kind=ItemKind.TARIFF, category="水价")
        make_revision(tariff)
        return {
            "start screen": "/",
            "utility page": f"/u/{utility.slug}",
            "service page": f"/u/{utility.slug}/{service.slug}",
            "tariff page": f"/u/{utility.slug}/{tariff.slug}",
        }

    return committed(app, build)


@pytest.mark.parametrize("lang", LANGS)
def test_kiosk_pages_not_in_the_cache_take_at_most_three_queries(client, statements, pages, lang):
    for page, url in pages.items():
        ran = queries_for(client, statements, url, lang)
        assert len(ran) <= MAX_QUERIES, (page, url, ran)


@pytest.fixture(scope="module")
def category_pages(app) -> dict[str, tuple[str, dict[str, str]]]:
    """A utility with more services than its page lists, which so lists their categories."""

    def build() -> dict[str, tuple[str, dict[str, str]]]:
        utility = make_utility()
        for number in range(MANY_SERVICES + 1):
            make_revision(make_item(utility, category=f"类别{number % 3}"))
        make_revision(make_item(utility, kind=ItemKind.TARIFF, category="水价"))
        return {
            "category overview": (f"/u/{utility.slug}", {}),
            "category page": (f"/u/{utility.slug}", {"category": "类别1"}),
        }

    return committed(app, build)


@pytest.mark.parametrize("lang", LANGS)
def test_category_pages_not_in_the_cache_take_at_most_three_queries(
    client, statements, category_pages, lang
):
    for page, (url, query) in category_pages.items():
        ran = queries_for(client, statements, url, lang, **query)
        assert len(ran) <= MAX_QUERIES, (page, url, ran)
