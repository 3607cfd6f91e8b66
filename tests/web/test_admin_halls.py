"""A hall's address, weekly hours, closures, utilities, screens and notices are edited on one
page; the JSON the kiosks and boards read keeps its shape, and bad input is refused."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from services.catalogue import halls
from services.db import db
from services.devices import board
from services.models import CatalogueChange, Hall, Role
from tests.factories import committed, make_hall, make_user, make_utility
from tests.html import form_values, parse
from tests.web.editor_pages import sign_in


@pytest.fixture
def admin(app, client) -> int:
    admin_id = committed(app, lambda: make_user(Role.ADMIN).id)
    sign_in(client, admin_id)
    return admin_id


@pytest.fixture
def hall_id(app) -> int:
    def made():
        return make_hall(
            name="澄州市民中心",
            opening_hours=[
                {"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"},
                {"weekdays": [6], "opens": "09:00", "closes": "12:00"},
            ],
            exceptions=[{"on": "2027-01-01", "closed": True, "note": "元旦闭馆"}],
            settings={
                "idle_seconds": 90,
                "slide_seconds": 12,
                "board_slides": ["fees", "hotlines"],
            },
        ).id

    return committed(app, made)


def test_the_form_shows_what_is_stored(app, client, admin, hall_id):
    values = form_values(client.get(f"/admin/halls/{hall_id}/edit").data, "hall-form")
    assert values["days-0-opens"] == "09:00" and values["days-0-closes"] == "17:00"
    assert values["days-5-closes"] == "12:00" and values["days-6-opens"] == ""
    assert values["exceptions-0-on"] == "2027-01-01" and values["exceptions-0-closed"] == "y"
    assert values["exceptions-0-note"] == "元旦闭馆"
    assert values["idle_seconds"] == "90"
    assert values["slides-0-kind"] == "fees" and values["slides-1-kind"] == "hotlines"
    assert "slides-2-shown" not in values


def test_saving_keeps_the_shapes_the_kiosk_and_board_read(app, client, admin, hall_id):
    values = form_values(client.get(f"/admin/halls/{hall_id}/edit").data, "hall-form")
    values["days-0-closes"] = "12:00"
    values["days-0-opens2"] = "13:30"
    values["days-0-closes2"] = "17:00"
    values["days-6-opens"] = "10:00"
    values["days-6-closes"] = "16:00"
    values["exceptions-1-on"] = "2027-02-06"
    values["exceptions-1-opens"] = "09:00"
    values["exceptions-1-closes"] = "12:00"
    values["exceptions-1-note"] = "春节前加开半天"
    values["idle_seconds"] = "60"
    values["slides-2-shown"] = "y"
    values["slides-2-order"] = "0"
    values["notices-0-text"] = "二楼水务窗口装修，请到三楼办理"
    values["notices-0-text_en"] = "Water desk moved to the 3rd floor"
    values["notices-0-ends"] = "2027-03-31"
    response = client.post(f"/admin/halls/{hall_id}/edit", data=values)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        hall = db.session.get(Hall, hall_id)
        # Days sharing a period share one row, as the demo city writes them.
        assert hall.opening_hours == [
            {"weekdays": [1, 6], "opens": "09:00", "closes": "12:00"},
            {"weekdays": [1], "opens": "13:30", "closes": "17:00"},
            {"weekdays": [2, 3, 4, 5], "opens": "09:00", "closes": "17:00"},
            {"weekdays": [7], "opens": "10:00", "closes": "16:00"},
        ]
        assert {
            "on": "2027-02-06",
            "closed": False,
            "opens": "09:00",
            "closes": "12:00",
            "note": "春节前加开半天",
        } in hall.exceptions
        assert hall.settings["idle_seconds"] == 60
        assert board.slide_order(hall)[0] == "notices"  # order 0 puts it first
        notices = board.active_notices(hall, date(2027, 1, 10))
        assert notices[0].text == "二楼水务窗口装修，请到三楼办理"
        assert notices[0].translations == {"en": {"text": "Water desk moved to the 3rd floor"}}
        assert [(p.opens.hour, p.closes.hour) for p in halls.hours_on(hall, date(2027, 2, 8))] == [
            (9, 12),
            (13, 17),
        ]
        assert halls.hours_on(hall, date(2027, 2, 6))[0].closes.hour == 12
        change = (
            db.session.query(CatalogueChange).filter_by(subject="hall", subject_id=hall_id).one()
        )
        assert "opening_hours" in change.fields and "notices" in change.fields


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("days-0-closes", "08:00", "结束时间必须晚于开始时间。"),
        ("days-1-opens", "9点", "请按 时:分 填写时间，如 08:30。"),
        ("days-2-closes", "", "请同时填写开始和结束时间。"),
        ("exceptions-1-on", "2027-13-01", "请按 年-月-日 填写日期，如 2027-01-01。"),
        ("idle_seconds", "ninety", "请填写整数。"),
    ],
)
def test_bad_hours_are_refused_beside_the_field_and_nothing_is_saved(
    app, client, admin, hall_id, field, value, message
):
    values = form_values(client.get(f"/admin/halls/{hall_id}/edit").data, "hall-form")
    values[field] = value
    response = client.post(f"/admin/halls/{hall_id}/edit", data=values)
    assert response.status_code == 400
    page = parse(response.data)
    assert message in page.text_of(f"{field}-field")
    assert form_values(response.data, "hall-form")[field] == value
    with app.app_context():
        assert db.session.get(Hall, hall_id).settings["idle_seconds"] == 90


def test_an_exception_without_hours_or_closure_is_refused(app, client, admin, hall_id):
    values = form_values(client.get(f"/admin/halls/{hall_id}/edit").data, "hall-form")
    values["exceptions-1-on"] = "2027-02-06"
    response = client.post(f"/admin/halls/{hall_id}/edit", data=values)
    assert response.status_code == 400
    assert "全天闭馆" in parse(response.data).text_of("exceptions-1-opens-field")


def test_a_hall_needs_a_utility_a_slide_and_a_sane_idle_time(app, client, admin, hall_id):
    values = form_values(client.get(f"/admin/halls/{hall_id}/edit").data, "hall-form")
    values.poplist("utilities")
    response = client.post(f"/admin/halls/{hall_id}/edit", data=values)
    assert response.status_code == 422
    assert "请至少选择一个实施主体。" in parse(response.data).text_of("utilities-field")
    values = form_values(client.get(f"/admin/halls/{hall_id}/edit").data, "hall-form")
    values["idle_seconds"] = "5"
    response = client.post(f"/admin/halls/{hall_id}/edit", data=values)
    assert response.status_code == 422
    assert "请填写 30 至 3600 之间的数字。" in parse(response.data).text_of("idle_seconds-field")


def test_a_new_hall_is_created_and_its_board_answers(app, client, admin):
    utility_slug = committed(app, lambda: make_utility().slug)
    data = MultiDict(
        {
            "slug": "lake-hall",
            "name": "澄湖便民服务中心",
            "address": "澄州市湖滨路1号",
            "days-0-opens": "08:30",
            "days-0-closes": "17:00",
            "closed_on_public_holidays": "y",
            "utilities": utility_slug,
            "idle_seconds": "90",
            "slide_seconds": "12",
            "slides-0-kind": "hotlines",
            "slides-0-shown": "y",
        }
    )
    assert client.post("/admin/halls/new", data=data).status_code == 302
    with app.app_context():
        hall = db.session.query(Hall).filter_by(slug="lake-hall").one()
        assert hall.opening_hours == [{"weekdays": [1], "opens": "08:30", "closes": "17:00"}]
        assert hall.settings["board_slides"] == ["hotlines"]
        assert [u.slug for u in hall.utilities] == [utility_slug]
    assert client.get("/board/lake-hall").status_code == 200
