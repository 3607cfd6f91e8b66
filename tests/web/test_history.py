"""The public history of changes: per item, city-wide since a date, and as an Atom feed."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from services.clock import today
from services.db import db
from services.models import Revision, RevisionStatus, User
from services.publishing import revisions
from tests.html import parse
from tests.web.editor_pages import accounts_fixture, tariff_fixture  # noqa: F401  (fixtures)

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def changed(app, accounts, tariff):
    """A tariff whose second tier price goes up in ten days, approved by the reviewer."""
    fresh = tariff(RevisionStatus.APPROVED)
    with app.app_context():
        revision = db.session.get(Revision, fresh.revision_id)
        content = copy.deepcopy(revision.content)
        content["fees"][0]["pricing"]["tiers"][1]["price"] = "7.80"
        revision.content = content
        revision.change_summary = "第二阶梯水价调整为7.80元"
        reviewer = db.session.get(User, accounts["reviewer"])
        revision.approver = reviewer
        revisions.publish(revision, reviewer, today() + timedelta(days=10))
        db.session.commit()
        reviewer_name = reviewer.display_name
    return fresh, reviewer_name


def test_an_items_history_shows_each_version_with_its_fee_change_marked(client, changed):
    fresh, reviewer_name = changed
    response = client.get(fresh.kiosk_url + "/history")
    page = parse(response.data)
    assert response.status_code == 200 and page.title
    assert {f"revision-{fresh.revision_id}", f"revision-{fresh.published_id}"} <= set(page.ids)
    assert "第二阶梯水价调整为7.80元" in page.text and reviewer_name in page.text
    changed_rows = page.find_all("tr", class_="is-fee")
    assert len(changed_rows) == 1  # only the tier price changed
    assert "7.00" in page.text and "7.80" in page.text
    assert f"/r/{fresh.revision_id}" in page.links and f"/r/{fresh.published_id}" in page.links


def test_an_items_history_for_htmx_is_the_fragment_alone(client, changed):
    fresh, _name = changed
    headers = {"HX-Request": "true", "HX-Target": "panel"}
    response = client.get(fresh.kiosk_url + "/history", headers=headers)
    assert response.status_code == 200 and b"<html" not in response.data
    assert b'id="history"' in response.data and "HX-Request" in response.headers["Vary"]


def test_history_of_an_unknown_item_is_not_found(client, changed):
    fresh, _name = changed
    assert client.get(fresh.kiosk_url + "-nothing/history").status_code == 404


def test_city_changes_list_what_was_published_since_a_date(client, changed):
    fresh, _name = changed
    page = parse(client.get("/changes").data)
    assert f"revision-{fresh.revision_id}" in page.ids
    later = (today() + timedelta(days=1)).isoformat()
    assert (
        f"revision-{fresh.revision_id}" not in parse(client.get(f"/changes?since={later}").data).ids
    )


def test_the_changes_feed_is_atom_with_a_permanent_link_per_change(client, changed):
    fresh, _name = changed
    response = client.get("/changes.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}updated").text.endswith("Z")
    links = [e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")]
    assert any(link.endswith(f"/r/{fresh.revision_id}") for link in links)
