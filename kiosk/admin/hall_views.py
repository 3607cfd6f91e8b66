"""The admin's screens for halls: address, weekly hours, closures and extra opening days,
utilities shown, the kiosks' idle time, the board's slides and the hall's notices."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as L_
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from kiosk.admin import admin_bp
from kiosk.admin.forms import WEEKDAY_NAMES, HallForm
from kiosk.htmx import render_view
from kiosk.refusals import show_refusal
from services.administration import halls as hall_records
from services.administration import utilities
from services.administration.problems import Refused
from services.catalogue import halls
from services.catalogue.halls import DEFAULT_IDLE_SECONDS
from services.db import db
from services.devices.board import DEFAULT_SLIDE_SECONDS, SLIDE_KINDS, slide_order
from services.models import Hall

# Blank rows offered below the stored ones, to add closures and notices without scripts.
BLANK_ROWS = 3
SLIDE_LABELS = {
    "notices": L_("Hall notices"),
    "tariffs": L_("Price tables"),
    "fees": L_("Fees"),
    "upcoming": L_("Coming changes"),
    "hotlines": L_("Hotlines"),
}


def _stored(hall: Hall | None) -> dict:
    """The form's data for a hall as stored (or a new hall's defaults)."""
    settings = (hall.settings if hall else {}) or {}
    weekly = hall_records.weekly_periods(hall) if hall else {}
    days = []
    for weekday in range(1, 8):
        periods = weekly.get(weekday, [])
        first = periods[0] if periods else None
        second = periods[1] if len(periods) > 1 else None
        days.append(
            {
                "opens": first.opens if first else "",
                "closes": first.closes if first else "",
                "opens2": second.opens if second else "",
                "closes2": second.closes if second else "",
            }
        )
    exceptions = [
        {
            "on": row["on"],
            "closed": bool(row.get("closed")),
            "opens": row.get("opens", ""),
            "closes": row.get("closes", ""),
            "note": row.get("note", ""),
        }
        for row in (hall.exceptions if hall else []) or []
    ]
    shown = slide_order(hall) if hall else list(SLIDE_KINDS)
    slides = [
        {
            "kind": kind,
            "shown": kind in shown,
            "order": shown.index(kind) + 1 if kind in shown else None,
        }
        for kind in sorted(
            SLIDE_KINDS, key=lambda k: (k not in shown, shown.index(k) if k in shown else 0)
        )
    ]
    notices = [
        {
            "text": row.get("text", ""),
            "text_en": (row.get("translations") or {}).get("en", {}).get("text", ""),
            "starts": row.get("from"),
            "ends": row.get("until"),
        }
        for row in settings.get("notices", [])
    ]
    return {
        "slug": hall.slug if hall else "",
        "name": hall.name if hall else "",
        "address": hall.address if hall else "",
        "days": days,
        "exceptions": exceptions + [{}] * BLANK_ROWS,
        "slides": slides,
        "notices": notices + [{}] * BLANK_ROWS,
        "idle_seconds": settings.get("idle_seconds", DEFAULT_IDLE_SECONDS),
        "slide_seconds": settings.get("slide_seconds", DEFAULT_SLIDE_SECONDS),
        "closed_on_public_holidays": halls.follows_public_holidays(hall) if hall else True,
    }


def hall_form(hall: Hall | None) -> HallForm:
    form = HallForm()
    if not form.is_submitted():
        stored = _stored(hall)
        form = HallForm(formdata=None, **stored)
        for row, values in zip(form.exceptions, stored["exceptions"], strict=False):
            if values.get("on"):
                row.form.on.data = _date(values["on"])
        for row, values in zip(form.notices, stored["notices"], strict=False):
            row.form.starts.data = _date(values.get("starts"))
            row.form.ends.data = _date(values.get("ends"))
        if hall is not None:
            form.utilities.data = [u.slug for u in hall.utilities]
            for lang in ("zh_Hant", "en"):
                value = (hall.translations or {}).get(lang, {}).get("name", "")
                getattr(form, f"name_{lang.lower()}").data = value
    form.utilities.choices = [SelectChoice(u.slug, u.name) for u in utilities.all_utilities()]
    return form


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def hall_data(form: HallForm) -> hall_records.HallData:
    weekly: dict[int, list[hall_records.Period]] = {}
    for weekday, day in enumerate(form.days, start=1):
        for opens, closes in ((day.opens, day.closes), (day.opens2, day.closes2)):
            if opens.data and closes.data:
                weekly.setdefault(weekday, []).append(
                    hall_records.Period(opens.data.strip(), closes.data.strip())
                )
    exceptions = []
    for row in form.exceptions:
        if row.form.is_blank:
            continue
        period = None
        if not row.closed.data:
            period = hall_records.Period(row.opens.data.strip(), row.closes.data.strip())
        exceptions.append(
            hall_records.DayException(
                row.on.data, bool(row.closed.data), period, row.note.data or ""
            )
        )
    notices = [
        hall_records.HallNotice(
            row.text.data.strip(), (row.text_en.data or "").strip(), row.starts.data, row.ends.data
        )
        for row in form.notices
        if row.text.data and row.text.data.strip()
    ]
    shown = sorted(
        (row for row in form.slides if row.shown.data and row.kind.data in SLIDE_KINDS),
        key=lambda row: (
            row.order.data is None,
            row.order.data or 0,
            SLIDE_KINDS.index(row.kind.data),
        ),
    )
    chosen = set(form.utilities.data or [])
    return hall_records.HallData(
        slug=form.slug.data.strip(),
        name=form.name.data,
        address=form.address.data or "",
        weekly=weekly,
        exceptions=exceptions,
        utilities=[u for u in utilities.all_utilities() if u.slug in chosen],
        closed_on_public_holidays=bool(form.closed_on_public_holidays.data),
        idle_seconds=form.idle_seconds.data,
        slide_seconds=form.slide_seconds.data,
        board_slides=[row.kind.data for row in shown],
        notices=notices,
        translations={
            lang: {"name": getattr(form, f"name_{lang.lower()}").data or ""}
            for lang in ("zh_Hant", "en")
        },
    )


@admin_bp.get("/halls/")
def hall_list():
    return render_view(
        "admin/hall_list",
        title=gettext("Halls"),
        back_url=url_for("admin.dashboard"),
        rows=halls.all_halls(),
    )


def form_page(form: HallForm, hall: Hall | None, status: int = 200):
    return render_view(
        "admin/hall_form",
        status=status,
        title=hall.name if hall else gettext("New hall"),
        back_url=url_for("admin.hall_list"),
        form=form,
        hall=hall,
        weekday_names=WEEKDAY_NAMES,
        slide_labels=SLIDE_LABELS,
    )


def save(form: HallForm, hall: Hall | None):
    if not form.validate_on_submit():
        return form_page(form, hall, status=400 if form.is_submitted() else 200)
    try:
        saved = hall_records.save_hall(hall_data(form), current_user.username, hall)
    except Refused as error:
        db.session.rollback()
        show_refusal(form, error)
        return form_page(form, hall, status=422)
    db.session.commit()
    flash(gettext("Saved: %(name)s.", name=saved.name))
    return redirect(url_for("admin.hall_list"))


@admin_bp.route("/halls/new", methods=["GET", "POST"])
def hall_new():
    return save(hall_form(None), None)


@admin_bp.route("/halls/<int:hall_id>/edit", methods=["GET", "POST"])
def hall_edit(hall_id: int):
    hall = db.session.get(Hall, hall_id) or abort(404)
    return save(hall_form(hall), hall)
