"""Editing a draft: the content form and its rows, inline checks, saving, and merging after
a conflict."""

from __future__ import annotations

import json
from dataclasses import replace

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from kiosk.editor import EDIT, editor_bp, load_revision
from kiosk.editor.content_form import apply_row_op, content_fields, read_content
from kiosk.field_labels import problem_text
from kiosk.filters import translated
from kiosk.htmx import render_view
from services.content.diff import diff
from services.content.schema import ContentError
from services.db import db
from services.models import Revision, Utility
from services.publishing import revisions
from services.publishing.drafts import DraftData, EditConflict, conflicting_fields, merge_drafts


def choice_lists(utility: Utility) -> dict[str, list[tuple[str, str]]]:
    """The legal bases and channels an item of this utility may cite, as select options."""
    bases, channels = revisions.reference_lists(utility)
    return {
        "basis": [(b.code, f"{b.title}（{b.doc_number}）" if b.doc_number else b.title)
                  for b in bases],
        "channel": [(c.code, f"{translated(c, 'name')} {c.phone}".strip()) for c in channels],
    }  # fmt: skip


def draft_from(form: MultiDict) -> DraftData:
    """What the edit form holds: content, summary, major flag, and the version it started from."""
    version = form.get("version", "")
    if not version.isdigit():
        abort(400)
    return DraftData(
        content=read_content(form),
        change_summary=form.get("change_summary", "").strip(),
        is_major="is_major" in form,
        version=int(version),
        saved_by=current_user.username,
    )


def base_from(form: MultiDict) -> DraftData | None:
    """The version the editor's form started from (sent along as JSON), if it came back."""
    try:
        return DraftData.from_json(json.loads(form.get("base", "")))
    except ValueError:
        return None


def first_problem(revision: Revision, draft: DraftData) -> ContentError | None:
    """The first thing that would stop the draft going to review, or None."""
    try:
        revisions.check_draft(revision, draft)
    except ContentError as error:
        return error
    return None


def edit_page(revision: Revision, draft: DraftData, base: DraftData, status: int = 200, **notes):
    """The edit form for `draft`, with its first problem shown at the field it names.

    `base` is the saved version the form started from; it travels with the form so that a
    conflict can tell which fields this editor changed.
    """
    problem = first_problem(revision, draft)
    return render_view(
        "editor/revision_edit",
        status=status,
        title=gettext("Edit version %(n)d", n=revision.number),
        back_url=url_for("editor.revision_detail", revision_id=revision.id),
        revision=revision,
        draft=draft,
        base_json=json.dumps(base.to_json(), ensure_ascii=False),
        fields=content_fields(draft.content, choice_lists(revision.item.utility)),
        problem=problem,
        problem_text=problem_text(problem) if problem else "",
        error=notes.get("error"),
        notice=notes.get("notice"),
    )


def conflict_page(revision: Revision, conflict: EditConflict, base: DraftData | None):
    """Both versions side by side, field by field, with a choice for each difference."""
    theirs, mine = conflict.theirs, conflict.mine
    conflicts = conflicting_fields(theirs, mine, base)
    changes = {
        c.field: diff({c.field: theirs.content.get(c.field)}, {c.field: mine.content.get(c.field)})
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
    draft, base = draft_from(request.form), base_from(request.form)
    try:
        revisions.save_draft(
            revision,
            draft.content,
            base_version=draft.version,
            change_summary=draft.change_summary,
            is_major=draft.is_major,
            actor=current_user,
        )
    except EditConflict as conflict:
        db.session.rollback()
        return conflict_page(revision, conflict, base)
    except revisions.WorkflowError as error:
        # Submitted or approved meanwhile: keep what was typed on screen, save nothing.
        db.session.rollback()
        return edit_page(revision, draft, base or draft, status=409, error=problem_text(error))
    db.session.commit()
    flash(gettext("Saved."))
    return redirect(url_for("editor.revision_edit", revision_id=revision.id))


@editor_bp.post("/revisions/<int:revision_id>/rows")
def revision_rows(revision_id: int):
    """Add, remove or move a row of the form; nothing is saved until the editor saves."""
    revision = load_revision(revision_id, EDIT)
    draft = draft_from(request.form)
    content = apply_row_op(draft.content, request.form.get("op", ""))
    return edit_page(revision, replace(draft, content=content), base_from(request.form) or draft)


@editor_bp.post("/revisions/<int:revision_id>/check")
def revision_check(revision_id: int):
    revision = load_revision(revision_id, EDIT)
    problem = first_problem(revision, draft_from(request.form))
    return render_view(
        "editor/revision_check",
        title=gettext("Check"),
        back_url=url_for("editor.revision_edit", revision_id=revision.id),
        revision=revision,
        problem=problem,
        problem_text=problem_text(problem) if problem else "",
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
    take = {key.removeprefix("take:") for key, value in request.form.items()
            if key.startswith("take:") and value == "mine"}  # fmt: skip
    merged = merge_drafts(theirs, mine, take)
    notice = gettext("Merged. Check the result, then save it.")
    return edit_page(revision, merged, theirs, notice=notice)
