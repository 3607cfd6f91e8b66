"""Kiosk pages are cached and revalidated: ETags, 304s, and fresh pages once something changes."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from flask import abort, request, template_rendered
from sqlalchemy import select

from kiosk import caching, create_app
from kiosk.security import CONTENT_SECURITY_POLICY
from services.db import db
from services.devices import registry as devices
from services.models import Hall, Item, ItemKind, Revision, RevisionStatus
from tests.factories import (
    committed,
    make_hall,
    make_item,
    make_revision,
    service_content,
    tariff_content,
)
from tests.html import parse

ROOT = Path(__file__).parent.parent.parent


@pytest.fixture
def item_page(app) -> str:
    """The address of a new published service item (居民用水新装), committed."""
    with app.app_context():
        item = make_revision().item
        db.session.commit()
        return page_url(item)


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


def test_an_item_page_is_tagged_and_revalidated_with_304(client, item_page):
    first = client.get(item_page)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"zh_Hans-')
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get(item_page, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag


def test_a_cached_page_is_not_rendered_again(client, renders, item_page):
    client.get(item_page)
    renders.clear()
    second = client.get(item_page)
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
def test_each_language_preference_and_fragment_has_its_own_etag(client, cookie, options, item_page):
    plain = client.get(item_page).headers["ETag"]
    if cookie:
        client.set_cookie(*cookie)
    other = client.get(item_page, **options)
    assert other.status_code == 200
    assert other.headers["ETag"] != plain
    headers = options.get("headers", {}) | {"If-None-Match": plain}
    assert client.get(item_page, **(options | {"headers": headers})).status_code == 200


def test_an_unknown_display_cookie_gets_the_normal_page(client, item_page):
    plain = client.get(item_page).headers["ETag"]
    client.set_cookie("text_size", "enormous")
    assert client.get(item_page).headers["ETag"] == plain


def tariff_changing_in_2030() -> str:
    item = make_item(kind=ItemKind.TARIFF)
    make_revision(item, effective_from=date(2024, 1, 1))
    make_revision(
        item,
        effective_from=date(2030, 1, 1),
        content=tariff_content(name="居民生活用水价格（2030年调整）"),
    )
    return page_url(item)


def published_once() -> tuple[int, int, str]:
    first = make_revision()
    return first.item_id, first.id, page_url(first.item)


def publish_a_second_version(item_id: int, first_id: int) -> Callable[[], int]:
    def publish() -> int:
        second = make_revision(db.session.get(Item, item_id), effective_from=date(2024, 6, 1))
        db.session.get(Revision, first_id).status = RevisionStatus.SUPERSEDED
        return second.id

    return publish


def test_the_etag_names_the_next_day_a_new_version_takes_effect(client, app, monkeypatch):
    url = committed(app, tariff_changing_in_2030)
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2029-12-31T23:00:00")
    before = client.get(url)
    assert '"zh_Hans-20300101-' in before.headers["ETag"]
    page = parse(before.data)
    for upcoming in page.find_all("section", class_="upcoming"):
        upcoming.decompose()
    assert "2030年调整" not in page.soup.get_text()


def test_a_new_version_taking_effect_changes_the_page_and_its_etag(client, app, monkeypatch):
    url = committed(app, tariff_changing_in_2030)
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2029-12-31T23:59:00")
    old = client.get(url).headers["ETag"]
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2030-01-01T00:01:00")
    new = client.get(url, headers={"If-None-Match": old})
    assert new.status_code == 200
    assert new.headers["ETag"] != old
    assert "<h1>居民生活用水价格（2030年调整）</h1>" in new.get_data(as_text=True)


def test_publishing_a_version_shows_at_once(client, app):
    item_id, first_id, url = committed(app, published_once)
    old = client.get(url)
    assert f"/r/{first_id}" in old.get_data(as_text=True)
    second_id = committed(app, publish_a_second_version(item_id, first_id))
    new = client.get(url, headers={"If-None-Match": old.headers["ETag"]})
    assert new.status_code == 200 and f"/r/{second_id}" in new.get_data(as_text=True)


def test_a_rolled_back_change_does_not_linger_in_the_cache(client, app):
    with app.app_context():
        item = make_item()
        make_revision(item)
        url = page_url(item)
        assert client.get(url).status_code == 200
        db.session.rollback()
    assert client.get(url).status_code == 404


def other_process(database_url: str, *args: str) -> None:
    """Run a command of the app in a process of its own, as another worker or an admin would."""
    env = os.environ | {"GONGSHI_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "flask", "--app", "kiosk", *args]
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def promised_on(response) -> str:
    return parse(response.data).by_id("due-1-promised")["datetime"]


def test_a_holiday_set_by_another_process_moves_the_due_date_of_a_cached_page(
    client, app, database_url, monkeypatch
):
    monkeypatch.setitem(app.config, "PAGE_CACHE_RECHECK_SECONDS", 0)
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-03-03T10:00:00")  # a Monday
    limits = {
        "statutory": {"value": 20, "unit": "working_days"},
        "promised": {"value": 5, "unit": "working_days"},
    }
    with app.app_context():
        url = page_url(make_revision(content=service_content(time_limits=limits)).item)
        db.session.commit()
    assert promised_on(client.get(url)) == "2031-03-10"
    assert promised_on(client.get(url)) == "2031-03-10"  # now from the cache

    other_process(database_url, "holidays", "set", "2031-03-05", "holiday", "--name", "城市纪念日")
    try:
        assert promised_on(client.get(url)) == "2031-03-11"
    finally:
        other_process(database_url, "holidays", "remove", "2031-03-05")
    assert promised_on(client.get(url)) == "2031-03-10"


def test_a_change_made_by_another_process_is_seen_within_two_seconds(
    client, app, database_url, monkeypatch
):
    assert app.config["PAGE_CACHE_RECHECK_SECONDS"] <= 1.5  # the setting as shipped
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2031-04-07T10:00:00")  # a Monday
    limits = {
        "statutory": {"value": 20, "unit": "working_days"},
        "promised": {"value": 3, "unit": "working_days"},
    }
    with app.app_context():
        url = page_url(make_revision(content=service_content(time_limits=limits)).item)
        db.session.commit()
    for _ in range(3):
        assert promised_on(client.get(url)) == "2031-04-10"
    other_process(database_url, "holidays", "set", "2031-04-08", "holiday", "--name", "城市纪念日")
    try:
        written = time.monotonic()
        while promised_on(client.get(url)) != "2031-04-11":
            assert time.monotonic() - written < 2.0, "the change is not seen after 2 s"
            time.sleep(0.05)
    finally:
        other_process(database_url, "holidays", "remove", "2031-04-08")


def test_a_failed_sign_in_and_a_device_s_calls_keep_the_pages(
    client, app, renders, item_page, monkeypatch
):
    monkeypatch.setitem(app.config, "PAGE_CACHE_RECHECK_SECONDS", 0)
    hall = committed(app, lambda: make_hall().slug)

    def device_secret() -> str:
        _device, token = devices.create_registration(
            db.session.scalars(select(Hall).filter_by(slug=hall)).one(), "board", "入口", "admin"
        )
        db.session.commit()
        return devices.register(token)[1]

    secret = committed(app, device_secret)
    board = app.test_client()
    board.set_cookie("gongshi_device", secret)
    for url in (item_page, "/", f"/board/{hall}/poll"):
        client.get(url)
    renders.clear()

    refused = client.post("/editor/login", data={"username": "nobody", "password": "wrong"})
    assert refused.status_code == 200 and "login-problem" in parse(refused.data).ids
    assert board.post("/device/heartbeat", json={"content_version": "v1"}).json["registered"]
    renders.clear()
    for url in (item_page, "/", f"/board/{hall}/poll"):
        assert client.get(url).status_code == 200
    assert renders == []


def test_static_files_get_hashed_names_and_are_cached_for_a_year(client):
    links = parse(client.get("/").data).find_all("link", rel="stylesheet")
    css = next(link["href"] for link in links if "/kiosk." in link["href"])
    assert re.fullmatch(r"/static/css/kiosk\.[0-9a-f]{12}\.css", css)
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


def test_a_repeated_request_is_answered_before_flask_with_the_same_headers(
    client, dispatched, item_page
):
    client.get(item_page)
    by_flask = client.get(item_page)
    dispatched.clear()
    early = client.get(item_page)
    assert dispatched == []
    assert early.status_code == 200 and early.data == by_flask.data
    assert sorted(early.headers.items()) == sorted(by_flask.headers.items())
    assert early.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert early.headers["X-Content-Type-Options"] == "nosniff"
    head = client.head(item_page)
    assert head.status_code == 200 and head.data == b"" and dispatched == []


def test_a_repeated_revalidation_gets_304_before_flask(client, dispatched, item_page):
    etag = client.get(item_page).headers["ETag"]
    by_flask = client.get(item_page, headers={"If-None-Match": etag})
    dispatched.clear()
    early = client.get(item_page, headers={"If-None-Match": etag})
    assert dispatched == []
    assert early.status_code == 304 and early.data == b""
    assert sorted(early.headers.items()) == sorted(by_flask.headers.items())
    assert early.headers["ETag"] == etag and "Content-Security-Policy" in early.headers
    stale = client.get(item_page, headers={"If-None-Match": '"zh_Hans-open-0"'})
    assert stale.status_code == 200 and stale.headers["ETag"] == etag


def test_a_publish_reaches_a_page_answered_before_flask(client, app, dispatched):
    item_id, first_id, url = committed(app, published_once)
    for _ in range(2):
        client.get(url)
    dispatched.clear()
    old = client.get(url)
    assert dispatched == [] and f"/r/{first_id}" in old.get_data(as_text=True)
    second_id = committed(app, publish_a_second_version(item_id, first_id))
    new = client.get(url, headers={"If-None-Match": old.headers["ETag"]})
    assert new.status_code == 200 and f"/r/{second_id}" in new.get_data(as_text=True)


def test_a_page_answered_before_flask_changes_when_a_version_takes_effect(
    client, app, monkeypatch, dispatched
):
    url = committed(app, tariff_changing_in_2030)
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2029-12-31T23:59:00")
    for _ in range(3):
        old = client.get(url).headers["ETag"]
    dispatched.clear()
    assert client.get(url).headers["ETag"] == old and dispatched == []
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2030-01-01T00:01:00")
    new = client.get(url, headers={"If-None-Match": old})
    assert new.status_code == 200 and new.headers["ETag"] != old
    assert "<h1>居民生活用水价格（2030年调整）</h1>" in new.get_data(as_text=True)


def test_a_remembered_language_cookie_is_not_given_to_another_kiosk(app, item_page):
    english = app.test_client()  # reads English by its browser's language, chose nothing
    plain = app.test_client()
    for _ in range(3):
        chooser = app.test_client()
        chosen = chooser.get(item_page, query_string={"lang": "en"})
        assert "lang=en" in chosen.headers["Set-Cookie"]
        assert chooser.get_cookie("lang").value == "en"
        again = chooser.get(item_page, query_string={"lang": "en"})
        assert "Set-Cookie" not in again.headers
        page = english.get(item_page, headers={"Accept-Language": "en-GB"})
        assert "Set-Cookie" not in page.headers and page.headers["ETag"].startswith('"en-')
        page = plain.get(item_page)
        assert "Set-Cookie" not in page.headers and page.headers["ETag"].startswith('"zh_Hans-')


def test_a_kept_item_body_follows_the_language_of_each_request(client, item_page):
    def eyebrow(query: str, **headers: str) -> str:
        page = parse(client.get(f"{item_page}?{query}", headers=headers).get_data(as_text=True))
        return page.select(".item-detail .eyebrow")[0].get_text()

    english = eyebrow("lang=en")
    assert "Service guide" in english
    # A swap of #main is another page of the page cache: built anew around the kept body.
    htmx = {"HX-Request": "true"}
    simplified, traditional = eyebrow("lang=zh_Hans", **htmx), eyebrow("lang=zh_Hant", **htmx)
    assert "Service guide" not in simplified and "Service guide" not in traditional
    assert simplified != traditional
    assert eyebrow("lang=en", **htmx) == english


def test_query_parameters_the_page_does_not_read_share_its_entry(client, renders, item_page):
    plain = client.get(item_page)
    renders.clear()
    tracked = client.get(f"{item_page}?utm_source=qr&n=7&lang=klingon")
    assert renders == []
    assert tracked.data == plain.data and tracked.headers["ETag"] == plain.headers["ETag"]
    assert "utm_source" not in tracked.get_data(as_text=True)  # links back carry none of it
    client.get(f"{item_page}?lang=en&utm_source=qr")
    assert renders != []  # the language is read: another page


def test_random_query_strings_and_hosts_leave_a_warm_page_cached(
    client, app, renders, item_page, monkeypatch
):
    warm = client.get(item_page)
    monkeypatch.setitem(app.config, "PAGE_CACHE_MAX_BYTES", 4 * len(warm.data))
    kept_before = len(caching.PAGES.entries)
    rng = random.Random(13)
    for number in range(1000):
        junk = f"{rng.getrandbits(64):x}"
        if number % 2:
            response = client.get(f"{item_page}?{junk}={number}&x{number}=1")
        else:
            response = client.get(item_page, base_url=f"http://h{junk}.example")
        assert response.status_code == 200
    assert len(caching.PAGES.entries) <= kept_before
    renders.clear()
    again = client.get(item_page)
    assert renders == [] and again.data == warm.data


def test_a_page_for_a_host_the_site_is_not_known_by_is_built_but_not_kept(
    client, renders, item_page
):
    for _ in range(2):
        response = client.get(item_page, base_url="http://other.example")
        assert response.status_code == 200
        assert "http://other.example/u/" in response.get_data(as_text=True)  # its own links
    assert renders.count("public/item_detail.html") == 2
    renders.clear()
    client.get(item_page)
    client.get(item_page)
    assert renders.count("public/item_detail.html") == 1


def test_with_trusted_hosts_set_another_host_is_refused(client, app, item_page, monkeypatch):
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["kiosk.example", "localhost"])
    assert client.get(item_page, base_url="http://kiosk.example").status_code == 200
    assert client.get(item_page, base_url="http://evil.example").status_code == 400


def test_a_hook_that_must_run_runs_on_every_repeated_request(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CACHE_DIR": str(tmp_path),
            "SERVER_NAME": None,
        }
    )
    closed: list[bool] = []
    seen: list[str] = []

    @app.before_request
    def maintenance_mode():  # not one the page cache knows it may skip
        seen.append(request.path)
        if closed:
            abort(503)

    url = committed(app, lambda: page_url(make_revision().item))
    client = app.test_client()
    for _ in range(4):
        assert client.get(url).status_code == 200
    assert seen == [url] * 4
    closed.append(True)
    assert client.get(url).status_code == 503


def test_a_cached_view_reading_a_parameter_it_does_not_name_fails_under_test(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})

    @app.get("/_declared")
    @caching.cached_page(reads=("district",))
    def declared():
        return f"district={request.args.get('district')}"

    @app.get("/_forgotten")
    @caching.cached_page
    def forgotten():
        return f"district={request.args.get('district')}"

    client = app.test_client()
    assert client.get("/_declared?district=龙城区").get_data(as_text=True) == "district=龙城区"
    # Without the guard the view would quietly get None and serve every district one page.
    with pytest.raises(caching.UndeclaredQueryParameter, match="district"):
        client.get("/_forgotten?district=龙城区")
