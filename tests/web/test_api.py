"""The read-only JSON API, its exports and Open311 list, read the way an integrator reads them."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from xml.etree import ElementTree

import pytest
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from sqlalchemy import func, select

from services.content.schema import CONTENT_SCHEMA
from services.db import db
from services.models import Item, ItemKind, RevisionStatus
from services.open_data.exports import FEE_COLUMNS, ITEM_COLUMNS
from tests.factories import (
    make_channel,
    make_hall,
    make_item,
    make_revision,
    make_utility,
    service_content,
    tariff_content,
    unique,
)


def problem(response, status: int) -> str:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"]
    return body["detail"]


@pytest.fixture(scope="module")
def city(app) -> dict[str, str]:
    """A water utility with six services (one with an English name) and a tiered tariff, a
    hall that shows it and the city's 12345 hotline, committed for this module."""
    with app.app_context():
        water = make_utility()
        services = [make_revision(make_item(water)).item for _ in range(6)]
        english = {"en": {"name": "New water connection"}}
        make_revision(
            services[0],
            number=2,
            effective_from=date(2024, 6, 1),
            content=service_content(translations=english),
        )
        services[0].revisions[0].status = RevisionStatus.SUPERSEDED
        tariff = make_revision(make_item(water, kind=ItemKind.TARIFF)).item
        hall = make_hall([water])
        hotline = make_channel(code=unique("hotline"), phone="12345")
        db.session.commit()
        return {
            "utility": water.slug,
            "service": services[0].code,
            "tariff": tariff.code,
            "hall": hall.slug,
            "hotline": hotline.code,
        }


def test_item_list_is_paged_with_links_to_the_next_page(client, city):
    first = client.get("/api/v1/items?per_page=5")
    body = first.get_json()
    assert len(body["data"]) == 5
    assert body["meta"]["page"] == 1 and body["meta"]["total"] > 5
    assert body["links"]["prev"] is None
    assert 'rel="next"' in first.headers["Link"]
    second = client.get(body["links"]["next"]).get_json()
    assert second["meta"]["page"] == 2
    codes = {row["code"] for row in body["data"]}
    assert codes.isdisjoint(row["code"] for row in second["data"])


def test_every_item_in_force_is_listed_once_across_pages(client, app):
    with app.app_context():
        expected = db.session.scalar(select(func.count(Item.id)))
    codes = []
    url = "/api/v1/items?per_page=100"
    while url:
        body = client.get(url).get_json()
        codes += [row["code"] for row in body["data"]]
        url = body["links"]["next"]
    assert len(codes) == len(set(codes)) == expected


def test_an_item_as_of_a_date_shows_the_version_then_in_force(client, app):
    with app.app_context():
        item = make_item(kind=ItemKind.TARIFF)
        old = make_revision(
            item,
            effective_from=date(2024, 1, 1),
            status=RevisionStatus.SUPERSEDED,
            effective_to=date(2025, 1, 1),
        )
        new = make_revision(item, effective_from=date(2025, 1, 1))
        db.session.commit()
        for row in (item, old, new):
            db.session.refresh(row)
    then = client.get(f"/api/v1/items/{item.code}?on=2024-06-30").get_json()["data"]
    assert then["revision"]["id"] == old.id and then["as_of"] == "2024-06-30"
    assert then["upcoming"]["id"] == new.id
    now = client.get(f"/api/v1/items/{item.code}").get_json()["data"]
    assert now["revision"]["id"] == new.id and now["upcoming"] is None
    assert now["revision"]["content"]["fees"][0]["pricing"]["type"] == "tiers"
    before = client.get(f"/api/v1/items/{item.code}?on=2023-12-31")
    assert "no published version in force on 2023-12-31" in problem(before, 404)


def test_revision_content_follows_the_published_content_schema(client):
    validator = Draft202012Validator(
        CONTENT_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    for row in client.get("/api/v1/items?per_page=100").get_json()["data"]:
        revision = client.get(row["links"]["revision"]).get_json()["data"]
        assert not list(validator.iter_errors(revision["content"])), row["code"]


def test_drafts_are_never_shown(client, app):
    with app.app_context():
        item = make_item()
        published = make_revision(item)
        draft = make_revision(
            item, status=RevisionStatus.DRAFT, effective_from=None, published_at=None
        )
        db.session.commit()
        for row in (item, published, draft):
            db.session.refresh(row)
    assert client.get(f"/api/v1/revisions/{published.id}").status_code == 200
    problem(client.get(f"/api/v1/revisions/{draft.id}"), 404)
    listed = client.get(f"/api/v1/items/{item.code}/revisions").get_json()["data"]
    assert [r["id"] for r in listed] == [published.id]


def test_changes_since_a_time_list_what_was_published_from_then_on(client, app):
    with app.app_context():
        item = make_item()
        make_revision(item, published_at=datetime(2020, 1, 1, 1, 0))
        later = make_revision(
            item,
            number=2,
            published_at=datetime(2020, 3, 1, 1, 0),
            effective_from=date(2020, 3, 11),
        )
        owner = item.utility.slug
        db.session.commit()
        db.session.refresh(later)
    rows = client.get(f"/api/v1/changes?utility={owner}&since=2020-02-01T00:00:00%2B08:00")
    assert [r["id"] for r in rows.get_json()["data"]] == [later.id]
    assert rows.get_json()["data"][0]["published_at"] == "2020-03-01T01:00:00Z"
    everything = client.get(f"/api/v1/changes?utility={owner}").get_json()
    assert everything["meta"]["total"] == 2


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/api/v1/items/NO-SUCH-CODE", 404, "No item 'NO-SUCH-CODE'"),
        ("/api/v1/revisions/2147483000", 404, "No published revision"),
        ("/api/v1/utilities/nowhere", 404, "No utility 'nowhere'"),
        ("/api/v1/items?utility=nowhere", 404, "No utility 'nowhere'"),
        ("/api/v1/items?on=2024-02-30", 400, "'on' must be a date written YYYY-MM-DD"),
        ("/api/v1/items?on=yesterday", 400, "not 'yesterday'"),
        ("/api/v1/changes?since=last+week", 400, "'since' must be a date or RFC 3339"),
        ("/api/v1/items?per_page=1000000", 400, "'per_page' must be a whole number from 1 to 100"),
        ("/api/v1/items?page=0", 400, "'page' must be a whole number"),
        ("/api/v1/items?kind=gift", 400, "'kind' must be one of: service, tariff"),
        ("/api/v1/items?page=1&page=2", 400, "at most once"),
        ("/api/v1/no/such/thing", 404, "There is no API address /api/v1/no/such/thing"),
    ],
)
def test_bad_requests_get_a_json_error_that_says_what_is_wrong(client, url, status, words):
    assert words in problem(client.get(url), status)


