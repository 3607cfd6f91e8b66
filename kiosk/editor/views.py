"""Signing in, the editor's item lists, editing drafts, review and publishing, and fee
spreadsheets."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import timedelta

from flask import abort, current_app, flash, make_response, redirect, request, url_for
from flask_babel import format_timedelta, get_locale, gettext, ngettext
from flask_limiter import RateLimitExceeded
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from wtforms.fields.choices import SelectChoice

from kiosk.editor import editor_bp
from kiosk.editor.access import (
    EDIT,
    REVIEW,
    VIEW,
    authorize,
    chosen_utility,
    load_item,
    load_revision,
    may,
    own_utility,
)
from kiosk.editor.content_form import (
    MAX_ROWS_PER_LIST,
    RowOpError,
    apply_row_op,
    content_fields,
    read_form,
)
from kiosk.editor.forms import (
    LoginForm,
    NewItemForm,
    PasswordChangeForm,
    ProposalForm,
    PublishForm,
    ReviewForm,
    SubmitForm,
    WithdrawForm,
)
from kiosk.extensions import limiter
from kiosk.field_labels import problem_detail, problem_text
from kiosk.filters import translated
from kiosk.forms import ActionForm
from kiosk.htmx import render_view
from kiosk.redirects import safe_next
from kiosk.refusals import account_refusal, refusal_text, show_refusal
from kiosk.staff import start_session
from services.administration import bases
from services.administration import items as item_records
from services.administration.bases import BasisData
from services.administration.problems import Refused
from services.catalogue import queries as catalogue
from services.catalogue.presenting import revision_view
from services.clock import today
from services.content.checks import check_content
from services.content.diff import diff, field_position, with_document_numbers
from services.content.schema import ContentError, content_errors
from services.content.text import TextError, content_text_problem
from services.content.translations import outdated_translations
from services.db import db
from services.fees.exporting import FORMATS, export_fee_sheet, fee_template
from services.fees.importing import apply_fee_import, plan_fee_import
from services.fees.sheet import ERROR_MESSAGES, SheetError
from services.fees.structure import WARNING_MESSAGES, tier_warnings
from services.models import ItemKind, LegalBasis, Revision, Role, Utility
from services.publishing import accounts, revisions
from services.publishing.drafts import DraftData, EditConflict, conflicting_fields, merge_drafts
from services.publishing.history import document_names
from services.spreadsheets.isolation import parse_limits


def login_limits() -> str:
    return current_app.config["LOGIN_RATE_LIMITS"]


@editor_bp.route("/login", methods=["GET", "POST"])
# Counted per address, and only failures (a sign-in redirects): whoever guesses waits
# longer and longer, and nobody else, not even for the same username.
@limiter.limit(login_limits, methods=["POST"], deduct_when=lambda r: r.status_code == 200)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("editor.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    message = None
    if form.validate_on_submit():
        result = accounts.attempt_login(form.username.data, form.password.data)
        db.session.commit()  # failed attempts are counted and audited too
        if result.outcome == accounts.LoginOutcome.OK:
            start_session(result.user)
            # Back to the editor or admin page that asked for a sign-in, never to another host.
            target = safe_next(form.next.data, url_for("editor.dashboard"), ("/editor", "/admin"))
            return redirect(target)
        message = gettext("Wrong username or password.")
    return login_page(form, message)


def login_page(form: LoginForm, message: str | None, status: int = 200):
    return render_view(
        "editor/login",
        status=status,
        title=gettext("Sign in"),
        back_url=None,
        form=form,
        message=message,
    )


CONTENT_FORM_ENDPOINTS = {"editor.revision_edit", "editor.revision_rows", "editor.revision_check"}


@editor_bp.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    """A content form whose token expired is shown again as typed, to be saved again; any
    other form gets the plain refusal."""
    revision_id = (request.view_args or {}).get("revision_id")
    if (
        request.endpoint not in CONTENT_FORM_ENDPOINTS
        or not current_user.is_authenticated
        or revision_id is None
    ):
        return error
    try:
        revision = load_revision(revision_id, EDIT)
        draft = draft_from(request.form, revision)
    except HTTPException as refusal:  # not theirs, or not the edit form: answered as such
        return refusal
    message = gettext(
        "This page was open too long to be saved safely. Nothing was saved yet: "
        "check what you typed below, then save again."
    )
    return edit_page(revision, draft, base_from(request.form) or draft, status=400, error=message)


@editor_bp.errorhandler(RateLimitExceeded)
def too_many_sign_ins(error: RateLimitExceeded):
    """The sign-in page again, saying how long this address must wait; same for every name."""
    reset_at = limiter.current_limit.reset_at if limiter.current_limit else time.time() + 60
    wait = format_timedelta(timedelta(seconds=max(1, reset_at - time.time())), threshold=2)
    message = gettext("Too many failed sign-ins from here. Try again in %(wait)s.", wait=wait)
    response = login_page(LoginForm(next=request.args.get("next", "")), message, status=429)
    response.headers["Retry-After"] = str(max(1, int(reset_at - time.time())))
    return response


@editor_bp.post("/logout")
def logout():
    if ActionForm().validate_on_submit() and current_user.is_authenticated:
        # Ends this account's sessions everywhere, so a copied cookie is worthless too.
        accounts.end_sessions(current_user)
        db.session.commit()
        logout_user()
    return redirect(url_for("editor.login"))


@editor_bp.get("/")
def dashboard():
    utility = chosen_utility()
    work = revisions.worklist(utility) if utility else []
    return render_view(
        "editor/dashboard",
        title=gettext("Editor"),
        back_url=None,
        utility=utility,
        utilities=catalogue.list_utilities() if current_user.role != Role.EDITOR else [],
        work=work,
        waiting=len(revisions.review_queue()) if may(REVIEW) else 0,
    )


@editor_bp.get("/items/<int:item_id>")
def item_detail(item_id: int):
    item = load_item(item_id, VIEW)
    current = catalogue.current_revision(item)
    return render_view(
        "editor/item_detail",
        title=(current.content["name"] if current else item.code),
        back_url=url_for("editor.dashboard", utility=item.utility.slug),
        item=item,
        history=[(r, revisions.revision_state(r)) for r in reversed(item.revisions)],
        open_revision=revisions.open_revision(item),
        can_edit=may(EDIT, item.utility_id),
        form=ActionForm(),
    )


@editor_bp.post("/items/<int:item_id>/drafts")
def draft_start(item_id: int):
    item = load_item(item_id, EDIT)
    if not ActionForm().validate_on_submit():
        abort(400)
    revision = revisions.start_draft(item, current_user)
    db.session.commit()
    return redirect(url_for("editor.revision_edit", revision_id=revision.id))


def _current(form: ReviewForm, revision: Revision) -> ReviewForm:
    # The page shows the revision as it is now, so a decision sent from it is about this
    # version, whatever version an earlier post named.
    form.version.data = revision.version
    form.version.raw_data = None  # else the posted value is shown again
    return form


def detail_page(revision, status: int = 200, problem: str | None = None, **forms):
    """The revision's page: what it changes, and the steps the user may take next."""
    base = revisions.base_revision(revision)
    utility_id = revision.item.utility_id
    state = revisions.revision_state(revision)
    return render_view(
        "editor/revision_detail",
        status=status,
        title=f"{revision.content.get('name') or revision.item.code} · "
        + gettext("Version %(n)d", n=revision.number),
        back_url=url_for("editor.item_detail", item_id=revision.item_id),
        revision=revision,
        state=state,
        base=base,
        # Staff check a cited document by its 文号, as residents will read it.
        changes=with_document_numbers(
            diff(base.content if base else None, revision.content), document_names()
        ),
        problem=problem,
        warnings=structure_warnings(revision, revision.content),
        can_edit=may(EDIT, utility_id) and revision.status in revisions.EDITABLE_STATUSES,
        can_review=may(REVIEW),
        proposed=bases.proposed_in(revision.content),
        submit_form=forms.get("submit_form") or SubmitForm(version=revision.version),
        review_form=_current(forms.get("review_form") or ReviewForm(), revision),
        # A date proposed with the draft (a fee sheet's 执行日期) is offered, if not past.
        publish_form=forms.get("publish_form")
        or PublishForm(effective_from=max(revision.effective_from or today(), today())),
        can_withdraw=state == "upcoming" and may_withdraw(revision),
        withdraw_form=forms.get("withdraw_form") or WithdrawForm(),
    )


