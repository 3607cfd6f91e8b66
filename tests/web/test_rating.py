"""Rating a service (好差评) from an item page, on a phone or at a kiosk: five answers, the
reasons of a bad review, the checks on what was typed, one rating per item per session or
day, and the throttle on bursts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kiosk.extensions import limiter
from services.db import db
from services.devices import registry as devices
from services.ratings.models import Rating
from tests.factories import committed, make_hall, make_item, make_revision, service_content
from tests.html import parse


@pytest.fixture
def item_url(app) -> str:
    def make():
        item = make_revision(make_item()).item
        return f"/u/{item.utility.slug}/{item.slug}"

    return committed(app, make)


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


def ratings_of(app, url: str) -> list[Rating]:
    slug = url.rsplit("/", 1)[1]
    with app.app_context():
        from services.models import Item

        item = db.session.scalar(select(Item).where(Item.slug == slug))
        rows = db.session.scalars(select(Rating).where(Rating.item_id == item.id)).all()
        for row in rows:
            _ = row.contact, row.case
        db.session.expunge_all()
        return list(rows)


def test_every_item_page_ends_with_the_question_and_five_answers(client, item_url):
    page = parse(client.get(item_url).data)
    section = page.by_id("rating")
    assert "办事指南和办事服务怎么样" in section.get_text()
    choices = [a.get_text(strip=True) for a in section.select("a.rate-choice")]
    assert choices == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert section["hx-get"] == item_url + "/rate"
    assert page.select(".rate-qr svg.qr")


def test_the_live_widget_is_a_form_with_five_buttons_and_its_token(client, item_url):
    response = client.get(item_url + "/rate", headers={"HX-Request": "true", "HX-Target": "rating"})
    page = parse(response.data)
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    buttons = page.select("#rating button[name=level]")
    assert [b["value"] for b in buttons] == ["5", "4", "3", "2", "1"]
    assert page.select("#rating input[name=csrf_token]")
    assert response.headers["Cache-Control"] == "no-store"


def test_a_good_rating_is_stored_at_once_and_thanked(app, client, item_url):
    response = client.post(item_url + "/rate", data={"level": "4"})
    assert response.status_code == 200
    assert "感谢" in parse(response.data).text_of("rating")
    (rating,) = ratings_of(app, item_url)
    assert rating.level == 4 and rating.channel == "phone" and rating.case is None


def test_a_bad_rating_asks_why_before_anything_is_stored(app, client, item_url):
    response = client.post(item_url + "/rate", data={"level": "2"})
    page = parse(response.data)
    reasons = [box["value"] for box in page.select("#rating input[name=reason]")]
    assert reasons == [
        "guide_unclear",
        "materials_differ",
        "fees_differ",
        "time_exceeded",
        "attitude",
        "other",
    ]
    assert "指南说得不清楚" in page.text
    assert page.select("#rating [data-keyboard-for=rate-comment]")
    assert ratings_of(app, item_url) == []


def test_a_bad_review_with_reasons_text_and_phone_opens_a_case(app, client, item_url):
    response = client.post(
        item_url + "/rate",
        data={
            "level": "1",
            "step": "why",
            "reason": ["fees_differ", "attitude"],
            "comment": "<b>收费</b>比公示的<script>alert(1)</script>多",
            "phone": "138 0013 8000",
        },
    )
    assert response.status_code == 200
    text = parse(response.data).text_of("rating")
    assert "工作日" in text and "国办发〔2019〕51号" in text
    (rating,) = ratings_of(app, item_url)
    assert rating.reasons == ["fees_differ", "attitude"]
    assert "<" not in rating.comment and "收费" in rating.comment
    assert rating.contact.phone == "13800138000"
    assert rating.case is not None and rating.case.working_days == 10


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": []}, "至少"),
        ({"reason": ["other"], "phone": "12345"}, "11"),
        ({"reason": ["other"], "comment": "长" * 301}, "300"),
    ],
)
def test_a_bad_review_with_a_problem_keeps_what_was_typed_and_stores_nothing(
    app, client, item_url, fields, message
):
    data = {"level": "2", "step": "why", "comment": "材料", "phone": ""} | fields
    response = client.post(item_url + "/rate", data=data)
    page = parse(response.data)
    assert message in " ".join(e.get_text() for e in page.select(".field-error"))
    assert page.select("#rate-comment")[0].get_text() == data["comment"]
    assert ratings_of(app, item_url) == []


def test_a_phone_rates_an_item_once_a_day(app, client, item_url):
    client.post(item_url + "/rate", data={"level": "5"})
    again = client.post(item_url + "/rate", data={"level": "1", "step": "why", "reason": "other"})
    assert "已评价过" in parse(again.data).text_of("rating")
    page = parse(client.get(item_url + "/rate").data)
    assert "已评价过" in page.text_of("rating")
    assert len(ratings_of(app, item_url)) == 1


def test_bursts_from_one_address_are_throttled(app, item_url):
    app.config["RATING_RATE_LIMIT"] = "3 per minute"
    try:
        answers = []
        for _n in range(4):
            fresh = app.test_client()  # a new browser each time: only the address is shared
            answers.append(fresh.post(item_url + "/rate", data={"level": "3"}).status_code)
    finally:
        app.config["RATING_RATE_LIMIT"] = "10 per minute;100 per hour"
    assert answers == [200, 200, 200, 429]
    assert len(ratings_of(app, item_url)) == 3


def test_without_scripts_a_choice_leads_to_the_rating_page(client, item_url):
    page = parse(client.get(item_url + "/rate?level=5").data)
    assert page.title and page.select("#rating button[name=level][value='5']")
    bad = parse(client.get(item_url + "/rate?level=1").data)
    assert bad.select("#rating input[name=reason]")


def kiosk_client(app):
    """A test client that is a registered kiosk of a new hall."""

    def make():
        made, token = devices.create_registration(make_hall(), "kiosk", "测试屏", actor="test")
        _device, secret = devices.register(token)
        return secret

    secret = committed(app, make)
    client = app.test_client()
    client.set_cookie("gongshi_device", secret)
    return client


def test_a_kiosk_rates_once_per_session_and_the_idle_reset_starts_a_new_one(app, item_url):
    kiosk = kiosk_client(app)
    kiosk.post(item_url + "/rate", data={"level": "5"})
    again = kiosk.post(item_url + "/rate", data={"level": "4"})
    assert "已评价过" in parse(again.data).text_of("rating")
    kiosk.get("/device/reset")
    assert kiosk.get_cookie("gongshi_rater") is None
    kiosk.post(item_url + "/rate", data={"level": "4"})
    ratings = ratings_of(app, item_url)
    assert [(r.level, r.channel) for r in ratings] == [(5, "kiosk"), (4, "kiosk")]
    assert ratings[0].device_id is not None


def test_the_rating_page_names_the_service_in_the_readers_language(app, client):
    def make():
        content = service_content(name="水表更换")
        content["translations"] = {"en": {"name": "Water meter replacement"}}
        item = make_revision(make_item(), content=content).item
        return f"/u/{item.utility.slug}/{item.slug}/rate"

    url = committed(app, make)
    page = parse(client.get(url, query_string={"lang": "en"}).data)
    assert page.soup.h1.get_text() == "Water meter replacement"
