"""The demo city's service guides are complete: each says how its result is delivered and
when it was last verified, names its provider as a public enterprise, and the water
connection offers a blank form and a filled-in sample that download."""

from __future__ import annotations

from sqlalchemy import select

from services.catalogue import queries as catalogue
from services.db import db
from services.models import Item, ItemKind, Nature, Utility
from tests.html import parse


def current_services():
    items = db.session.scalars(select(Item).where(Item.kind == ItemKind.SERVICE)).all()
    return catalogue.current_revisions(items).values()


def test_every_demo_service_says_how_its_result_arrives_and_when_it_was_verified(ctx):
    revisions = list(current_services())
    assert len(revisions) >= 60
    for revision in revisions:
        assert revision.content["result_delivery"], revision.content["name"]
        assert revision.content["verified_on"] <= "2026-11-30", revision.content["name"]
    accepting = [
        step
        for revision in revisions
        for step in revision.content["steps"]
        if "受理" in step["title"]
    ]
    assert accepting and all(step["branches"] == ["correction", "refusal"] for step in accepting)


def test_demo_providers_are_public_enterprises(ctx):
    assert {u.nature for u in db.session.scalars(select(Utility))} == {Nature.PUBLIC_ENTERPRISE}


def test_the_water_connection_offers_its_form_and_sample(client):
    page = parse(client.get("/u/chengzhou-water/new-water-connection?lang=zh_Hans").data)
    for kind in ("blank_form", "sample"):
        link = page.soup.find(id=f"form-3-{kind}")
        response = client.get(link["href"])
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert page.soup.find("svg", id="flowchart").find("desc")