@editor_bp.get("/revisions/<int:revision_id>")
def revision_detail(revision_id: int):
    return detail_page(load_revision(revision_id, VIEW))


@editor_bp.get("/revisions/<int:revision_id>/preview")
def revision_preview(revision_id: int):
    revision = load_revision(revision_id, VIEW)
    try:
        check_content(revision.content, revision.item.kind, revision.item.utility.sector)
    except ContentError as error:
        problem, view = error, None
    else:
        problem, view = None, revision_view(revision, str(get_locale()))
    return render_view(
        "editor/revision_preview",
        title=gettext("Preview") + " · " + (revision.content.get("name") or ""),
        back_url=url_for("editor.revision_detail", revision_id=revision.id),
        revision=revision,
        view=view,
        problem=problem,
    )


@editor_bp.post("/revisions/<int:revision_id>/submit")
def revision_submit(revision_id: int):
    revision = load_revision(revision_id, EDIT)
    form = SubmitForm()
    if not form.validate_on_submit():
        return detail_page(revision, status=400, submit_form=form)
    try:
        revisions.submit(revision, current_user, form.version.data)
    except (revisions.WorkflowError, ContentError) as error:
        db.session.rollback()
        return detail_page(revision, status=409, problem=problem_text(error))
    db.session.commit()
    flash(gettext("Sent for review."))
    return redirect(url_for("editor.revision_detail", revision_id=revision.id))


