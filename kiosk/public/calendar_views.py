"""The holiday calendar that promised dates are counted with, shown to residents."""

from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import get_locale, gettext

from kiosk.htmx import render_view
from kiosk.public import public_bp
from services import clock
from services.calendar import working_days as calendar
from services.content.localize import to_traditional


@public_bp.get("/calendar")
def holiday_calendar():
    known_until = calendar.known_until()
    # From this year on; if this year is not published yet, the last published year too.
    first_year = min(clock.today().year, known_until.year if known_until else clock.today().year)
    days = calendar.days_from(date(first_year, 1, 1))
    # Names come from the official calendar in Simplified Chinese.
    convert = to_traditional if str(get_locale()) == "zh_Hant" else str
    return render_view(
        "public/calendar",
        title=gettext("Holiday calendar"),
        back_url=url_for("public.home"),
        days=[(day, convert(day.name)) for day in days],
        known_until=known_until,
    )
