"""Device admin pages (admins only), registration by link, heartbeat, reset, offline files."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from kiosk.devices.device_views import DEVICE_COOKIE
from services.clock import utcnow
from services.db import db
from services.devices import registry as devices
from services.models import Device, Hall, ItemKind, Role, User, hall_utilities
from tests.factories import make_hall, make_item, make_revision, make_user
from tests.html import parse
from tests.web.editor_pages import sign_in

ADMIN_PAGE = "/admin/devices/"


@pytest.fixture
def hall(ctx):
    """A fresh hall with an idle time of 45 s. Some views commit, so the hall, its devices
    and any account made in the test are removed afterwards."""
    before = db.session.scalar(select(func.max(User.id))) or 0
    hall = make_hall(name="测试便民服务中心", settings={"idle_seconds": 45})
    hall_id = hall.id
    yield hall
    db.session.rollback()
    db.session.execute(delete(Device).where(Device.hall_id == hall_id))
    db.session.execute(delete(hall_utilities).where(hall_utilities.c.hall_id == hall_id))
    db.session.execute(delete(Hall).where(Hall.id == hall_id))
    db.session.execute(delete(User).where(User.id > before))
    db.session.commit()


def registration(hall, kind: str = "kiosk") -> tuple[Device, str]:
    return devices.create_registration(hall, kind, "一楼自助机", actor="admin")


def test_the_device_list_asks_for_a_sign_in_first(client):
    response = client.get(ADMIN_PAGE)
    assert response.status_code == 302 and "/editor/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_the_device_list_is_for_admins_only(client, ctx, role):
    sign_in(client, make_user(role).id)
    assert client.get(ADMIN_PAGE).status_code == 403


def test_an_admin_sees_every_device_with_hall_kind_last_seen_version_and_state(client, hall):
    device, secret = devices.register(registration(hall)[1])
    devices.record_heartbeat(device, "v1")
    device.last_seen_at = utcnow() - timedelta(days=3)
    waiting, _token = registration(hall, "board")
    sign_in(client, make_user(Role.ADMIN).id)
    page = parse(client.get(ADMIN_PAGE).data)
    assert page.ids["device-table"] == 1 and not page.duplicate_ids
    row = page.find_all("tr", id=f"device-{device.id}")[0]
    assert "state-silent" in row["class"] or "state-asleep" in row["class"]
    assert "state-waiting" in page.find_all("tr", id=f"device-{waiting.id}")[0]["class"]
    assert "测试便民服务中心" in page.text and "一楼自助机" in page.text and "v1" in page.text


def test_an_admin_creates_a_one_time_registration_link(client, hall):
    sign_in(client, make_user(Role.ADMIN).id)
    response = client.post(ADMIN_PAGE, data={"hall": hall.slug, "kind": "board", "name": "大厅屏"})
    assert response.status_code == 201
    link = parse(response.data).find_all("input", id="registration-url")[0]["value"]
    token = re.fullmatch(r"http://localhost/device/register/([\w-]+)", link).group(1)
    device = devices.pending_registration(token)
    assert device.hall_id == hall.id and device.kind == "board" and device.name == "大厅屏"


def test_an_admin_removes_a_device(client, hall):
    device, _token = registration(hall)
    sign_in(client, make_user(Role.ADMIN).id)
    response = client.post(f"/admin/devices/{device.id}/remove")
    assert response.status_code == 302
    assert db.session.get(Device, device.id) is None


def test_opening_a_registration_link_asks_before_it_registers(client, hall):
    device, token = registration(hall)
    page = parse(client.get(f"/device/register/{token}").data)
    assert page.ids["register-form"] == 1 and "测试便民服务中心" in page.text
    assert devices.pending_registration(token) is device


def test_confirming_sets_a_long_lived_device_cookie_and_burns_the_link(client, hall):
    device, token = registration(hall, "board")
    response = client.post(f"/device/register/{token}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/board/{hall.slug}"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(DEVICE_COOKIE))
    assert "HttpOnly" in cookie and "Max-Age=34560000" in cookie
    secret = cookie.split(";")[0].split("=", 1)[1]
    assert devices.device_by_secret(secret) is device
    assert client.get(f"/device/register/{token}").status_code == 404
    assert client.post(f"/device/register/{token}").status_code == 404


def test_a_heartbeat_from_a_registered_kiosk_is_recorded_and_answered(client, hall):
    device, secret = devices.register(registration(hall)[1])
    client.set_cookie(DEVICE_COOKIE, secret)
    response = client.post("/device/heartbeat", json={"content_version": "abc123"})
    reply = response.get_json()
    assert reply["registered"] and reply["kind"] == "kiosk" and reply["idle_seconds"] == 45
    assert reply["manifest"] == f"/offline-manifest.json?hall={hall.slug}" and reply["version"]
    assert device.content_version == "abc123"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_heartbeat_from_an_unknown_browser_changes_nothing(client, ctx):
    response = client.post("/device/heartbeat", json={"content_version": "x"})
    assert response.get_json() == {"registered": False}
    assert DEVICE_COOKIE not in response.headers.get("Set-Cookie", "")


def test_a_heartbeat_must_be_json(client, ctx):
    assert client.post("/device/heartbeat", data={"content_version": "x"}).status_code == 415


def test_the_idle_reset_clears_language_text_size_and_contrast(client):
    client.set_cookie("lang", "en")
    client.set_cookie("text_size", "large")
    response = client.get("/device/reset")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookies = response.headers.getlist("Set-Cookie")
    cleared = {c.split("=", 1)[0] for c in cookies if "Max-Age=0" in c}
    assert cleared == {"lang", "text_size", "contrast"}


def test_kiosk_pages_load_the_idle_and_offline_scripts_with_their_settings(client, app):
    page = parse(client.get("/").data)
    idle = next(s for s in page.find_all("script") if "/js/idle." in s["src"])
    offline = next(s for s in page.find_all("script") if "/js/offline." in s["src"])
    assert idle["data-reset-url"] == "/device/reset"
    assert offline["data-heartbeat-url"] == "/device/heartbeat"
    assert "{time}" in offline["data-offline-text"]


def test_no_address_shortens_the_idle_time(client):
    # The idle time is the hall's, from the heartbeat: a page never carries one.
    page = parse(client.get("/?idle=5").data)
    assert not any(s.has_attr("data-idle-seconds") for s in page.find_all("script"))


def test_the_service_worker_is_served_from_the_site_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response.headers["Cache-Control"]


def test_the_offline_manifest_lists_the_hall_pages_and_every_asset(client, hall):
    tariff = make_revision(make_item(hall.utilities[0], kind=ItemKind.TARIFF)).item
    elsewhere = make_revision().item
    manifest = client.get(f"/offline-manifest.json?hall={hall.slug}").get_json()
    pages = manifest["pages"]
    assert pages[0] == "/" and f"/board/{hall.slug}" in pages
    assert f"/u/{tariff.utility.slug}/{tariff.slug}" in pages
    assert not any(p.startswith(f"/u/{elsewhere.utility.slug}") for p in pages)
    assert any(re.fullmatch(r"/static/js/offline\.[0-9a-f]{12}\.js", a) for a in manifest["assets"])
    assert manifest["version"] and all(client.get(a).status_code == 200 for a in manifest["assets"])


def test_a_registered_device_gets_its_own_hall_manifest(client, hall):
    _device, secret = devices.register(registration(hall)[1])
    assert client.get("/offline-manifest.json").status_code == 404
    client.set_cookie(DEVICE_COOKIE, secret)
    assert client.get("/offline-manifest.json").get_json()["hall"] == hall.slug
