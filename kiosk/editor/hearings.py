"""The editor's hearings and consultations: announcing one on a tariff, reading residents'
comments (with their contacts: the utility's staff and admins only), and publishing the
summary after the window."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from kiosk.editor import editor_bp
from kiosk.editor.access import EDIT, VIEW, authorize, chosen_utility, may
from kiosk.editor.forms import HearingForm, HearingSummaryForm
from kiosk.htmx import render_view
from services import clock
from services.catalogue import queries as catalogue
from services.db import db
from services.hearings import comments, publishing, signups
from services.hearings import queries as hearings
from services.hearings.models import Hearing, HearingKind
from services.models import Item, ItemKind, Role


def problem_message(code: str, line: int | None = None) -> str:
    """What the editor reads for a HearingError's code."""
    if code == "tier_line":
        return gettext(
            "Line %(n)d of the proposed tiers cannot be read; write it as 180-260 7.00.", n=line
        )
    return {
        "tiers_missing": gettext("Enter the proposed tiers."),
        "tiers_invalid": gettext(
            "The proposed tiers must start at 0, follow each other without gaps, and the "
            "last must be open-ended (260- 9.00)."
        ),
        "not_a_tariff": gettext("Only a tariff can be put to a hearing."),
        "no_tiers": gettext("This tariff has no tiered price in force to compare with."),
        "title_missing": gettext("Give the hearing a title."),
        "window_backwards": gettext("The comment window must end after it opens."),
        "window_over": gettext("The comment window must end in the future."),
        "meeting_missing": gettext("A hearing needs the time and place of the meeting."),
        "signup_missing": gettext("A hearing needs a deadline for signing up to attend."),
        "signup_window": gettext(
            "The sign-up deadline must be in the future and not after the meeting."
        ),
        "signup_places": gettext("The number of places must be from 1 to 999."),
        "stale": gettext("Someone changed this hearing meanwhile; here it is as it is now."),
        "summary_published": gettext("The outcome is already published."),
        "window_open": gettext("The outcome can be published once the comment window closes."),
        "points_missing": gettext("Summarise the main points of the comments."),
    }.get(code, code)


def city_moment(value: datetime | None) -> datetime | None:
    return None if value is None else value.replace(tzinfo=clock.city_zone())


def load_hearing(hearing_id: int, action: str) -> Hearing:
    """The hearing, or 404; then 403 unless the user may `action` in its utility."""
    hearing = db.session.get(Hearing, hearing_id) or abort(404)
    authorize(action, hearing.utility_id)
    return hearing


@editor_bp.get("/hearings")
def hearing_list():
    utility = chosen_utility()
    now = clock.now()
    found, tariffs = [], []
    if utility is not None:
        authorize(VIEW, utility.id)
        found = hearings.all_hearings(utility)
        tariffs = publishing.tariffs_of(utility) if may(EDIT, utility.id) else []
    current = catalogue.current_revisions(tariffs)
    return render_view(
        "editor/hearing_list",
        title=gettext("Price hearings and consultations"),
        back_url=url_for("editor.dashboard"),
        utility=utility,
        utilities=catalogue.list_utilities() if current_user.role != Role.EDITOR else [],
        hearings=found,
        stages={h.id: hearings.stage_at(h, now) for h in found},
        tariffs=[(item, current.get(item.id)) for item in tariffs],
    )


def form_page(item: Item, form: HearingForm, status: int = 200, problem: str | None = None):
    return render_view(
        "editor/hearing_new",
        status=status,
        title=gettext("Announce a hearing"),
        back_url=url_for("editor.hearing_list", utility=item.utility.slug),
        item=item,
        current=catalogue.current_revision(item),
        form=form,
        problem=problem,
    )


@editor_bp.route("/hearings/new", methods=["GET", "POST"])
def hearing_new():
    item_id = request.args.get("item", type=int)
    item = (db.session.get(Item, item_id) if item_id else None) or abort(404)
    if item.kind != ItemKind.TARIFF:
        abort(404)
    authorize(EDIT, item.utility_id)
    form = HearingForm()
    current = catalogue.current_revision(item)
    index = publishing.tiered_fee_index(current.content) if current else None
    if index is None:
        abort(404)
    if request.method == "GET":
        form.draft_tiers.data = publishing.tiers_text(current.content["fees"][index]["pricing"])
    if not form.validate_on_submit():
        return form_page(item, form, status=400 if request.method == "POST" else 200)
    data = publishing.HearingData(
        kind=HearingKind(form.kind.data),
        title=form.title.data,
        draft_tiers=form.draft_tiers.data,
        comments_open_at=city_moment(form.comments_open_at.data),
        comments_close_at=city_moment(form.comments_close_at.data),
        proposal=form.proposal.data or "",
        reasons=form.reasons.data or "",
        basis=form.basis.data or "",
        held_at=city_moment(form.held_at.data),
        place=form.place.data or "",
        how_to_take_part=form.how_to_take_part.data or "",
        signup_close_at=city_moment(form.signup_close_at.data),
        signup_places=form.signup_places.data,
    )
    try:
        hearing = publishing.announce_hearing(
            data, item, current_user.username, clock.now(), author_id=current_user.id
        )
    except publishing.HearingError as error:
        db.session.rollback()
        return form_page(item, form, status=422, problem=problem_message(error.code, error.line))
    db.session.commit()
    flash(gettext("The hearing is announced."))
    return redirect(url_for("editor.hearing_detail", hearing_id=hearing.id))


def detail_page(hearing: Hearing, status: int = 200, problem: str | None = None, form=None):
    now = clock.now()
    # Contacts are personal data: the utility's own staff and admins read them, audited.
    may_read = may(EDIT, hearing.utility_id)
    found = comments.comments_for_staff(hearing, current_user.username) if may_read else []
    attending = signups.signups_for_staff(hearing, current_user.username) if may_read else []
    if may_read:
        db.session.commit()  # the reading is audited even if nothing else is written
    stage = hearings.stage_at(hearing, now)
    return render_view(
        "editor/hearing_detail",
        status=status,
        title=hearing.title,
        back_url=url_for("editor.hearing_list", utility=hearing.utility.slug),
        hearing=hearing,
        stage=stage,
        comments=found,
        signups=attending,
        signup_counts=signups.signup_counts(hearing),
        takes_signups=signups.takes_signups(hearing),
        count=publishing.comment_count(hearing),
        may_read=may_read,
        can_conclude=may_read and stage == hearings.Stage.CLOSED,
        form=form or HearingSummaryForm(version=hearing.version),
        problem=problem,
    )


@editor_bp.get("/hearings/<int:hearing_id>")
def hearing_detail(hearing_id: int):
    return detail_page(load_hearing(hearing_id, VIEW))


@editor_bp.post("/hearings/<int:hearing_id>/summary")
def hearing_summary(hearing_id: int):
    hearing = load_hearing(hearing_id, EDIT)
    form = HearingSummaryForm()
    if not form.validate_on_submit():
        return detail_page(hearing, status=400, form=form)
    try:
        publishing.publish_summary(
            hearing,
            form.points.data,
            form.accepted.data or "",
            form.not_accepted.data or "",
            current_user.username,
            clock.now(),
            form.version.data,
        )
    except publishing.HearingError as error:
        db.session.rollback()
        status = 409 if error.code in ("stale", "summary_published") else 422
        return detail_page(hearing, status=status, problem=problem_message(error.code), form=form)
    db.session.commit()
    flash(gettext("The outcome is published."))
    return redirect(url_for("editor.hearing_detail", hearing_id=hearing.id))