def choice_lists(utility: Utility) -> dict[str, list[tuple[str, str]]]:
    """The legal bases and channels an item of this utility may cite, as select options."""
    bases, channels = revisions.reference_lists(utility)
    return {
        "basis": [
            (b.code, f"{b.title}（{b.doc_number}）" if b.doc_number else b.title) for b in bases
        ],
        "channel": [(c.code, f"{translated(c, 'name')} {c.phone}".strip()) for c in channels],
    }


def draft_from(form: MultiDict, revision: Revision) -> DraftData:
    """What the edit form holds: content, summary, major flag, and the version it started from.

    A form past the row or field limits is shown again, cut at the limits, and not saved.
    """
    version = form.get("version", "")
    if not version.isdigit():
        abort(400)
    content, over_limit = read_form(form)
    draft = DraftData(
        content=content,
        change_summary=form.get("change_summary", "").strip(),
        is_major="is_major" in form,
        version=int(version),
        saved_by=current_user.username,
    )
    if over_limit:
        message = gettext(
            "This form has more rows or fields than allowed (at most %(rows)d rows in one list); "
            "nothing was saved. Rows past the limit are not shown.",
            rows=MAX_ROWS_PER_LIST,
        )
        abort(edit_page(revision, draft, base_from(form) or draft, status=413, error=message))
    return draft


def base_from(form: MultiDict) -> DraftData | None:
    """The version the editor's form started from (sent along as JSON), if it came back."""
    try:
        return DraftData.from_json(json.loads(form.get("base", "")))
    except ValueError:
        return None


def draft_problems(revision: Revision, draft: DraftData) -> list[ContentError]:
    """What stops the draft going to review, worded for the reader: every field the content
    schema refuses at once, or else the first problem the other checks find."""
    try:
        revisions.check_draft(revision, draft)
        return []
    except ContentError as error:
        first = error
    code = getattr(first, "code", None) or ""
    found = [first]
    if code == "missing_summary" or code.startswith("schema_"):
        # Every field that is not filled in or not in its form, not one per save.
        schema = sorted(content_errors(draft.content), key=lambda e: field_position(e.field))
        found = [first, *schema] if code == "missing_summary" else schema
    for problem in found:
        problem.message = problem_detail(problem)  # shown at the field, in the reader's language
    return found


def first_problem(revision: Revision, draft: DraftData) -> ContentError | None:
    """The first thing that would stop the draft going to review, or None."""
    problems = draft_problems(revision, draft)
    return problems[0] if problems else None


def problem_context(problems: list[ContentError]) -> dict:
    """What the edit form and its check box show of the problems."""
    problem = problems[0] if problems else None
    return {
        "problem": problem,
        "problems": problems,
        "problems_at": {p.field: p.message for p in reversed(problems)},
        "problem_text": problem_text(problem) if problem else "",
    }


