"""The live API against its own OpenAPI document: schemathesis sends generated requests, valid
and invalid, to a real HTTP server and validates every response (status, content type,
headers and body)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from kiosk.api.openapi import document
from services.administration.changes import note_change
from services.db import db
from services.models import ItemKind
from tests.browser.conftest import LiveServer
from tests.factories import (
    make_hall,
    make_hearing,
    make_item,
    make_outage,
    make_revision,
    make_utility,
)

# Ten examples per operation and mode keep the run to a few seconds per operation.
EXAMPLES = 10
OPERATIONS = document("")["paths"]
# Invalid requests can only be made where there is a parameter to get wrong.
CASES = [(path, GenerationMode.POSITIVE) for path in OPERATIONS] + [
    (path, GenerationMode.NEGATIVE)
    for path, item in OPERATIONS.items()
    if item["get"]["parameters"]
]


@pytest.fixture(scope="module")
def api_schema(app):
    with app.app_context():  # something of every kind for the API to describe
        utility = make_utility()
        make_revision(make_item(utility))
        tariff = make_item(utility, kind=ItemKind.TARIFF)
        make_revision(tariff)
        make_hearing(tariff)
        make_hall([utility])
        make_outage(utility)
        item = make_item(utility)
        note_change(
            "item",
            item.id,
            "suspended",
            "窗口改造",
            link={"utility": utility.slug, "item": item.slug},
        )
        note_change("channel", 1, "changed", "12345", fields=["phone"])
        db.session.commit()
    server = LiveServer(app).start()
    yield schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json")
    server.stop()


@pytest.mark.parametrize(("path", "mode"), CASES)
def test_every_api_response_matches_the_openapi_document(api_schema, path, mode):
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def responds_as_documented(case):
        case.call_and_validate()

    responds_as_documented()
