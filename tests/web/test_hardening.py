"""Input that no page can answer gets a clear 4xx, on the kiosk's branded and translated error
pages, never a 500: huge ids, absurd dates, NUL in an address, control characters in a
sign-in's `next`, JSON nested too deeply."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.exceptions import InternalServerError, TooManyRequests

from services.db import db
from services.devices import registry as devices
from services.models import Hall, Role
from tests.factories import PASSWORD, committed, make_hall, make_revision, make_user
from tests.html import parse

HUGE = "99999999999999999999999"


@pytest.fixture(scope="module")
def made(app) -> dict[str, str]:
    """A published revision, a hall and a reviewer, committed for this module."""
    with app.app_context():
        revision = make_revision()
        hall = make_hall()
        reviewer = make_user(Role.REVIEWER)
        db.session.commit()
        return {"revision": str(revision.id), "hall": hall.slug, "reviewer": reviewer.username}


@pytest.mark.parametrize(
    "url",
    [
        f"/r/{HUGE}",
        "/r/9223372036854775808",  # one past the largest 64-bit integer
        "/r/2147483648",  # one past the largest id a PostgreSQL integer holds
        f"/r/{HUGE}/bill?fee=1&usage=1",
        f"/print/{HUGE}.pdf",
        f"/editor/revisions/{HUGE}",
        f"/api/v1/revisions/{HUGE}",
    ],
)
def test_an_id_no_row_can_have_is_not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("since", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_the_changes_page_refuses_an_absurd_date_clearly(client, since):
    response = client.get(f"/changes?since={since}&lang=en")
    assert response.status_code == 400
    page = parse(response.data)
    assert "error-400" in page.ids
    assert "from a date between 1900-01-01 and 2999-12-31" in page.by_id("error-detail").get_text()


def test_the_changes_page_still_reads_a_sensible_date(client):
    assert client.get("/changes?since=2024-01-01").status_code == 200


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/changes?since=0001-01-01", 200),  # every change ever made
        ("/api/v1/changes?since=0001-01-01T00:00:00%2B14:00", 200),
        ("/api/v1/changes?since=9999-12-31T23:59:59-12:00", 200),  # none yet
        ("/api/v1/items?on=0001-01-01", 200),  # nothing was in force then
        ("/api/v1/items?on=9999-12-31", 200),
        ("/api/v1/changes?since=0000-01-01", 400),
        ("/api/v1/items?on=10000-01-01", 400),
    ],
)
def test_the_api_answers_absurd_dates_as_documented(client, made, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response.mimetype in ("application/json", "application/problem+json")


@pytest.mark.parametrize(
    "url",
    ["/u/water%00", "/u/water/new%00", "/basis/a%00b", "/board/a%00b", "/r/1%00"],
)
def test_a_nul_in_an_address_is_a_bad_request(client, url):
    assert client.get(url).status_code == 400


def test_a_nul_in_a_query_is_read_as_nothing_found(client):
    assert client.get("/search?q=%E6%B0%B4%00").status_code == 200
    assert client.get("/api/v1/items?utility=a%00b").status_code == 404


@pytest.mark.parametrize(
    "target",
    [
        "/editor/\nx",
        "/editor/\r\nSet-Cookie: taken=1",
        "/editor/\x00",
        "/editor/\tx",
        "/editor/\x1b[2J",
    ],
)
def test_a_control_character_in_next_signs_in_to_the_editor(app, made, target):
    client = app.test_client()
    form = client.get("/editor/login", query_string={"next": target})
    assert form.status_code == 200
    response = client.post(
        "/editor/login",
        data={"username": made["reviewer"], "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/editor/"
    assert "taken" not in response.headers.get("Set-Cookie", "")


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.fixture
def device_client(app, made):
    """A client carrying the cookie of a board registered in the module's hall."""

    def register() -> str:
        hall = db.session.scalars(select(Hall).filter_by(slug=made["hall"])).one()
        _device, token = devices.create_registration(hall, "board", "入口", actor="admin")
        db.session.commit()
        return devices.register(token)[1]

    client = app.test_client()
    client.set_cookie("gongshi_device", committed(app, register))
    return client


@pytest.mark.parametrize("body", [deep(100_000), '{"content_version": ' + deep(5_000) + "}"])
def test_json_nested_too_deeply_is_a_bad_request(device_client, client, body):
    for sender in (device_client, client):
        response = sender.post("/device/heartbeat", data=body, content_type="application/json")
        assert response.status_code == 400


def test_a_heartbeat_that_is_no_json_object_is_a_bad_request(device_client):
    for body in ("[]", "not json", '"text"'):
        sent = device_client.post("/device/heartbeat", data=body, content_type="application/json")
        assert sent.status_code == 400
    fine = device_client.post("/device/heartbeat", json={"content_version": "v1"})
    assert fine.status_code == 200 and fine.json["registered"]


TITLES = {
    400: {"en": "This address cannot be answered", "zh_Hans": "无法处理这个地址"},
    404: {"en": "Page not found", "zh_Hans": "页面不存在"},
    405: {"en": "This page cannot be used that way", "zh_Hans": "不能这样使用这个页面"},
    429: {"en": "Too many requests", "zh_Hans": "请求过于频繁"},
    500: {"en": "Something went wrong", "zh_Hans": "出现了问题"},
}


def error_page(app, client, status: int, lang: str):
    if status == 400:
        return client.get(f"/changes?since=0001-01-01&lang={lang}")
    if status == 404:
        return client.get(f"/u/no-such-utility?lang={lang}")
    if status == 405:
        return client.post(f"/?lang={lang}")
    error = TooManyRequests(retry_after=30) if status == 429 else InternalServerError()
    with app.test_request_context(f"/?lang={lang}"):
        response = app.make_response(app.handle_http_exception(error))
        response.direct_passthrough = False
        return response


@pytest.mark.parametrize("status", TITLES)
def test_error_pages_are_branded_and_translated(app, client, status):
    titles = []
    for lang in ("zh_Hans", "zh_Hant", "en"):
        response = error_page(app, client, status, lang)
        assert response.status_code == status
        page = parse(response.get_data(as_text=True))
        assert page.find_all("nav") and page.by_id("main") is not None  # the kiosk's layout
        assert page.lang == {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}[lang]
        title = page.select("main h1")[0].get_text().strip()
        if lang in TITLES[status]:
            assert title == TITLES[status][lang]
        titles.append(title)
    assert len(set(titles)) == 3  # each language its own words
    if status == 405:
        assert "GET" in response.headers["Allow"]
    if status == 429:
        assert response.headers["Retry-After"] == "30"


def test_a_staff_page_refused_is_a_translated_403(app, made):
    client = app.test_client()
    client.post(
        "/editor/login", data={"username": made["reviewer"], "password": PASSWORD, "next": ""}
    )
    response = client.get("/admin/devices/?lang=en")
    assert response.status_code == 403
    assert parse(response.data).select("main h1")[0].get_text().strip() == "Not yours to open"