def structure_warnings(revision: Revision, content: dict) -> list[tuple[str, str]]:
    """The national tier-structure rules the content breaks, as (field, message) to show."""
    return [
        (w.field, gettext(WARNING_MESSAGES[w.code], **w.params))
        for w in tier_warnings(content, revision.item.utility.sector)
    ]


def edit_page(revision: Revision, draft: DraftData, base: DraftData, status: int = 200, **notes):
    """The edit form for `draft`, with its first problem shown at the field it names.

    `base` is the saved version the form started from; it travels with the form so that a
    conflict can tell which fields this editor changed.
    """
    return render_view(
        "editor/revision_edit",
        status=status,
        title=gettext("Edit version %(n)d", n=revision.number),
        back_url=url_for("editor.revision_detail", revision_id=revision.id),
        revision=revision,
        draft=draft,
        base_json=json.dumps(base.to_json(), ensure_ascii=False),
        fields=content_fields(
            draft.content, choice_lists(revision.item.utility), revision.item.kind
        ),
        outdated=outdated_translations(
            revisions.stamped(revision, draft.content, draft.change_summary), draft.change_summary
        ),
        **problem_context(draft_problems(revision, draft)),
        warnings=structure_warnings(revision, draft.content),
        error=notes.get("error"),
        notice=notes.get("notice"),
    )


def conflict_page(revision: Revision, conflict: EditConflict, base: DraftData | None):
    """Both versions side by side, field by field, with a choice for each difference."""
    theirs, mine = conflict.theirs, conflict.mine
    conflicts = conflicting_fields(theirs, mine, base)
    names = document_names()
    changes = {
        c.field: with_document_numbers(
            diff({c.field: theirs.content.get(c.field)}, {c.field: mine.content.get(c.field)}),
            names,
        )
        for c in conflicts
    }
    return render_view(
        "editor/revision_conflict",
        status=409,
        title=gettext("Someone else saved this draft"),
        back_url=url_for("editor.revision_detail", revision_id=revision.id),
        revision=revision,
        theirs=theirs,
        mine=mine,
        conflicts=conflicts,
        changes=changes,
        mine_json=json.dumps(mine.to_json(), ensure_ascii=False),
        base_json=json.dumps(base.to_json(), ensure_ascii=False) if base else "",
    )


@editor_bp.route("/revisions/<int:revision_id>/edit", methods=["GET", "POST"])
def revision_edit(revision_id: int):
    revision = load_revision(revision_id, EDIT)
    if request.method == "GET":
        if revision.status not in revisions.EDITABLE_STATUSES:
            return redirect(url_for("editor.revision_detail", revision_id=revision.id))
        saved = revisions.draft_data(revision)
        return edit_page(revision, saved, saved)
    draft, base = draft_from(request.form, revision), base_from(request.form)
    problem = content_text_problem(
        {"content": draft.content, "change_summary": draft.change_summary}
    )
    if problem:
        # Refused before saving: such text would break the feeds and exports it reaches.
        field = problem[0].removeprefix("content.")
        message = problem_text(TextError(field, problem[1]))
        return edit_page(revision, draft, base or draft, status=422, error=message)
    try:
        revisions.save_draft(
            revision,
            draft.content,
            base_version=draft.version,
            change_summary=draft.change_summary,
            is_major=draft.is_major,
            actor=current_user,
            confirmed=frozenset(request.form.getlist("translation_fits")),
        )
    except EditConflict as conflict:
        db.session.rollback()
        return conflict_page(revision, conflict, base)
    except revisions.WorkflowError as error:
        # Submitted or approved meanwhile: keep what was typed on screen, save nothing.
        db.session.rollback()
        return edit_page(revision, draft, base or draft, status=409, error=problem_text(error))
    db.session.commit()
    if first_problem(revision, revisions.draft_data(revision)) is None:
        flash(gettext("Saved."))
    else:
        # Kept as a draft, but not yet fit for review: say so where the success shows.
        flash(gettext("Saved as a draft; it still needs the change shown below before review."))
    return redirect(url_for("editor.revision_edit", revision_id=revision.id))


