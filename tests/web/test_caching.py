"""Kiosk pages are cached and revalidated: ETags, 304s, and fresh pages once something changes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import request_started, template_rendered
from sqlalchemy import update

from kiosk.security import CONTENT_SECURITY_POLICY
from services.db import db
from services.models import ItemKind, Revision, RevisionStatus
from tests.factories import make_item, make_revision, tariff_content

ITEM_PAGE = "/u/chengzhou-water/new-water-connection"


@pytest.fixture
def renders(app):
    """The names of the templates rendered while the test runs."""
    names: list[str] = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    with template_rendered.connected_to(record, app):
        yield names


def page_url(item) -> str:
    return f"/u/{item.utility.slug}/{item.slug}"


def test_an_item_page_is_tagged_and_revalidated_with_304(client):
    first = client.get(ITEM_PAGE)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"zh_Hans-')
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get(ITEM_PAGE, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag


def test_a_cached_page_is_not_rendered_again(client, renders):
    client.get(ITEM_PAGE)
    renders.clear()
    second = client.get(ITEM_PAGE)
    assert second.status_code == 200 and "居民用水新装" in second.get_data(as_text=True)
    assert renders == []


@pytest.mark.parametrize(
    ("cookie", "options"),
    [
        (None, {"query_string": {"lang": "en"}}),
        (("text_size", "large"), {}),
        (("contrast", "high"), {}),
        (None, {"headers": {"HX-Request": "true"}}),
    ],
)
def test_each_language_preference_and_fragment_has_its_own_etag(client, cookie, options):
    plain = client.get(ITEM_PAGE).headers["ETag"]
    if cookie:
        client.set_cookie(*cookie)
    other = client.get(ITEM_PAGE, **options)
    assert other.status_code == 200
    assert other.headers["ETag"] != plain
    headers = options.get("headers", {}) | {"If-None-Match": plain}
    assert client.get(ITEM_PAGE, **(options | {"headers": headers})).status_code == 200


def test_an_unknown_display_cookie_gets_the_normal_page(client):
    plain = client.get(ITEM_PAGE).headers["ETag"]
    client.set_cookie("text_size", "enormous")
    assert client.get(ITEM_PAGE).headers["ETag"] == plain


def test_the_etag_names_the_next_day_a_new_version_takes_effect(client, ctx, monkeypatch):
    item = make_item(kind=ItemKind.TARIFF)
    make_revision(item, effective_from=date(2024, 1, 1))
    make_revision(item, effective_from=date(2030, 1, 1), content=tariff_content(
        name="居民生活用水价格（2030年调整）"))  # fmt: skip
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2029-12-31T23:00:00")
    before = client.get(page_url(item))
    assert '"zh_Hans-20300101-' in before.headers["ETag"]
    assert "2030年调整" not in re.sub(r"<section class=\"upcoming.*?</section>", "",
                                    before.get_data(as_text=True), flags=re.S)  # fmt: skip


def test_a_new_version_taking_effect_changes_the_page_and_its_etag(client, ctx, monkeypatch):
    item = make_item(kind=ItemKind.TARIFF)
    make_revision(item, effective_from=date(2024, 1, 1))
    make_revision(item, effective_from=date(2030, 1, 1), content=tariff_content(
        name="居民生活用水价格（2030年调整）"))  # fmt: skip
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2029-12-31T23:59:00")
    old = client.get(page_url(item)).headers["ETag"]
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2030-01-01T00:01:00")
    new = client.get(page_url(item), headers={"If-None-Match": old})
    assert new.status_code == 200
    assert new.headers["ETag"] != old
    assert "<h1>居民生活用水价格（2030年调整）</h1>" in new.get_data(as_text=True)


def test_publishing_a_version_shows_at_once(client, ctx):
    item = make_item()
    first = make_revision(item)
    old = client.get(page_url(item))
    assert f"/r/{first.id}" in old.get_data(as_text=True)
    second = make_revision(item, effective_from=date(2024, 6, 1))
    first.status = RevisionStatus.SUPERSEDED
    db.session.flush()
    new = client.get(page_url(item), headers={"If-None-Match": old.headers["ETag"]})
    assert new.status_code == 200 and f"/r/{second.id}" in new.get_data(as_text=True)


def test_an_unsaved_change_is_shown_rather_than_the_cached_page(client, ctx):
    item = make_item()
    make_revision(item)
    client.get(page_url(item))
    item.utility.name = "澄州市改名水务有限公司"  # not flushed yet
    assert "澄州市改名水务有限公司" in client.get(page_url(item)).get_data(as_text=True)


def test_a_rolled_back_change_does_not_linger_in_the_cache(client, app):
    with app.app_context():
        item = make_item()
        make_revision(item)
        url = page_url(item)
        assert client.get(url).status_code == 200
        db.session.rollback()
    assert client.get(url).status_code == 404


def test_a_change_made_by_another_process_shows_once_rechecked(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_RECHECK_SECONDS", 0)
    revision_id = client.get("/api/v1/items/CZ-WATER-001").get_json()["data"]["revision"]["id"]
    assert "另一进程的更正" not in client.get(ITEM_PAGE).get_data(as_text=True)

    def write(summary: str) -> None:
        # Straight to the database, as another worker would: no session of ours sees it.
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(
                update(Revision)
                .where(Revision.id == revision_id)
                .values(change_summary=summary, version=Revision.version + 1)
            )

    with app.app_context():
        original = db.session.get(Revision, revision_id).change_summary
    write("另一进程的更正")
    try:
        assert "另一进程的更正" in client.get(ITEM_PAGE).get_data(as_text=True)
    finally:
        write(original)


def test_static_files_get_hashed_names_and_are_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/static/css/kiosk\.[0-9a-f]{12}\.css)"', html).group(1)
    response = client.get(css)
    assert response.status_code == 200 and response.mimetype == "text/css"
    control = response.headers["Cache-Control"]
    assert "immutable" in control and "max-age=31536000" in control and "public" in control


def test_an_outdated_hash_still_gets_the_file_but_only_revalidated(client):
    response = client.get("/static/css/kiosk.000000000000.css")
    assert response.status_code == 200
    assert "immutable" not in response.headers.get("Cache-Control", "")
    assert client.get("/static/css/kiosk.css").status_code == 200
    assert client.get("/static/css/missing.000000000000.css").status_code == 404


@pytest.fixture
def dispatched(app):
    """How many requests reached Flask (a page answered before Flask is not counted)."""
    seen: list[str] = []

    def record(sender, **extra):
        seen.append("request")

    with request_started.connected_to(record, app):
        yield seen


def test_a_repeated_request_is_answered_before_flask_with_the_same_headers(client, dispatched):
    client.get(ITEM_PAGE)
    by_flask = client.get(ITEM_PAGE)
    dispatched.clear()
    early = client.get(ITEM_PAGE)
    assert dispatched == []
    assert early.status_code == 200 and early.data == by_flask.data
    assert sorted(early.headers.items()) == sorted(by_flask.headers.items())
    assert early.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert early.headers["X-Content-Type-Options"] == "nosniff"
    head = client.head(ITEM_PAGE)
    assert head.status_code == 200 and head.data == b"" and dispatched == []


def test_a_repeated_revalidation_gets_304_before_flask(client, dispatched):
    etag = client.get(ITEM_PAGE).headers["ETag"]
    by_flask = client.get(ITEM_PAGE, headers={"If-None-Match": etag})
    dispatched.clear()
    early = client.get(ITEM_PAGE, headers={"If-None-Match": etag})
    assert dispatched == []
    assert early.status_code == 304 and early.data == b""
    assert sorted(early.headers.items()) == sorted(by_flask.headers.items())
    assert early.headers["ETag"] == etag and "Content-Security-Policy" in early.headers
    stale = client.get(ITEM_PAGE, headers={"If-None-Match": '"zh_Hans-open-0"'})
    assert stale.status_code == 200 and stale.headers["ETag"] == etag


def test_a_publish_reaches_a_page_answered_before_flask(client, ctx, dispatched):
    item = make_item()
    first = make_revision(item)
    for _ in range(2):
        client.get(page_url(item))
    dispatched.clear()
    old = client.get(page_url(item))
    assert dispatched == [] and f"/r/{first.id}" in old.get_data(as_text=True)
    second = make_revision(item, effective_from=date(2024, 6, 1))
    first.status = RevisionStatus.SUPERSEDED
    db.session.flush()
    new = client.get(page_url(item), headers={"If-None-Match": old.headers["ETag"]})
    assert new.status_code == 200 and f"/r/{second.id}" in new.get_data(as_text=True)


def test_a_page_answered_before_flask_changes_when_a_version_takes_effect(
    client, ctx, monkeypatch, dispatched
):
    item = make_item(kind=ItemKind.TARIFF)
    make_revision(item, effective_from=date(2024, 1, 1))
    make_revision(item, effective_from=date(2030, 1, 1), content=tariff_content(
        name="居民生活用水价格（2030年调整）"))  # fmt: skip
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2029-12-31T23:59:00")
    for _ in range(3):
        old = client.get(page_url(item)).headers["ETag"]
    dispatched.clear()
    assert client.get(page_url(item)).headers["ETag"] == old and dispatched == []
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2030-01-01T00:01:00")
    new = client.get(page_url(item), headers={"If-None-Match": old})
    assert new.status_code == 200 and new.headers["ETag"] != old
    assert "<h1>居民生活用水价格（2030年调整）</h1>" in new.get_data(as_text=True)


def test_a_remembered_language_cookie_is_not_given_to_another_kiosk(app):
    english = app.test_client()  # reads English by its browser's language, chose nothing
    plain = app.test_client()
    for _ in range(3):
        chooser = app.test_client()
        chosen = chooser.get(ITEM_PAGE, query_string={"lang": "en"})
        assert "lang=en" in chosen.headers["Set-Cookie"]
        assert chooser.get_cookie("lang").value == "en"
        again = chooser.get(ITEM_PAGE, query_string={"lang": "en"})
        assert "Set-Cookie" not in again.headers
        page = english.get(ITEM_PAGE, headers={"Accept-Language": "en-GB"})
        assert "Set-Cookie" not in page.headers and page.headers["ETag"].startswith('"en-')
        page = plain.get(ITEM_PAGE)
        assert "Set-Cookie" not in page.headers and page.headers["ETag"].startswith('"zh_Hans-')
