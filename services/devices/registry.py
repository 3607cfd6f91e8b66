"""Kiosks and wall boards: one-time registration links, device secrets, heartbeats, and
which devices have gone silent while their hall is open.

An admin creates a registration for a hall and a kind; the link carries a one-time token
(only its hash is stored). Opening the link on the device burns the token and gives the
device a long-lived secret for its cookie (again, only the hash is stored). The device
then sends a heartbeat every minute with the version of the content it shows.
"""

from __future__ import annotations

import enum
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from services import clock
from services.catalogue import halls
from services.db import db
from services.models import Device, Hall
from services.publishing import audit

KINDS = ("kiosk", "board")
REGISTRATION_VALID_FOR = timedelta(hours=48)
# Devices send a heartbeat every minute; this long without one while the hall is open
# (and after the device has had time to start up) counts as silent.
SILENT_AFTER = timedelta(minutes=5)
# How far back the hall's schedule is searched for time the device should have been on.
LOOK_BACK = timedelta(days=14)
VERSION_TEXT = re.compile(r"[^A-Za-z0-9._-]")


class DeviceState(enum.StrEnum):
    WAITING = "waiting"  # the registration link has not been opened yet
    EXPIRED = "expired"  # ... and now it never will be
    OK = "ok"
    ASLEEP = "asleep"  # quiet, but its hall has been closed: off by schedule
    SILENT = "silent"  # quiet while it should have been on


@dataclass(frozen=True)
class DeviceHealth:
    device: Device
    state: DeviceState

    @property
    def is_silent(self) -> bool:
        return self.state == DeviceState.SILENT


class DeviceError(ValueError):
    """A registration that cannot be made as asked; the message says why."""


def secret_hash(secret: str) -> str:
    """The stored form of a token or device secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _describe(device: Device) -> dict[str, object]:
    return {"hall": device.hall.slug, "kind": device.kind, "name": device.name}


def create_registration(hall: Hall, kind: str, name: str, actor: str) -> tuple[Device, str]:
    """Add a device waiting for registration; returns it and the link's one-time token."""
    if kind not in KINDS:
        raise DeviceError(f"a device is a kiosk or a board, not {kind!r}")
    name = name.strip()
    if not name:
        raise DeviceError("a device needs a name")
    token = secrets.token_urlsafe(24)
    device = Device(
        hall=hall,
        kind=kind,
        name=name[:120],
        registration_hash=secret_hash(token),
        registration_expires_at=clock.utcnow() + REGISTRATION_VALID_FOR,
    )
    db.session.add(device)
    db.session.flush()
    audit.record(actor, "device.create", "device", device.id, None, _describe(device))
    return device, token


def pending_registration(token: str) -> Device | None:
    """The device a registration token is for, while the token is unused and unexpired."""
    return db.session.scalar(
        select(Device).where(
            Device.registration_hash == secret_hash(token),
            Device.registration_expires_at > clock.utcnow(),
        )
    )


def register(token: str) -> tuple[Device, str] | None:
    """Burn the one-time token; returns the device and its new secret, or None if the token
    was already used or has expired."""
    secret = secrets.token_urlsafe(32)
    now = clock.utcnow()
    # One UPDATE both checks and burns the token, so two devices opening the same link at
    # the same moment cannot both get it.
    burnt = db.session.execute(
        update(Device)
        .where(
            Device.registration_hash == secret_hash(token),
            Device.registration_expires_at > now,
        )
        .values(
            registration_hash=None,
            registration_expires_at=None,
            token_hash=secret_hash(secret),
            registered_at=now,
            last_seen_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if burnt.rowcount != 1:
        return None
    device = device_by_secret(secret)
    db.session.refresh(device)
    audit.record("device", "device.register", "device", device.id, None, _describe(device))
    return device, secret


def device_by_secret(secret: str | None) -> Device | None:
    """The registered device whose cookie carries `secret`, or None."""
    if not secret:
        return None
    return db.session.scalar(select(Device).where(Device.token_hash == secret_hash(secret)))


def record_heartbeat(device: Device, content_version: str) -> Device:
    """Note that the device is alive and which version of its hall's content it shows."""
    device.last_seen_at = clock.utcnow()
    device.content_version = VERSION_TEXT.sub("", content_version)[:64]
    db.session.flush()
    return device


def remove_device(device: Device, actor: str) -> None:
    """Forget a device (or an unused registration); its cookie stops working."""
    audit.record(actor, "device.remove", "device", device.id, _describe(device), None)
    db.session.delete(device)
    db.session.flush()


def _city_time(utc_naive: datetime) -> datetime:
    return utc_naive.replace(tzinfo=UTC).astimezone(clock.city_zone())


def device_health(device: Device, at: datetime | None = None) -> DeviceHealth:
    """Whether the device is waiting for registration, fine, off by schedule, or silent.

    A device is silent when, during some opening period of its hall since its last
    heartbeat, more than SILENT_AFTER passed without one; the grace period counts from the
    opening, so a screen switched on at opening time is not flagged.
    """
    at = halls.local(at)
    if device.registered_at is None:
        expires = device.registration_expires_at
        waiting = expires is not None and _city_time(expires) > at
        return DeviceHealth(device, DeviceState.WAITING if waiting else DeviceState.EXPIRED)
    last_seen = _city_time(device.last_seen_at or device.registered_at)
    if at - last_seen <= SILENT_AFTER:
        return DeviceHealth(device, DeviceState.OK)
    since = max(last_seen, at - LOOK_BACK)
    for period in halls.open_periods(device.hall, since.date(), at.date()):
        if max(period.opens, last_seen) + SILENT_AFTER < min(period.closes, at):
            return DeviceHealth(device, DeviceState.SILENT)
    return DeviceHealth(device, DeviceState.ASLEEP)


def all_devices() -> list[Device]:
    """Every device and pending registration, by hall, kind and name."""
    return list(
        db.session.scalars(
            select(Device)
            .join(Device.hall)
            .order_by(Hall.name, Device.kind, Device.name, Device.id)
        )
    )
