"""Rectification cases in the editor: a utility's staff verify each bad review, call the
resident back, write what was done; a reviewer closes the case. The resident's phone is
shown on a page of its own, to the utility's staff and admins, each showing audited."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from kiosk.editor import editor_bp
from kiosk.editor.access import EDIT, REVIEW, VIEW, authorize, chosen_utility, may
from kiosk.editor.forms import CaseActionForm, CaseCallBackForm, CaseCloseForm, CaseVerifyForm
from kiosk.htmx import render_view
from services import clock
from services.catalogue import queries as catalogue
from services.db import db
from services.models import Role
from services.ratings import cases, contacts
from services.ratings.models import CaseStatus, RectificationCase

PROBLEMS = {
    "stale": lambda: gettext("Someone else changed this case meanwhile; here it is as it is now."),
    "state": lambda: gettext("This step does not fit the case as it is now."),
    "reason": lambda: gettext("Say why the review is not valid."),
    "action": lambda: gettext("Write what was done to put it right."),
    "no_phone": lambda: gettext("No phone number was left with this review."),
    "revision": lambda: gettext("Choose a version of this item published since the review."),
    "too_long": lambda: gettext("Please keep it to 2000 characters."),
}


def load_case(case_id: int, action: str) -> RectificationCase:
    """The case, or 404; then 403 unless the user may `action` in its utility."""
    case = db.session.get(RectificationCase, case_id) or abort(404)
    authorize(action, case.utility_id)
    return case


def _item_name(case: RectificationCase) -> str:
    return _item_names([case])[case.id]


def _item_names(listed: list[RectificationCase]) -> dict[int, str]:
    # One query for every listed case's guide, however long the list.
    current = catalogue.current_revisions(list({case.item for case in listed}))
    return {
        case.id: current[case.item_id].content.get("name", case.item.code)
        if case.item_id in current
        else case.item.code
        for case in listed
    }


def _action_form(case: RectificationCase, form: CaseActionForm | None = None) -> CaseActionForm:
    form = form or CaseActionForm(version=case.version)
    form.revision_id.choices = [SelectChoice("", gettext("The guide was not changed"))] + [
        SelectChoice(str(r.id), gettext("Version %(n)d", n=r.number))
        for r in cases.revisions_to_link(case)
    ]
    return form


def case_page(case: RectificationCase, status: int = 200, problem: str | None = None, **forms):
    can_act = may(EDIT, case.utility_id)
    return render_view(
        "editor/case_detail",
        status=status,
        title=gettext("Bad review of %(item)s", item=_item_name(case)),
        back_url=url_for("editor.case_list"),
        case=case,
        item_name=_item_name(case),
        is_overdue=cases.is_overdue(case),
        deadline_basis=cases.DEADLINE_BASIS,
        has_phone=case.rating.contact is not None,
        may_see_phone=contacts.may_see_phone(current_user, case),
        can_act=can_act and case.status != CaseStatus.CLOSED,
        can_review=may(REVIEW),
        problem=problem,
        verify_form=forms.get("verify_form") or CaseVerifyForm(version=case.version),
        call_back_form=forms.get("call_back_form") or CaseCallBackForm(version=case.version),
        action_form=_action_form(case, forms.get("action_form")),
        close_form=CaseCloseForm(version=case.version),
    )


@editor_bp.get("/cases")
def case_list():
    utility = chosen_utility()
    # Editors see their utility's cases; reviewers and admins every utility's (or ?utility=).
    open_cases = cases.open_cases(utility)
    closed = cases.recently_closed(utility)
    names = _item_names(open_cases + closed)
    return render_view(
        "editor/cases",
        title=gettext("Bad reviews to put right"),
        back_url=url_for("editor.dashboard"),
        utility=utility,
        utilities=catalogue.list_utilities() if current_user.role != Role.EDITOR else [],
        open_cases=[(case, names[case.id], cases.is_overdue(case)) for case in open_cases],
        closed=[(case, names[case.id]) for case in closed],
        today=clock.today(),
        deadline_basis=cases.DEADLINE_BASIS,
    )


@editor_bp.get("/cases/<int:case_id>")
def case_detail(case_id: int):
    return case_page(load_case(case_id, VIEW))


@editor_bp.get("/cases/<int:case_id>/phone")
def case_phone(case_id: int):
    """The resident's phone number: its own page, so that each showing is one audited view."""
    case = load_case(case_id, VIEW)
    if not contacts.may_see_phone(current_user, case):
        abort(403)
    phone = contacts.phone_of(case, current_user)
    db.session.commit()  # the audit row of this showing
    return render_view(
        "editor/case_phone",
        title=gettext("Phone number for the call back"),
        back_url=url_for("editor.case_detail", case_id=case.id),
        case=case,
        phone=phone,
    )


def _run(case: RectificationCase, form, form_name: str, step, done: str):
    if not form.validate_on_submit():
        return case_page(case, status=400, **{form_name: form})
    try:
        step(form)
    except cases.CaseError as error:
        db.session.rollback()
        fresh = db.session.get(RectificationCase, case.id)
        return case_page(fresh, status=409, problem=PROBLEMS[error.code](), **{form_name: form})
    db.session.commit()
    flash(done)
    return redirect(url_for("editor.case_detail", case_id=case.id))


@editor_bp.post("/cases/<int:case_id>/verify")
def case_verify(case_id: int):
    case = load_case(case_id, EDIT)
    form = CaseVerifyForm()
    return _run(
        case,
        form,
        "verify_form",
        lambda f: cases.verify(
            case, current_user, f.verdict.data == "valid", f.reason.data or "", f.version.data
        ),
        gettext("Verdict recorded."),
    )


@editor_bp.post("/cases/<int:case_id>/call-back")
def case_call_back(case_id: int):
    case = load_case(case_id, EDIT)
    form = CaseCallBackForm()
    return _run(
        case,
        form,
        "call_back_form",
        lambda f: cases.record_call_back(case, current_user, f.note.data or "", f.version.data),
        gettext("Call back recorded."),
    )


@editor_bp.post("/cases/<int:case_id>/action")
def case_action(case_id: int):
    case = load_case(case_id, EDIT)
    form = _action_form(case, CaseActionForm())
    return _run(
        case,
        form,
        "action_form",
        lambda f: cases.record_action(
            case,
            current_user,
            f.action_taken.data or "",
            int(f.revision_id.data) if f.revision_id.data else None,
            f.version.data,
        ),
        gettext("What was done is recorded; a reviewer closes the case."),
    )


@editor_bp.post("/cases/<int:case_id>/close")
def case_close(case_id: int):
    case = load_case(case_id, REVIEW)
    form = CaseCloseForm()
    if form.is_submitted() and form.decision.data not in ("close", "agree", "overrule"):
        abort(400)
    return _run(
        case,
        form,
        "close_form",
        lambda f: cases.close(case, current_user, f.decision.data != "overrule", f.version.data),
        gettext("Case decided."),
    )
