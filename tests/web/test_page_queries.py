"""A page that is not in the page cache is built from at most three SQL queries."""

from __future__ import annotations

from itertools import count

import pytest
from sqlalchemy import event, select

from services.db import db
from services.models import Item, ItemKind, Revision, RevisionStatus

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


def queries_for(client, statements, url: str, lang: str) -> list[str]:
    """The statements one request ran, with the page cache bypassed (an address never asked)."""
    client.get(url, query_string={"lang": lang, "warm": next(_fresh)})
    statements.clear()
    response = client.get(url, query_string={"lang": lang, "fresh": next(_fresh)})
    assert response.status_code == 200, url
    assert "ETag" in response.headers  # rendered and kept, not passed by
    return list(statements)


def demo_urls(app) -> dict[str, str]:
    with app.app_context():
        revisions = db.session.scalars(
            select(Revision)
            .join(Revision.item)
            .where(Revision.status == RevisionStatus.PUBLISHED)
            .order_by(Revision.effective_from.desc(), Item.id)
        ).all()
        tariff = next(r.item for r in revisions if r.item.kind == ItemKind.TARIFF)
        service = next(r.item for r in revisions if r.item.kind == ItemKind.SERVICE)
        return {
            "start screen": "/",
            "utility page": f"/u/{service.utility.slug}",
            "service page": f"/u/{service.utility.slug}/{service.slug}",
            "tariff page": f"/u/{tariff.utility.slug}/{tariff.slug}",
        }


@pytest.mark.parametrize("lang", LANGS)
def test_kiosk_pages_not_in_the_cache_take_at_most_three_queries(app, client, statements, lang):
    for page, url in demo_urls(app).items():
        ran = queries_for(client, statements, url, lang)
        assert len(ran) <= MAX_QUERIES, (page, url, ran)
