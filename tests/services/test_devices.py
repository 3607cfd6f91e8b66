"""Device registration by one-time link, heartbeats, and which devices count as silent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.clock import city_zone, utcnow
from services.db import db
from services.devices import registry as devices
from services.models import AuditEvent, Device, Hall
from tests.factories import make_hall

# The hall opens Monday to Friday 09:00-17:00 and Saturday 09:00-12:00.
MONDAY = date(2031, 3, 3)


def city(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=city_zone())


def stored(moment: datetime) -> datetime:
    """How the database keeps a moment: naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


@pytest.fixture
def hall(ctx) -> Hall:
    weekdays = {"weekdays": [1, 2, 3, 4, 5], "opens": "09:00", "closes": "17:00"}
    saturday = {"weekdays": [6], "opens": "09:00", "closes": "12:00"}
    return make_hall(opening_hours=[weekdays, saturday])


def registered(hall: Hall, kind: str = "board") -> tuple[Device, str]:
    _device, token = devices.create_registration(hall, kind, "入口左侧", actor="admin")
    return devices.register(token)


def test_a_registration_keeps_only_the_hash_of_its_one_time_token(hall):
    device, token = devices.create_registration(hall, "kiosk", " 一楼自助机 ", actor="admin")
    assert device.name == "一楼自助机" and device.registered_at is None
    assert device.registration_hash == devices.secret_hash(token) != token
    assert devices.pending_registration(token) is device
    assert devices.device_health(device).state == devices.DeviceState.WAITING


def test_opening_the_link_burns_the_token_and_gives_the_device_its_secret(hall):
    device, token = devices.create_registration(hall, "board", "大厅屏", actor="admin")
    device_again, secret = devices.register(token)
    assert device_again.id == device.id
    assert device_again.registered_at is not None and device_again.registration_hash is None
    assert devices.device_by_secret(secret) is device_again
    assert devices.register(token) is None
    assert devices.pending_registration(token) is None


def test_an_expired_link_registers_nothing(hall):
    device, token = devices.create_registration(hall, "board", "大厅屏", actor="admin")
    device.registration_expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    assert devices.register(token) is None
    assert devices.device_health(device).state == devices.DeviceState.EXPIRED


@pytest.mark.parametrize(("kind", "name"), [("tablet", "一楼"), ("kiosk", "  ")])
def test_a_registration_needs_a_known_kind_and_a_name(hall, kind, name):
    with pytest.raises(devices.DeviceError):
        devices.create_registration(hall, kind, name, actor="admin")


def test_an_unknown_or_missing_secret_is_no_device(ctx):
    assert devices.device_by_secret(None) is None
    assert devices.device_by_secret("not-a-secret") is None


def test_a_heartbeat_records_the_time_and_a_cleaned_content_version(hall):
    device, _secret = registered(hall)
    device.last_seen_at = None
    devices.record_heartbeat(device, "abc123<script>" + "x" * 100)
    assert device.last_seen_at is not None
    assert device.content_version.startswith("abc123script") and len(device.content_version) == 64


def test_registering_and_removing_are_audited(hall):
    # Ids of removed devices come round again: look only at events from this test on.
    since = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    device, _secret = registered(hall)
    device_id = device.id
    devices.remove_device(device, actor="admin")
    assert db.session.get(Device, device_id) is None
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.id > since, AuditEvent.entity == "device")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["device.create", "device.register", "device.remove"]


def health_when(device: Device, last_seen: datetime, now: datetime) -> devices.DeviceState:
    device.last_seen_at = stored(last_seen)
    return devices.device_health(device, now).state


def test_a_device_heard_from_in_the_last_minutes_is_fine(hall):
    device, _secret = registered(hall)
    state = health_when(device, city(MONDAY, "10:00"), city(MONDAY, "10:04"))
    assert state == devices.DeviceState.OK


def test_a_device_quiet_while_its_hall_is_open_is_silent(hall):
    device, _secret = registered(hall)
    state = health_when(device, city(MONDAY, "10:00"), city(MONDAY, "10:30"))
    assert state == devices.DeviceState.SILENT


def test_a_screen_switched_off_at_closing_time_is_off_by_schedule_overnight(hall):
    device, _secret = registered(hall)
    state = health_when(device, city(MONDAY, "17:00"), city(MONDAY, "22:00"))
    assert state == devices.DeviceState.ASLEEP


def test_a_screen_switched_on_at_opening_has_a_few_minutes_before_it_counts_as_silent(hall):
    device, _secret = registered(hall)
    last_evening = city(MONDAY, "17:00")
    tuesday = MONDAY + timedelta(days=1)
    assert health_when(device, last_evening, city(tuesday, "09:03")) == devices.DeviceState.ASLEEP
    assert health_when(device, last_evening, city(tuesday, "09:30")) == devices.DeviceState.SILENT


def test_a_device_that_went_quiet_during_opening_hours_stays_flagged_at_night(hall):
    device, _secret = registered(hall)
    state = health_when(device, city(MONDAY, "14:00"), city(MONDAY, "23:00"))
    assert state == devices.DeviceState.SILENT


def test_devices_are_listed_by_hall_kind_and_name(hall):
    registered(hall, "kiosk")
    registered(hall, "board")
    listed = [d for d in devices.all_devices() if d.hall_id == hall.id]
    assert [d.kind for d in listed] == sorted(d.kind for d in listed)
