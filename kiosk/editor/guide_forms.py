"""Blank forms and filled-in samples of a draft's materials: uploading, removing and
looking at them. Each upload is saved into the draft at once, as a save of the form is."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from kiosk.editor import editor_bp
from kiosk.editor.access import EDIT, VIEW, load_revision, may
from kiosk.field_labels import problem_text
from kiosk.guide_display import send_form
from kiosk.htmx import render_view
from services.db import db
from services.guide_files.materials import KINDS, form_files, with_material_file
from services.guide_files.storage import MAX_BYTES, GuideFileError, store_pdf
from services.models import Revision
from services.publishing import revisions
from services.publishing.drafts import EditConflict


def upload_problem(reason: str) -> str:
    """Why an uploaded file was not kept, and what to do about it."""
    return {
        "empty": lambda: gettext("The file is empty. Choose the PDF again."),
        "too_large": lambda: gettext(
            "The file is larger than %(mb)d MB. Save it at a lower resolution and upload it again.",
            mb=MAX_BYTES // (1024 * 1024),
        ),
        "not_pdf": lambda: gettext("This file is not a PDF. Save the form as PDF and upload that."),
        "unreadable": lambda: gettext(
            "This PDF cannot be read; it may be damaged. Save it as PDF again and upload that."
        ),
        "encrypted": lambda: gettext(
            "This PDF is protected by a password, so residents could not open it. Upload it "
            "without the password."
        ),
    }[reason]()


def forms_page(revision: Revision, status: int = 200, problem: str | None = None):
    """The draft's materials, each with its blank form and sample."""
    materials = revision.content.get("materials") or []
    return render_view(
        "editor/revision_forms",
        status=status,
        title=gettext("Forms and samples") + " · " + (revision.content.get("name") or ""),
        back_url=url_for("editor.revision_detail", revision_id=revision.id),
        revision=revision,
        materials=materials,
        kinds=KINDS,
        max_mb=MAX_BYTES // (1024 * 1024),
        can_edit=may(EDIT, revision.item.utility_id)
        and revision.status in revisions.EDITABLE_STATUSES,
        problem=problem,
    )


@editor_bp.get("/revisions/<int:revision_id>/forms")
def revision_forms(revision_id: int):
    return forms_page(load_revision(revision_id, VIEW))


def _chosen(revision: Revision) -> tuple[int, str, int]:
    """The material number, kind of form and draft version a forms-page post names."""
    number, kind = request.form.get("number", type=int), request.form.get("kind", "")
    version = request.form.get("version", type=int)
    count = len(revision.content.get("materials") or [])
    if number is None or kind not in KINDS or version is None or not 1 <= number <= count:
        abort(forms_page(revision, 400, gettext("That material is not in this version.")))
    return number, kind, version


def _save(revision: Revision, number: int, kind: str, sha256: str | None, version: int):
    """Put the file into the draft (or take it out) and commit; the forms page if it fails."""
    content = with_material_file(revision.content, number, kind, sha256)
    try:
        revisions.save_draft(
            revision,
            content,
            base_version=version,
            change_summary=revision.change_summary,
            is_major=revision.is_major,
            actor=current_user,
        )
    except EditConflict:
        db.session.rollback()
        message = gettext(
            "Someone else saved this draft meanwhile. This page now shows their version; "
            "do it again if it is still needed."
        )
        return forms_page(db.session.get(Revision, revision.id), 409, message)
    except revisions.WorkflowError as error:
        db.session.rollback()
        return forms_page(db.session.get(Revision, revision.id), 409, problem_text(error))
    db.session.commit()
    return None


@editor_bp.post("/revisions/<int:revision_id>/forms")
def revision_forms_upload(revision_id: int):
    revision = load_revision(revision_id, EDIT)
    number, kind, version = _chosen(revision)
    upload = request.files.get("pdf")
    if upload is None or not upload.filename:
        return forms_page(revision, 400, gettext("Choose a PDF file to upload."))
    # One byte past the cap is enough to know it is too large.
    data = upload.read(MAX_BYTES + 1)
    try:
        sha256 = store_pdf(Path(current_app.config["UPLOAD_DIR"]), data)
    except GuideFileError as error:
        return forms_page(revision, 422, upload_problem(error.reason))
    failed = _save(revision, number, kind, sha256, version)
    if failed is not None:
        return failed
    flash(
        gettext(
            "Uploaded for material %(n)d. Residents see it once this version is published.",
            n=number,
        )
    )
    return redirect(url_for("editor.revision_forms", revision_id=revision.id))


@editor_bp.post("/revisions/<int:revision_id>/forms/remove")
def revision_forms_remove(revision_id: int):
    revision = load_revision(revision_id, EDIT)
    number, kind, version = _chosen(revision)
    failed = _save(revision, number, kind, None, version)
    if failed is not None:
        return failed
    flash(gettext("Removed from material %(n)d.", n=number))
    return redirect(url_for("editor.revision_forms", revision_id=revision.id))


@editor_bp.get("/revisions/<int:revision_id>/files/<sha256>.pdf")
def revision_file(revision_id: int, sha256: str):
    """A file this revision names, for its editors and reviewers (drafts are not public)."""
    revision = load_revision(revision_id, VIEW)
    named = {sha: (number, kind) for number, kind, sha in form_files(revision.content)}
    if sha256 not in named:
        abort(404)
    response = send_form(revision.content, *named[sha256], max_age=0)
    response.cache_control.private = True
    return response
