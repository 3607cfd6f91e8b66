"""Routes of hearings for residents: /hearings, /hearings/<id> (+ comments) and the feed."""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext

from kiosk import caching
from kiosk.caching import cached_page
from kiosk.hearings import hearings_bp
from kiosk.hearings.forms import CommentForm, SignupForm
from kiosk.htmx import render_view
from kiosk.public.ratings import request_source
from services import clock
from services.catalogue import queries as catalogue
from services.content.localize import localized_content
from services.db import db
from services.hearings import comments, signups
from services.hearings import queries as hearings
from services.hearings.comparison import compare
from services.hearings.models import Hearing, SignupRole

FEED_ENTRIES = 50


def comment_problem(code: str) -> str:
    return {
        "window_shut": gettext("Comments are taken only while the window is open."),
        "empty": gettext("Write your comment first."),
        "too_long": gettext("A comment can be at most 2000 characters long."),
        "control": gettext("The text holds characters that cannot be stored; please retype it."),
        "too_many": gettext("Too many comments from here in the last hour; try again later."),
    }.get(code, code)


def signup_problem(code: str) -> str:
    return {
        "signup_shut": gettext("Sign-up to attend is closed."),
        "missing": gettext("Give your name and a phone or e-mail."),
        "too_long": gettext("One of the answers is too long; please shorten it."),
        "control": gettext("The text holds characters that cannot be stored; please retype it."),
        "too_many": gettext("Too many sign-ups from here in the last hour; try again later."),
    }.get(code, code)


@hearings_bp.get("/hearings")
@cached_page
def hearing_list():
    now = clock.now()
    found = hearings.all_hearings()
    caching.changes_at(hearings.next_stage_change(found, now))
    stages = {h.id: hearings.stage_at(h, now) for h in found}
    return render_view(
        "hearings/hearing_list",
        title=gettext("Price hearings and consultations"),
        back_url=url_for("public.home"),
        upcoming=[
            h for h in found if stages[h.id] in (hearings.Stage.ANNOUNCED, hearings.Stage.OPEN)
        ],
        past=[
            h for h in found if stages[h.id] in (hearings.Stage.CLOSED, hearings.Stage.CONCLUDED)
        ],
        stages=stages,
    )


def hearing_page(
    hearing: Hearing,
    form: CommentForm,
    status: int = 200,
    signup_form: SignupForm | None = None,
    **extra,
):
    now = clock.now()
    locale = str(get_locale())
    current = catalogue.current_revision(hearing.item)
    draft, mode = localized_content(hearing.draft_content, locale)
    comparison = None
    if current is not None:
        in_force = localized_content(current.content, locale)[0]
        comparison = compare(in_force, draft, hearing.fee_index)
    codes = [ref["code"] for ref in draft["fees"][hearing.fee_index].get("basis", [])]
    return render_view(
        "hearings/hearing_detail",
        status=status,
        title=hearing.title,
        back_url=url_for("hearings.hearing_list"),
        hearing=hearing,
        stage=hearings.stage_at(hearing, now),
        tariff_name=draft["name"],
        content_mode=mode,
        current=current,
        comparison=comparison,
        bases=catalogue.bases_by_code(codes),
        form=form,
        is_open=comments.window_is_open(hearing, now),
        thanks=extra.get("thanks", False),
        problem=extra.get("problem"),
        signup_form=signup_form or SignupForm(),
        takes_signups=signups.takes_signups(hearing),
        signup_open=signups.signup_is_open(hearing, now),
        signed=extra.get("signed", False),
        signup_problem=extra.get("signup_problem"),
    )


@hearings_bp.get("/hearings/<int:hearing_id>")
def hearing_detail(hearing_id: int):
    hearing = db.session.get(Hearing, hearing_id) or abort(404)
    return hearing_page(
        hearing,
        CommentForm(),
        thanks=request.args.get("sent") == "1",
        signed=request.args.get("signed") == "1",
    )


@hearings_bp.post("/hearings/<int:hearing_id>/comments")
def hearing_comment(hearing_id: int):
    hearing = db.session.get(Hearing, hearing_id) or abort(404)
    form = CommentForm()
    if not form.validate_on_submit():
        return hearing_page(hearing, form, status=400)
    source = request_source()
    try:
        comments.add_comment(
            hearing,
            form.body.data,
            form.name.data or "",
            form.contact.data or "",
            source,
            clock.now(),
            current_app.config["HEARING_COMMENTS_PER_HOUR"],
        )
    except comments.CommentError as error:
        db.session.rollback()
        status = 429 if error.code == "too_many" else 422
        return hearing_page(hearing, form, status=status, problem=comment_problem(error.code))
    db.session.commit()
    return redirect(url_for("hearings.hearing_detail", hearing_id=hearing.id, sent=1) + "#thanks")


@hearings_bp.post("/hearings/<int:hearing_id>/signups")
def hearing_signup(hearing_id: int):
    hearing = db.session.get(Hearing, hearing_id) or abort(404)
    form = SignupForm()
    if not form.validate_on_submit():
        return hearing_page(hearing, CommentForm(), status=400, signup_form=form)
    try:
        signups.sign_up(
            hearing,
            SignupRole(form.signup_role.data),
            form.signup_name.data,
            form.signup_contact.data,
            form.signup_represents.data or "",
            request_source(),
            clock.now(),
            current_app.config["HEARING_SIGNUPS_PER_HOUR"],
        )
    except signups.SignupError as error:
        db.session.rollback()
        status = 429 if error.code == "too_many" else 422
        return hearing_page(
            hearing,
            CommentForm(),
            status=status,
            signup_form=form,
            signup_problem=signup_problem(error.code),
        )
    db.session.commit()
    target = url_for("hearings.hearing_detail", hearing_id=hearing.id, signed=1)
    return redirect(target + "#signed")


@hearings_bp.get("/hearings.atom")
def hearing_feed():
    now = clock.now()
    rows = hearings.all_hearings()[:FEED_ENTRIES]
    newest = max((h.summary_published_at or h.published_at for h in rows), default=clock.utcnow())
    body = render_template(
        "hearings/hearings.atom.xml",
        hearings=rows,
        stages={h.id: hearings.stage_at(h, now) for h in rows},
        updated=newest.isoformat() + "Z",
        city=current_app.config["CITY_NAME"],
    )
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response