def test_a_wrong_method_is_refused_in_json_with_the_allowed_ones(client):
    response = client.delete("/api/v1/items")
    problem(response, 405)
    assert "GET" in response.headers["Allow"]


def test_the_kiosk_keeps_its_own_html_not_found_page(client):
    response = client.get("/u/no-such-utility")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_a_revalidation_with_the_etag_gets_304(client):
    first = client.get("/api/v1/legal-bases")
    assert first.headers["ETag"] and "no-cache" in first.headers["Cache-Control"]
    again = client.get("/api/v1/legal-bases", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_reference_data_is_listed_and_found_by_code(client, city):
    basis = client.get("/api/v1/legal-bases?per_page=1").get_json()["data"][0]
    assert client.get(f"/api/v1/legal-bases/{basis['code']}").get_json()["data"] == basis
    channel = client.get(f"/api/v1/channels/{city['hotline']}").get_json()["data"]
    assert channel["phone"] == "12345" and channel["utility"] is None
    hall = client.get(f"/api/v1/halls/{city['hall']}").get_json()["data"]
    assert city["utility"] in hall["utilities"] and hall["opening_hours"]
    water = client.get(f"/api/v1/utilities/{city['utility']}").get_json()["data"]
    assert water["sector"] == "water" and water["links"]["page"].endswith(f"/u/{city['utility']}")


def test_fee_tables_of_tariffs_carry_their_tiers(client, city):
    body = client.get("/api/v1/fee-tables?kind=tariff&per_page=100").get_json()
    assert body["data"] and all(row["kind"] == "tariff" for row in body["data"])
    tiers = [
        fee["pricing"]
        for row in body["data"]
        for fee in row["fees"]
        if fee["pricing"]["type"] == "tiers"
    ]
    assert tiers and all(p["tiers"][-1]["upper"] is None for p in tiers)


def test_openapi_document_describes_revision_content_with_the_content_schema(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    content = document["components"]["schemas"]["RevisionContent"]
    assert content["properties"].keys() == CONTENT_SCHEMA["properties"].keys()
    assert "/api/v1/items/{code}" in document["paths"]


def test_catalogue_csv_has_a_row_per_item_in_force_and_opens_in_excel(client):
    response = client.get("/api/v1/exports/catalogue.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ITEM_COLUMNS
    listed = client.get("/api/v1/items?per_page=1").get_json()["meta"]["total"]
    assert len(rows) - 1 == listed


def test_fee_csv_has_a_row_per_tier(client, city):
    text = client.get("/api/v1/exports/fees.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == FEE_COLUMNS
    water = [r for r in rows if r["code"] == city["tariff"] and r["pricing"] == "tiers"]
    assert [r["tier"] for r in water[:3]] == ["1", "2", "3"]


def test_xlsx_export_has_items_and_fees_and_keeps_formulas_as_text(client, app):
    with app.app_context():
        item = make_item(kind=ItemKind.TARIFF, slug=unique("formula"))
        make_revision(item, content=tariff_content(name='=HYPERLINK("http://evil")'))
        db.session.commit()
        db.session.refresh(item)
    response = client.get("/api/v1/exports/catalogue.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["items", "fees"]
    items = list(book["items"].iter_rows(values_only=True))
    assert list(items[0]) == ITEM_COLUMNS
    names = {row[ITEM_COLUMNS.index("code")]: row[ITEM_COLUMNS.index("name")] for row in items}
    assert names[item.code] == '=HYPERLINK("http://evil")'
    cell = next(c for c in book["items"]["H"] if c.value == names[item.code])
    assert cell.data_type == "s"


def test_open311_lists_services_not_tariffs_in_json_and_xml(client, city):
    services = client.get("/api/open311/v2/services.json").get_json()
    codes = {s["service_code"] for s in services}
    assert city["service"] in codes and city["tariff"] not in codes
    assert all(s["type"] == "blackbox" and s["metadata"] is False for s in services)
    root = ElementTree.fromstring(client.get("/api/open311/v2/services.xml").data)
    assert root.tag == "services"
    assert {node.findtext("service_code") for node in root} == codes
    english = client.get("/api/open311/v2/services.json?lang=en").get_json()
    water = next(s for s in english if s["service_code"] == city["service"])
    assert water["service_name"].isascii()


def test_the_index_links_every_collection_and_the_atom_feed(client):
    index = client.get("/api/v1/").get_json()["data"]
    for url in index["collections"].values():
        assert client.get(url).status_code == 200, url
    assert index["changes_feed"].endswith("/changes.atom")
    assert client.get(index["openapi"]).get_json()["openapi"] == "3.1.0"
