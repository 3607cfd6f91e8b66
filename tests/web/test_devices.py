"""Device admin pages (admins only), registration by link, heartbeat, reset, offline files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest

from kiosk.devices.views import DEVICE_COOKIE
from services.clock import utcnow
from services.db import db
from services.devices import registry as devices
from services.models import Device, Hall, ItemKind, Role
from tests.factories import committed, make_hall, make_item, make_revision, make_user
from tests.html import parse
from tests.web.editor_pages import sign_in

ADMIN_PAGE = "/admin/devices/"


@dataclass(frozen=True)
class FreshHall:
    id: int
    slug: str


@pytest.fixture
def hall(app) -> FreshHall:
    """A hall with an idle time of 45 s showing one utility, committed."""

    def made() -> FreshHall:
        hall = make_hall(name="测试便民服务中心", settings={"idle_seconds": 45})
        return FreshHall(hall.id, hall.slug)

    return committed(app, made)


def registration(app, hall: FreshHall, kind: str = "kiosk") -> tuple[int, str]:
    """A registration link for a new device of the hall: (device id, token)."""

    def made() -> tuple[int, str]:
        device, token = devices.create_registration(
            db.session.get(Hall, hall.id), kind, "一楼自助机", actor="admin"
        )
        return device.id, token

    return committed(app, made)


def registered(app, hall: FreshHall, kind: str = "kiosk") -> tuple[int, str]:
    """A registered device of the hall: (device id, secret)."""
    _device_id, token = registration(app, hall, kind)

    def register() -> tuple[int, str]:
        device, secret = devices.register(token)
        return device.id, secret

    return committed(app, register)


def signed_in_admin(app, client) -> None:
    sign_in(client, committed(app, lambda: make_user(Role.ADMIN).id))


def stored_device(app, device_id: int) -> Device | None:
    with app.app_context():
        device = db.session.get(Device, device_id)
        if device is not None:
            db.session.expunge(device)
        return device


def test_the_device_list_asks_for_a_sign_in_first(client):
    response = client.get(ADMIN_PAGE)
    assert response.status_code == 302 and "/editor/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.EDITOR, Role.REVIEWER])
def test_the_device_list_is_for_admins_only(client, app, role):
    sign_in(client, committed(app, lambda: make_user(role).id))
    assert client.get(ADMIN_PAGE).status_code == 403


def test_an_admin_sees_every_device_with_hall_kind_last_seen_version_and_state(client, app, hall):
    device_id, _secret = registered(app, hall)

    def seen_three_days_ago() -> None:
        device = db.session.get(Device, device_id)
        devices.record_heartbeat(device, "v1")
        device.last_seen_at = utcnow() - timedelta(days=3)

    committed(app, seen_three_days_ago)
    waiting_id, _token = registration(app, hall, "board")
    signed_in_admin(app, client)
    page = parse(client.get(ADMIN_PAGE).data)
    assert page.ids["device-table"] == 1 and not page.duplicate_ids
    row = page.find_all("tr", id=f"device-{device_id}")[0]
    assert "state-silent" in row["class"] or "state-asleep" in row["class"]
    assert "state-waiting" in page.find_all("tr", id=f"device-{waiting_id}")[0]["class"]
    assert "测试便民服务中心" in page.text and "一楼自助机" in page.text and "v1" in page.text


def test_an_admin_creates_a_one_time_registration_link(client, app, hall):
    signed_in_admin(app, client)
    response = client.post(ADMIN_PAGE, data={"hall": hall.slug, "kind": "board", "name": "大厅屏"})
    assert response.status_code == 201
    link = parse(response.data).find_all("input", id="registration-url")[0]["value"]
    token = re.fullmatch(r"http://localhost/device/register/([\w-]+)", link).group(1)
    with app.app_context():
        device = devices.pending_registration(token)
        assert device.hall_id == hall.id and device.kind == "board" and device.name == "大厅屏"


def test_an_admin_removes_a_device(client, app, hall):
    device_id, _token = registration(app, hall)
    signed_in_admin(app, client)
    response = client.post(f"/admin/devices/{device_id}/remove")
    assert response.status_code == 302
    assert stored_device(app, device_id) is None


def test_opening_a_registration_link_asks_before_it_registers(client, app, hall):
    device_id, token = registration(app, hall)
    page = parse(client.get(f"/device/register/{token}").data)
    assert page.ids["register-form"] == 1 and "测试便民服务中心" in page.text
    with app.app_context():
        assert devices.pending_registration(token).id == device_id


def test_confirming_sets_a_long_lived_device_cookie_and_burns_the_link(client, app, hall):
    device_id, token = registration(app, hall, "board")
    response = client.post(f"/device/register/{token}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/board/{hall.slug}"
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(DEVICE_COOKIE))
    assert "HttpOnly" in cookie and "Max-Age=34560000" in cookie
    secret = cookie.split(";")[0].split("=", 1)[1]
    with app.app_context():
        assert devices.device_by_secret(secret).id == device_id
    assert client.get(f"/device/register/{token}").status_code == 404
    assert client.post(f"/device/register/{token}").status_code == 404


def test_a_heartbeat_from_a_registered_kiosk_is_recorded_and_answered(client, app, hall):
    device_id, secret = registered(app, hall)
    client.set_cookie(DEVICE_COOKIE, secret)
    response = client.post("/device/heartbeat", json={"content_version": "abc123"})
    reply = response.get_json()
    assert reply["registered"] and reply["kind"] == "kiosk" and reply["idle_seconds"] == 45
    assert reply["manifest"] == f"/offline-manifest.json?hall={hall.slug}" and reply["version"]
    assert stored_device(app, device_id).content_version == "abc123"
    assert "no-store" in response.headers["Cache-Control"]


def test_a_heartbeat_from_an_unknown_browser_changes_nothing(client):
    response = client.post("/device/heartbeat", json={"content_version": "x"})
    assert response.get_json() == {"registered": False}
    assert DEVICE_COOKIE not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize(
    ("kind", "lands_on"), [("board", "/board/{hall}"), ("kiosk", "/device/reset")]
)
def test_a_restarted_screen_goes_back_to_what_it_was_registered_as(
    client, app, hall, kind, lands_on
):
    _device_id, secret = registered(app, hall, kind)
    client.set_cookie(DEVICE_COOKIE, secret)
    response = client.get("/device/start")
    assert response.status_code == 302
    assert response.headers["Location"] == lands_on.format(hall=hall.slug)


def test_an_unregistered_browser_starting_up_gets_the_start_screen(client):
    response = client.get("/device/start")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_heartbeat_must_be_json(client):
    assert client.post("/device/heartbeat", data={"content_version": "x"}).status_code == 415


def test_the_idle_reset_clears_language_text_size_contrast_and_the_rating_session(client):
    client.set_cookie("lang", "en")
    client.set_cookie("text_size", "large")
    response = client.get("/device/reset")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookies = response.headers.getlist("Set-Cookie")
    cleared = {c.split("=", 1)[0] for c in cookies if "Max-Age=0" in c}
    assert cleared == {"lang", "text_size", "contrast", "gongshi_rater"}


def hall_speaking(app, language: str) -> FreshHall:
    def made() -> FreshHall:
        hall = make_hall(settings={"default_language": language})
        return FreshHall(hall.id, hall.slug)

    return committed(app, made)


def set_cookies(response) -> dict[str, str]:
    cookies = response.headers.getlist("Set-Cookie")
    return {c.split("=", 1)[0]: c.split("=", 1)[1].split(";", 1)[0] for c in cookies}


def test_a_registered_kiosk_resets_to_its_halls_language_whatever_its_browser_says(client, app):
    _device_id, secret = registered(app, hall_speaking(app, "zh_Hant"))
    client.set_cookie(DEVICE_COOKIE, secret)
    client.set_cookie("lang", "en")
    response = client.get("/device/reset", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert set_cookies(response)["lang"] == "zh_Hant"
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert parse(page.data).lang == "zh-Hant"


def test_registering_a_kiosk_sets_its_halls_language(client, app):
    _device_id, token = registration(app, hall_speaking(app, "en"), "kiosk")
    response = client.post(f"/device/register/{token}")
    assert set_cookies(response)["lang"] == "en"


def test_a_hall_without_a_language_starts_its_kiosks_in_simplified_chinese(client, app, hall):
    _device_id, secret = registered(app, hall)
    client.set_cookie(DEVICE_COOKIE, secret)
    assert set_cookies(client.get("/device/reset"))["lang"] == "zh_Hans"


def test_a_phone_still_negotiates_its_language(client):
    client.get("/device/reset")
    page = client.get("/", headers={"Accept-Language": "zh-TW,zh;q=0.9"})
    assert parse(page.data).lang == "zh-Hant"


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


def test_the_offline_manifest_lists_the_hall_pages_and_every_asset(client, app, hall):
    def made() -> tuple[str, str]:
        shown = db.session.get(Hall, hall.id).utilities[0]
        tariff = make_revision(make_item(shown, kind=ItemKind.TARIFF)).item
        return f"/u/{shown.slug}/{tariff.slug}", f"/u/{make_revision().item.utility.slug}"

    tariff, elsewhere = committed(app, made)
    manifest = client.get(f"/offline-manifest.json?hall={hall.slug}").get_json()
    pages = manifest["pages"]
    assert pages[0] == "/" and f"/board/{hall.slug}" in pages
    assert tariff in pages
    assert not any(p.startswith(elsewhere) for p in pages)
    assert any(re.fullmatch(r"/static/js/offline\.[0-9a-f]{12}\.js", a) for a in manifest["assets"])
    assert manifest["version"] and all(client.get(a).status_code == 200 for a in manifest["assets"])


def test_a_registered_device_gets_its_own_hall_manifest(client, app, hall):
    _device_id, secret = registered(app, hall)
    assert client.get("/offline-manifest.json").status_code == 404
    client.set_cookie(DEVICE_COOKIE, secret)
    assert client.get("/offline-manifest.json").get_json()["hall"] == hall.slug
