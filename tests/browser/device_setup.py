"""Registering a browser as a hall's kiosk or board, as an admin's link would, for tests.

The fixture `register_device` is imported by the test modules that use it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from services.db import db
from services.devices import registry as devices
from services.models import Device
from services.notices.render import hall_by_slug


@pytest.fixture(name="register_device")
def register_device_fixture(app, live_server):
    """Opens a fresh registration link in the page and confirms it; devices are removed after."""
    made: list[int] = []

    def register(page, hall_slug: str, kind: str) -> int:
        with app.app_context():
            hall = hall_by_slug(hall_slug)
            device, token = devices.create_registration(hall, kind, "测试屏", actor="test")
            db.session.commit()
            made.append(device.id)
        page.goto(f"{live_server.url}/device/register/{token}")
        page.locator("#register-form button").click()
        page.wait_for_url(f"{live_server.url}/{'board/' + hall_slug if kind == 'board' else ''}")
        return made[-1]

    yield register
    with app.app_context():
        db.session.execute(delete(Device).where(Device.id.in_(made)))
        db.session.commit()
