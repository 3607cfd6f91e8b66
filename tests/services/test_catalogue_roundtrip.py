"""Export the demo city, import the workbook into an empty database, and every public page
and /api/v1 answer of the catalogue is the same.

What is compared: the start screen, every utility, item, bill and legal-basis page in the
three languages, the search and calendar pages, and every /api/v1 collection and record of
utilities, items, fee tables, legal bases, channels and halls, the CSV exports and Open311.

What is normalised, because it legitimately differs: revision ids and numbers (in /r/<id> and
/print/<id> links, "Version N" on item pages, the API's `id` (of any record), `revision*` and
`number` fields and the CSV exports' revision columns: the import starts each item's history anew)
and `published_at` (the import publishes now; also the date an item page's footer shows).

What is left out, because the workbook holds what is in force and not how it came to be:
the history pages, /changes and its feed, /api/v1/changes and
/api/v1/items/<code>/revisions, and for the one demo item with a change scheduled for a
later date, its pages and API record (the workbook does not carry scheduled changes).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re

import pytest
from sqlalchemy import select

from services import clock
from services.calendar.working_days import seed_holidays
from services.catalogue.queries import upcoming_revision
from services.db import db
from services.models import Item, Role
from tests.conftest import empty_database
from tests.factories import make_user
from tests.html import parse
from tests.web.test_kiosk_pages import ITEM_LINK, LANGS, UTILITY_LINK

_NONCE = re.compile(r'nonce="[^"]*"')
_REVISION_LINK = re.compile(r"/(r|print)/\d+")
_VERSION = re.compile(r'(<p class="as-of">\D*)\d+')
_PUBLISHED_ON = re.compile(r'(<footer class="provenance muted">\s*)[^\n]*')
_REVISION_ID = re.compile(r'("(?:revision_)?id": )\d+|(/revisions/)\d+')
_PUBLISHED_AT = re.compile(r'("published_at": )"[^"]*"')


# Revision ids, numbers and publication times: the import starts each item's history anew.
REVISION_KEYS = ("id", "revision", "number", "published_at")


def _normal(text: str) -> str:
    text = _NONCE.sub('nonce=""', text)
    text = _REVISION_LINK.sub(r"/\1/N", text)
    text = _PUBLISHED_ON.sub(r"\1…", text)
    text = _VERSION.sub(r"\1N", text)
    text = _PUBLISHED_AT.sub(r'\1"…"', text)
    return text


def _get(client, url: str, **query) -> str:
    response = client.get(url, query_string=query)
    assert response.status_code == 200, url
    return _normal(response.get_data(as_text=True))


def _api(client, url: str, skip: frozenset[str] = frozenset()) -> str:
    response = client.get(url, query_string={"per_page": 100})
    assert response.status_code == 200, url
    if response.mimetype == "text/csv":
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        history = [i for i, name in enumerate(rows[0]) if name.startswith(REVISION_KEYS)]
        for row in rows[1:]:
            for index in history:
                row[index] = "N"
        return "\n".join(",".join(row) for row in rows)
    if response.mimetype != "application/json":
        return _normal(response.get_data(as_text=True))
    data = response.get_json()

    def scrub(value, key=""):
        if isinstance(value, dict):
            return {k: scrub(v, k) for k, v in value.items()}
        if isinstance(value, list):
            # The scheduled item's record in a listing: its in-force revision ends there.
            return [scrub(v) for v in value if not (isinstance(v, dict) and v.get("code") in skip)]
        if key.startswith(REVISION_KEYS):
            return "N"
        if isinstance(value, str):
            return _REVISION_LINK.sub(r"/\1/N", re.sub(r"/revisions/\d+", "/revisions/N", value))
        return value

    return json.dumps(scrub(data), ensure_ascii=False, sort_keys=True, indent=1)


def _snapshot(app, client, skip_items: set[str]) -> dict[str, str]:
    """Every compared answer, by URL."""
    with app.app_context():
        items = db.session.scalars(select(Item)).all()
        codes = sorted(i.code for i in items if i.code not in skip_items)
        skip_urls = {f"/u/{i.utility.slug}/{i.slug}" for i in items if i.code in skip_items}
        db.session.rollback()
    pages: dict[str, str] = {}
    for lang in LANGS:
        pages[f"/ {lang}"] = home = _get(client, "/", lang=lang)
        utilities = sorted({link for link in parse(home).links if UTILITY_LINK.match(link)})
        item_urls, basis_urls = set(), set()
        for url in utilities:
            pages[f"{url} {lang}"] = page = _get(client, url, lang=lang)
            item_urls |= {link for link in parse(page).links if ITEM_LINK.match(link)}
        for url in sorted(item_urls - skip_urls):
            pages[f"{url} {lang}"] = page = _get(client, url, lang=lang)
            links = parse(page).links
            basis_urls |= {link for link in links if link.startswith("/basis/")}
            if f"{url}/bill" in links:
                pages[f"{url}/bill {lang}"] = _get(client, f"{url}/bill", lang=lang)
        for url in sorted(basis_urls):
            pages[f"{url} {lang}"] = _get(client, url, lang=lang)
        pages[f"/search {lang}"] = _get(client, "/search", q="水", lang=lang)
        pages[f"/calendar {lang}"] = _get(client, "/calendar", lang=lang)
    api = "/api/v1"
    for collection, key in (
        ("utilities", "slug"),
        ("legal-bases", "code"),
        ("channels", "code"),
        ("halls", "slug"),
    ):
        listing = client.get(f"{api}/{collection}", query_string={"per_page": 100}).get_json()
        pages[f"{api}/{collection}"] = _api(client, f"{api}/{collection}")
        for record in listing["data"]:
            url = f"{api}/{collection}/{record[key]}"
            pages[url] = _api(client, url)
    for url in (f"{api}/", f"{api}/items", f"{api}/fee-tables"):
        pages[url] = _api(client, url, frozenset(skip_items))
    for code in codes:
        pages[f"{api}/items/{code}"] = _api(client, f"{api}/items/{code}")
    for url in (
        f"{api}/exports/catalogue.csv",
        f"{api}/exports/fees.csv",
        "/api/open311/v2/services.json",
    ):
        pages[url] = _api(client, url)
    return pages


@pytest.fixture(scope="module")
def frozen_clock():
    """The city clock stopped at this minute: pages show due moments to the minute."""
    moment = clock.now().replace(second=0, microsecond=0)
    saved = os.environ.get("GONGSHI_FAKE_NOW")
    os.environ["GONGSHI_FAKE_NOW"] = moment.isoformat()
    yield moment
    if saved is None:
        del os.environ["GONGSHI_FAKE_NOW"]
    else:
        os.environ["GONGSHI_FAKE_NOW"] = saved


@pytest.fixture(scope="module")
def round_trip(app, tmp_path_factory, frozen_clock):
    """(answers before, answers after, the items left out) around export and import."""
    from fixtures.demo import load_demo_city

    with app.app_context():
        empty_database()
        load_demo_city()
        db.session.commit()
        scheduled = {
            item.code for item in db.session.scalars(select(Item)) if upcoming_revision(item)
        }
    client = app.test_client()
    before = _snapshot(app, client, scheduled)
    workbook = tmp_path_factory.mktemp("workbook") / "city.xlsx"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["catalogue", "export", "--out", str(workbook)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        empty_database()
        seed_holidays()
        make_user(Role.ADMIN, username="first-admin")
        db.session.commit()
    result = runner.invoke(
        args=["catalogue", "import", str(workbook), "--as", "first-admin", "--publish"]
    )
    assert result.exit_code == 0, result.output
    after = _snapshot(app, client, scheduled)
    yield before, after, scheduled, workbook


def test_the_demo_city_leaves_out_only_its_one_scheduled_change(round_trip):
    _before, _after, scheduled, _workbook = round_trip
    assert scheduled == {"CZ-GAS-T01"}


def test_every_public_page_and_api_answer_is_the_same_after_export_and_import(round_trip):
    before, after, _scheduled, _workbook = round_trip
    assert len(before) > 500
    assert sorted(after) == sorted(before)
    different = [url for url in before if before[url] != after[url]]
    if different:
        import difflib

        first = different[0]
        diff = "\n".join(
            list(
                difflib.unified_diff(
                    before[first].splitlines(), after[first].splitlines(), lineterm=""
                )
            )[:60]
        )
        listed = "\n".join(different)
        pytest.fail(f"{len(different)} answers differ, first {first}:\n{diff}\n{listed}")