@editor_bp.post("/revisions/<int:revision_id>/rows")
def revision_rows(revision_id: int):
    """Add, remove or move a row of the form; nothing is saved until the editor saves."""
    revision = load_revision(revision_id, EDIT)
    draft = draft_from(request.form, revision)
    base = base_from(request.form) or draft
    try:
        content = apply_row_op(draft.content, request.form.get("op", ""))
    except RowOpError:
        # Not a button of this form: keep what was typed and say so.
        message = gettext("That row could not be added, moved or removed; nothing was changed.")
        return edit_page(revision, draft, base, status=400, error=message)
    return edit_page(revision, replace(draft, content=content), base)


@editor_bp.post("/revisions/<int:revision_id>/check")
def revision_check(revision_id: int):
    revision = load_revision(revision_id, EDIT)
    draft = draft_from(request.form, revision)
    return render_view(
        "editor/revision_check",
        title=gettext("Check"),
        back_url=url_for("editor.revision_edit", revision_id=revision.id),
        revision=revision,
        **problem_context(draft_problems(revision, draft)),
        warnings=structure_warnings(revision, draft.content),
    )


@editor_bp.post("/revisions/<int:revision_id>/merge")
def revision_merge(revision_id: int):
    """Their saved draft with the fields the editor chose from theirs; shown, not saved."""
    revision = load_revision(revision_id, EDIT)
    try:
        mine = DraftData.from_json(json.loads(request.form.get("mine", "")))
    except ValueError:
        mine = None
    if mine is None:
        abort(400)
    base = base_from(request.form)
    theirs = revisions.draft_data(revision)
    if str(theirs.version) != request.form.get("theirs_version"):
        # Saved once more while this page was open: compare with the newest version.
        return conflict_page(revision, EditConflict(revision.id, mine, theirs), base)
    take = {
        key.removeprefix("take:")
        for key, value in request.form.items()
        if key.startswith("take:") and value == "mine"
    }
    merged = merge_drafts(theirs, mine, take)
    notice = gettext("Merged. Check the result, then save it.")
    return edit_page(revision, merged, theirs, notice=notice)


@editor_bp.get("/review")
def review_queue():
    authorize(REVIEW)
    return render_view(
        "editor/review_queue",
        title=gettext("Waiting for review"),
        back_url=url_for("editor.dashboard"),
        queue=revisions.review_queue(),
    )


def _decide(revision_id: int, step, done_message: str, form_class=ReviewForm):
    """Run one review step from its form; the revision's page shows what went wrong."""
    revision = load_revision(revision_id, REVIEW)
    form = form_class()
    form_name = "publish_form" if form_class is PublishForm else "review_form"
    if not form.validate_on_submit():
        return detail_page(revision, status=400, **{form_name: form})
    try:
        step(revision, form)
        db.session.commit()
    except (revisions.WorkflowError, ContentError) as error:
        db.session.rollback()
        return detail_page(revision, status=409, problem=problem_text(error), **{form_name: form})
    except (StaleDataError, IntegrityError):
        # Another reviewer's step on the same revision or chain was committed first.
        db.session.rollback()
        lost = problem_text(revisions.WorkflowError("lost_race"))
        return detail_page(revision, status=409, problem=lost, **{form_name: form})
    flash(done_message)
    return redirect(url_for("editor.revision_detail", revision_id=revision.id))


@editor_bp.post("/revisions/<int:revision_id>/approve")
def revision_approve(revision_id: int):
    return _decide(
        revision_id,
        lambda revision, form: revisions.approve(
            revision, current_user, form.comment.data or "", form.version.data
        ),
        gettext("Approved. It can now be published."),
    )


@editor_bp.post("/revisions/<int:revision_id>/reject")
def revision_reject(revision_id: int):
    return _decide(
        revision_id,
        lambda revision, form: revisions.reject(
            revision, current_user, form.comment.data or "", form.version.data
        ),
        gettext("Returned to the editors with your comment."),
    )


@editor_bp.post("/revisions/<int:revision_id>/publish")
def revision_publish(revision_id: int):
    return _decide(
        revision_id,
        lambda revision, form: revisions.publish(
            revision, current_user, form.effective_from.data, form.confirm_far_date.data
        ),
        gettext("Published."),
        form_class=PublishForm,
    )


