"""Signing in, the editor's item lists, and each revision's page and preview."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, flash, redirect, request, url_for
from flask_babel import format_timedelta, gettext
from flask_login import current_user, login_user, logout_user

from kiosk.editor import (
    EDIT,
    REVIEW,
    VIEW,
    chosen_utility,
    editor_bp,
    load_item,
    load_revision,
    may,
)
from kiosk.editor.forms import ActionForm, LoginForm, PublishForm, ReviewForm, SubmitForm
from kiosk.field_labels import problem_text
from kiosk.htmx import render_view
from kiosk.public.presenters import revision_view
from services.catalogue import queries as catalogue
from services.clock import today, utcnow
from services.content.checks import check_content
from services.content.diff import diff
from services.content.schema import ContentError
from services.db import db
from services.models import Role
from services.publishing import accounts, revisions


def safe_next(target: str | None) -> str:
    """Where to go after signing in: an editor or admin page of this site, never another host."""
    parts = urlsplit(target or "")
    if (
        target
        and not parts.scheme
        and not parts.netloc
        and parts.path.startswith(("/editor", "/admin"))
    ):
        return target
    return url_for("editor.dashboard")


@editor_bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("editor.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    message, status = None, 200
    if form.validate_on_submit():
        result = accounts.attempt_login(form.username.data, form.password.data)
        db.session.commit()  # failed attempts are counted and audited too
        if result.outcome == accounts.LoginOutcome.OK:
            login_user(result.user)
            return redirect(safe_next(form.next.data))
        if result.outcome == accounts.LoginOutcome.LOCKED:
            wait = format_timedelta(result.retry_at - utcnow(), threshold=2)
            message = gettext("Too many failed attempts. Try again in %(wait)s.", wait=wait)
            status = 429
        else:
            message = gettext("Wrong username or password.")
    return render_view(
        "editor/login", status=status, title=gettext("Sign in"), back_url=None, form=form,
        message=message,
    )  # fmt: skip


@editor_bp.post("/logout")
def logout():
    if ActionForm().validate_on_submit():
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


def detail_page(revision, status: int = 200, problem: str | None = None, **forms):
    """The revision's page: what it changes, and the steps the user may take next."""
    base = revisions.base_revision(revision)
    utility_id = revision.item.utility_id
    return render_view(
        "editor/revision_detail",
        status=status,
        title=f"{revision.content.get('name') or revision.item.code} · "
        + gettext("Version %(n)d", n=revision.number),
        back_url=url_for("editor.item_detail", item_id=revision.item_id),
        revision=revision,
        state=revisions.revision_state(revision),
        base=base,
        changes=diff(base.content if base else None, revision.content),
        problem=problem,
        can_edit=may(EDIT, utility_id) and revision.status in revisions.EDITABLE_STATUSES,
        can_review=may(REVIEW),
        submit_form=forms.get("submit_form") or SubmitForm(version=revision.version),
        review_form=forms.get("review_form") or ReviewForm(),
        # A date proposed with the draft (a fee sheet's 执行日期) is offered, if not past.
        publish_form=forms.get("publish_form")
        or PublishForm(effective_from=max(revision.effective_from or today(), today())),
    )


@editor_bp.get("/revisions/<int:revision_id>")
def revision_detail(revision_id: int):
    return detail_page(load_revision(revision_id, VIEW))


@editor_bp.get("/revisions/<int:revision_id>/preview")
def revision_preview(revision_id: int):
    revision = load_revision(revision_id, VIEW)
    try:
        check_content(revision.content)
    except ContentError as error:
        problem, view = error, None
    else:
        problem, view = None, revision_view(revision)
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
