"""The admin's screens: the list of devices, with registration links and removal."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from kiosk.admin import admin_bp
from kiosk.admin.forms import RegistrationForm
from kiosk.board.versions import screen_version
from kiosk.filters import translated
from kiosk.forms import ActionForm
from kiosk.htmx import render_view
from kiosk.offline import manifest_version
from services.catalogue import halls
from services.db import db
from services.devices import registry as devices
from services.models import Device, Hall
from services.notices.render import hall_by_slug


def expected_versions(rows: list[devices.DeviceHealth]) -> dict[tuple[int, str], str]:
    """The version each (hall, kind) of device should report when it is up to date."""
    expected: dict[tuple[int, str], str] = {}
    for row in rows:
        hall, kind = row.device.hall, row.device.kind
        if (hall.id, kind) not in expected:
            expected[hall.id, kind] = (
                screen_version(hall) if kind == "board" else manifest_version(hall)
            )
    return expected


def registration_form(all_halls: list[Hall]) -> RegistrationForm:
    form = RegistrationForm()
    form.hall.choices = [SelectChoice(hall.slug, translated(hall, "name")) for hall in all_halls]
    return form


@admin_bp.route("/devices/", methods=["GET", "POST"])
def device_list():
    form = registration_form(halls.all_halls())
    link, status = None, 200
    if form.validate_on_submit():
        hall = hall_by_slug(form.hall.data) or abort(400)
        try:
            device, token = devices.create_registration(
                hall, form.kind.data, form.name.data, actor=current_user.username
            )
        except devices.DeviceError:
            abort(400)
        db.session.commit()
        # Shown once: only the token's hash is kept.
        link = url_for("devices.register", token=token, _external=True)
        form.name.data = ""
        status = 201
    rows = [devices.device_health(device) for device in devices.all_devices()]
    return render_view(
        "admin/device_list",
        status=status,
        title=gettext("Devices"),
        back_url=None,
        form=form,
        link=link,
        rows=rows,
        expected=expected_versions(rows),
        action_form=ActionForm(),
    )


@admin_bp.post("/devices/<int:device_id>/remove")
def device_remove(device_id: int):
    device = db.session.get(Device, device_id) or abort(404)
    if ActionForm().validate_on_submit():
        devices.remove_device(device, actor=current_user.username)
        db.session.commit()
        flash(gettext("The device was removed; its screen is no longer registered."))
    return redirect(url_for("admin.device_list"))