@editor_bp.post("/revisions/<int:revision_id>/withdraw")
def revision_withdraw(revision_id: int):
    """Take back a scheduled change before its date: its utility's editors or a reviewer."""
    revision = load_revision(revision_id, VIEW)
    if not may_withdraw(revision):
        abort(403)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return detail_page(revision, status=400, withdraw_form=form)
    try:
        revisions.withdraw(revision, current_user, form.reason.data or "")
        db.session.commit()
    except revisions.WorkflowError as error:
        db.session.rollback()
        return detail_page(revision, status=409, problem=problem_text(error), withdraw_form=form)
    flash(gettext("Withdrawn. The version in force before it stays in force."))
    return redirect(url_for("editor.revision_detail", revision_id=revision.id))


def may_withdraw(revision: Revision) -> bool:
    """Whether the signed-in user may withdraw this revision (if it is scheduled)."""
    return may(EDIT, revision.item.utility_id) or may(REVIEW)


def sheet_error_text(error: SheetError) -> str:
    """One import problem in the reader's language."""
    return gettext(ERROR_MESSAGES[error.code], **error.params)


def download(data: bytes, fmt: str, name: str):
    response = make_response(data)
    response.mimetype = FORMATS[fmt].split(";")[0]
    if fmt == "csv":
        response.charset = "utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename={name}.{fmt}"
    return response


def fees_page(status: int = 200, **context):
    utility = chosen_utility()
    return render_view(
        "editor/fee_sheets",
        status=status,
        title=gettext("Fee spreadsheets"),
        back_url=url_for("editor.dashboard"),
        utility=utility,
        can_import=may(EDIT, utility.id if utility else None),
        formats=list(FORMATS),
        sheet_error_text=sheet_error_text,
        **context,
    )


@editor_bp.get("/fees")
def fee_sheets():
    return fees_page()


