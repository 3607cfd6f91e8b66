"""The editor's outage notices: a utility's list, publishing one (with the notice-period
warning), extending it and ending it early."""

from __future__ import annotations

from datetime import datetime
from functools import partial

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from kiosk.editor import editor_bp
from kiosk.editor.access import EDIT, VIEW, authorize, chosen_utility, may
from kiosk.editor.forms import OutageEndForm, OutageExtendForm, OutageForm
from kiosk.filters import translated
from kiosk.htmx import render_view
from services import clock
from services.catalogue import queries as catalogue
from services.db import db
from services.models import Channel, Role, Utility
from services.outages import publishing
from services.outages import queries as outages
from services.outages.models import Outage, OutageKind
from services.outages.presenting import outage_view, outage_views


def problem_message(code: str) -> str:
    """What the editor reads for an OutageError's code."""
    return {
        "area_missing": gettext("Describe the affected area."),
        "end_before_start": gettext("The expected end must be after the start."),
        "too_long": gettext("An outage can be announced for at most 60 days."),
        "already_over": gettext("This outage is already over."),
        "unknown_channel": gettext("Choose a contact of this utility or of the city."),
        "not_later": gettext("The new expected end must be later than the present one."),
    }.get(code, code)


def city_moment(value: datetime) -> datetime:
    """A time typed in the form, read as the city's local time."""
    return value.replace(tzinfo=clock.city_zone())


def channel_choices(utility: Utility) -> list[SelectChoice]:
    """The utility's own channels, then the city's that serve every sector or its sector:
    a water outage is never signed with the telecom regulator's line."""
    city_wide = Channel.utility_id.is_(None) & (
        Channel.sector.is_(None) | (Channel.sector == utility.sector)
    )
    channels = db.session.scalars(
        select(Channel)
        .where((Channel.utility_id == utility.id) | city_wide)
        .order_by(Channel.utility_id.is_(None), Channel.id)
    )
    return [SelectChoice(0, "—")] + [
        SelectChoice(c.id, f"{translated(c, 'name')} {c.phone}".strip()) for c in channels
    ]


def load_outage(outage_id: int, action: str) -> Outage:
    """The outage, or 404; then 403 unless the user may `action` in its utility."""
    outage = db.session.get(Outage, outage_id) or abort(404)
    authorize(action, outage.utility_id)
    return outage


@editor_bp.get("/outages")
def outage_list():
    utility = chosen_utility()
    now = clock.now()
    rows = []
    if utility is not None:
        authorize(VIEW, utility.id)
        rows = db.session.scalars(outages.outage_query(utility).limit(200)).all()
    return render_view(
        "editor/outage_list",
        title=gettext("Outages"),
        back_url=url_for("editor.dashboard"),
        utility=utility,
        utilities=catalogue.list_utilities() if current_user.role != Role.EDITOR else [],
        views=outage_views(list(rows), "zh_Hans", now),
        can_edit=utility is not None and may(EDIT, utility.id),
    )


def form_page(utility: Utility, form: OutageForm, status: int = 200, **extra):
    return render_view(
        "editor/outage_new",
        status=status,
        title=gettext("New outage notice"),
        back_url=url_for("editor.outage_list", utility=utility.slug),
        utility=utility,
        form=form,
        check=extra.get("check"),
        problem=extra.get("problem"),
    )


@editor_bp.route("/outages/new", methods=["GET", "POST"])
def outage_new():
    utility = chosen_utility()
    if utility is None:
        return redirect(url_for("editor.outage_list"))
    authorize(EDIT, utility.id)
    form = OutageForm()
    form.channel.choices = channel_choices(utility)
    if not form.validate_on_submit():
        return form_page(utility, form, status=400 if request.method == "POST" else 200)
    now = clock.now()
    data = publishing.OutageData(
        kind=OutageKind(form.kind.data),
        area=form.area.data,
        starts_at=city_moment(form.starts_at.data),
        ends_at=city_moment(form.ends_at.data),
        reason=form.reason.data or "",
        advice=form.advice.data or "",
        districts=publishing.split_names(form.districts.data or ""),
        streets=publishing.split_names(form.streets.data or ""),
        channel_id=form.channel.data or None,
    )
    try:
        publishing.validate(data, utility, now)
    except publishing.OutageError as error:
        return form_page(utility, form, status=422, problem=problem_message(error.code))
    hours = current_app.config["OUTAGE_NOTICE_HOURS"]
    check = publishing.notice_check(data, utility, now, hours)
    if check.is_short and not form.accept_short_notice.data:
        # Allowed, but only once the editor has seen how short the notice is.
        return form_page(utility, form, status=200, check=check)
    outage = publishing.publish_outage(
        data, utility, current_user.username, now, hours, author_id=current_user.id
    )
    db.session.commit()
    flash(gettext("The outage is published."))
    return redirect(url_for("editor.outage_detail", outage_id=outage.id))


def detail_page(outage: Outage, status: int = 200, problem: str | None = None, **forms):
    now = clock.now()
    view = outage_view(outage, "zh_Hans", now)
    return render_view(
        "editor/outage_detail",
        status=status,
        title=gettext("Outage notice"),
        back_url=url_for("editor.outage_list", utility=outage.utility.slug),
        view=view,
        problem=problem,
        can_change=may(EDIT, outage.utility_id) and not publishing.is_over(outage, now),
        extend_form=forms.get("extend_form")
        or OutageExtendForm(version=outage.version, ends_at=view.ends_at.replace(tzinfo=None)),
        end_form=forms.get("end_form") or OutageEndForm(version=outage.version),
    )


@editor_bp.get("/outages/<int:outage_id>")
def outage_detail(outage_id: int):
    return detail_page(load_outage(outage_id, VIEW))


@editor_bp.post("/outages/<int:outage_id>/extend")
def outage_extend(outage_id: int):
    outage = load_outage(outage_id, EDIT)
    form = OutageExtendForm()
    if not form.validate_on_submit():
        return detail_page(outage, status=400, extend_form=form)
    change = partial(
        publishing.extend_outage,
        outage,
        city_moment(form.ends_at.data),
        form.note.data or "",
        current_user.username,
        clock.now(),
        form.version.data,
    )
    return changed(outage, change, gettext("The new expected end is published."))


@editor_bp.post("/outages/<int:outage_id>/end")
def outage_end(outage_id: int):
    outage = load_outage(outage_id, EDIT)
    form = OutageEndForm()
    if not form.validate_on_submit():
        return detail_page(outage, status=400, end_form=form)
    change = partial(
        publishing.end_outage,
        outage,
        form.note.data or "",
        current_user.username,
        clock.now(),
        form.version.data,
    )
    return changed(outage, change, gettext("The outage is marked as over."))


def changed(outage, change, done: str):
    """Run an extension or an early end: committed and announced, or the page with why not."""
    try:
        change()
    except publishing.OutageError as error:
        db.session.rollback()
        return detail_page(outage, status=422, problem=problem_message(error.code))
    except publishing.StaleOutage:
        db.session.rollback()
        message = gettext("Someone changed this outage meanwhile; here it is as it is now.")
        return detail_page(outage, status=409, problem=message)
    db.session.commit()
    flash(done)
    return redirect(url_for("editor.outage_detail", outage_id=outage.id))
