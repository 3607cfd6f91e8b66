"""The reviewers' side: the queue, approving or returning a change, and publishing it."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user

from kiosk.editor import REVIEW, authorize, editor_bp, load_revision
from kiosk.editor.forms import PublishForm, ReviewForm
from kiosk.editor.views import detail_page
from kiosk.field_labels import problem_text
from kiosk.htmx import render_view
from services.content.schema import ContentError
from services.db import db
from services.publishing import revisions


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
    except (revisions.WorkflowError, ContentError) as error:
        db.session.rollback()
        return detail_page(revision, status=409, problem=problem_text(error), **{form_name: form})
    db.session.commit()
    flash(done_message)
    return redirect(url_for("editor.revision_detail", revision_id=revision.id))


@editor_bp.post("/revisions/<int:revision_id>/approve")
def revision_approve(revision_id: int):
    return _decide(
        revision_id,
        lambda revision, form: revisions.approve(revision, current_user, form.comment.data or ""),
        gettext("Approved. It can now be published."),
    )


@editor_bp.post("/revisions/<int:revision_id>/reject")
def revision_reject(revision_id: int):
    return _decide(
        revision_id,
        lambda revision, form: revisions.reject(revision, current_user, form.comment.data or ""),
        gettext("Returned to the editors with your comment."),
    )


@editor_bp.post("/revisions/<int:revision_id>/publish")
def revision_publish(revision_id: int):
    return _decide(
        revision_id,
        lambda revision, form: revisions.publish(revision, current_user, form.effective_from.data),
        gettext("Published."),
        form_class=PublishForm,
    )