@editor_bp.get("/fees/template.<fmt>")
def fee_sheet_template(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    return download(fee_template(fmt), fmt, "fee-template")


@editor_bp.get("/fees/export.<fmt>")
def fee_sheet_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    utility = chosen_utility()
    authorize(VIEW, utility.id if utility else None)
    name = f"fees-{utility.slug}" if utility else "fees"
    return download(export_fee_sheet(fmt, utility), fmt, name)


@editor_bp.post("/fees/import")
def fee_sheet_import():
    """Check an uploaded sheet; if it is clean and not a trial, put its fees into drafts."""
    utility = own_utility()
    authorize(EDIT, utility.id if utility else None)
    upload = request.files.get("sheet")
    if upload is None or not upload.filename:
        return fees_page(status=400, upload_problem=gettext("Choose a file to import."))
    plan = plan_fee_import(upload.read(), utility, parse_limits(current_app.config))
    if not plan.is_ok:
        return fees_page(status=422, plan=plan, file_name=upload.filename)
    warnings = [
        (planned.item.code, w.field, gettext(WARNING_MESSAGES[w.code], **w.params))
        for planned, w in plan.warnings
    ]
    if request.form.get("check_only"):
        return fees_page(plan=plan, file_name=upload.filename, checked=True, warnings=warnings)
    try:
        drafts = apply_fee_import(plan, current_user)
    except revisions.WorkflowError as error:
        db.session.rollback()
        return fees_page(status=409, upload_problem=problem_text(error))
    db.session.commit()
    if warnings:
        # Published tables may differ from the national rules; the drafts' pages say where.
        flash(
            ngettext(
                "The new fees differ from the national tier rules in %(num)d place; "
                "the draft's page shows where.",
                "The new fees differ from the national tier rules in %(num)d places; "
                "the drafts' pages show where.",
                len(warnings),
            )
        )
    flash(
        ngettext(
            "%(num)d draft saved from the sheet; nothing is published until a reviewer does so.",
            "%(num)d drafts saved from the sheet; nothing is published until a reviewer does so.",
            len(drafts),
        )
    )
    return redirect(url_for("editor.dashboard"))


@editor_bp.route("/password", methods=["GET", "POST"])
def password_change():
    """Choose a new password; required after an admin reset it, open to anyone signed in."""
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        try:
            accounts.change_own_password(current_user, form.current.data, form.new.data)
        except accounts.AccountError as error:
            db.session.rollback()
            name, text = account_refusal(str(error))
            field = getattr(form, name, form.new)
            field.errors = [*field.errors, text]
            status = 422
        else:
            db.session.commit()
            flash(gettext("Your new password is saved."))
            return redirect(url_for("editor.dashboard"))
    elif form.is_submitted():
        status = 400
    return render_view(
        "editor/password_change",
        status=status,
        title=gettext("Choose a new password"),
        back_url=None,
        form=form,
        forced=current_user.must_change_password,
    )


def new_item_form() -> NewItemForm:
    form = NewItemForm()
    if current_user.role == Role.EDITOR:
        # An editor's new item is always their own utility's.
        own = current_user.utility
        form.utility.choices = [SelectChoice(own.slug, own.name)]
        form.utility.data = own.slug
    else:
        form.utility.choices = [SelectChoice(u.slug, u.name) for u in catalogue.list_utilities()]
    return form


@editor_bp.route("/items/new", methods=["GET", "POST"])
def item_new():
    """A new item of the editor's utility, which starts as an empty draft for review."""
    if current_user.role not in (Role.EDITOR, Role.ADMIN):
        abort(403)
    form = new_item_form()
    status = 200
    if form.validate_on_submit():
        utility = catalogue.utility_by_slug(form.utility.data) or abort(400)
        authorize(EDIT, utility.id)
        try:
            item = item_records.create_item(
                utility,
                ItemKind(form.kind.data),
                form.slug.data.strip(),
                form.code.data.strip(),
                form.category.data or "",
                current_user,
            )
        except Refused as error:
            db.session.rollback()
            show_refusal(form, error)
            status = 422
        else:
            db.session.commit()
            flash(gettext("The item is created. Fill in its first version and send it for review."))
            return redirect(url_for("editor.revision_edit", revision_id=item.revisions[-1].id))
    elif form.is_submitted():
        status = 400
    return render_view(
        "editor/item_new",
        status=status,
        title=gettext("New item"),
        back_url=url_for("editor.dashboard"),
        form=form,
    )


@editor_bp.route("/revisions/<int:revision_id>/propose-basis", methods=["GET", "POST"])
def basis_propose(revision_id: int):
    """Propose a legal basis the catalogue lacks, for this draft to cite; the reviewer
    approves it together with the draft."""
    revision = load_revision(revision_id, EDIT)
    form = ProposalForm()
    status = 200
    if form.validate_on_submit():
        data = BasisData(
            code=bases.next_proposal_code(form.doc_number.data),
            title=form.title.data,
            doc_number=form.doc_number.data,
            issuer=form.issuer.data,
            issued_on=form.issued_on.data,
            effective_on=form.effective_on.data,
            url=(form.url.data or "").strip(),
            rank=int(form.rank.data),
        )
        try:
            basis = bases.propose_basis(data, current_user, revision.item.utility)
        except Refused as error:
            db.session.rollback()
            show_refusal(form, error)
            status = 422
        else:
            db.session.commit()
            flash(
                gettext(
                    "Proposed: %(title)s. You can cite it now; the draft cannot be published "
                    "until a reviewer approves it.",
                    title=basis.title,
                )
            )
            return redirect(url_for("editor.revision_edit", revision_id=revision.id))
    elif form.is_submitted():
        status = 400
    return render_view(
        "editor/basis_propose",
        status=status,
        title=gettext("Propose a legal basis"),
        back_url=url_for("editor.revision_edit", revision_id=revision.id),
        form=form,
        revision=revision,
    )


@editor_bp.post("/revisions/<int:revision_id>/bases/<int:basis_id>/approve")
def basis_approve(revision_id: int, basis_id: int):
    """A reviewer approves a legal basis proposed with the draft it reviews."""
    revision = load_revision(revision_id, REVIEW)
    basis = db.session.get(LegalBasis, basis_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if basis not in bases.proposed_in(revision.content):
        abort(404)
    try:
        bases.approve_basis(basis, current_user)
    except Refused as error:
        db.session.rollback()
        return detail_page(revision, status=409, problem=refusal_text(error))
    db.session.commit()
    flash(gettext("Approved: %(title)s.", title=basis.title))
    return redirect(url_for("editor.revision_detail", revision_id=revision.id))
