"""The editor's information requests: the utility's list by due date with overdue and
due-soon flagged, and each request with its steps (acknowledge, ask for clarification,
record the answer, extend once, reply, close). The applicant's contact is shown to the
utility's staff and admins only, each reading audited."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from kiosk.editor import editor_bp
from kiosk.editor.access import EDIT, VIEW, authorize, chosen_utility, may
from kiosk.htmx import render_view
from kiosk.requests.downloads import send_reply_file
from services import clock
from services.catalogue import queries as catalogue
from services.db import db
from services.models import Role
from services.requests import deadlines, files, handling
from services.requests.models import InfoRequest, Outcome

STEPS = ("acknowledge", "clarify", "answer", "extend", "reply", "close")


def step_problem(code: str) -> str:
    """What the editor reads for a RequestError's code."""
    return {
        "stale": gettext("Someone changed this request meanwhile; here it is as it is now."),
        "state": gettext("This step does not fit the request as it stands now."),
        "text": gettext("Write the text first."),
        "reason": gettext("Give the reason."),
        "extended": gettext("The deadline can be extended only once."),
        "too_long": gettext("The text is too long."),
        "control": gettext("The text holds characters that cannot be stored; please retype it."),
        "date": gettext("The answer cannot come before the question."),
        "outcome": gettext("Choose an outcome."),
    }.get(code, code)


def file_problem(problem: files.FileProblem) -> str:
    """What the editor reads when a file cannot go with the reply."""
    if problem.code == "too_many":
        return gettext("At most %(n)d files can go with a reply.", n=files.MAX_FILES)
    return {
        "empty": gettext("The file %(name)s is empty."),
        "too_large": gettext("The file %(name)s is too large."),
        "kind": gettext("The file %(name)s is not a PDF, PNG or JPEG; save it as PDF first."),
    }[problem.code] % {"name": problem.name}


def uploaded_files() -> list[tuple[str, bytes]]:
    return [(upload.filename or "", upload.read()) for upload in request.files.getlist("files")]


def load_request(request_id: int, action: str) -> InfoRequest:
    """The request, or 404; then 403 unless the user may `action` in its utility."""
    found = db.session.get(InfoRequest, request_id) or abort(404)
    authorize(action, found.utility_id)
    return found


@editor_bp.get("/requests")
def request_list():
    utility = chosen_utility()
    listed = []
    if utility is not None:
        authorize(VIEW, utility.id)
        listed = handling.work_list(utility, clock.today())
    return render_view(
        "editor/request_list",
        title=gettext("Information requests"),
        back_url=url_for("editor.dashboard"),
        utility=utility,
        utilities=catalogue.list_utilities() if current_user.role != Role.EDITOR else [],
        listed=listed,
        soon=deadlines.SOON,
    )


def detail_page(found: InfoRequest, status: int = 200, problem: str | None = None):
    # The contact is personal data: the utility's own staff and admins read it, audited.
    may_read = may(EDIT, found.utility_id)
    contact = handling.contact_for_staff(found, current_user.username) if may_read else None
    if may_read:
        db.session.commit()  # the reading is audited even if nothing else is written
    return render_view(
        "editor/request_detail",
        status=status,
        title=gettext("Information request %(number)s", number=handling.grouped(found.tracking)),
        back_url=url_for("editor.request_list", utility=found.utility.slug),
        found=found,
        number=handling.grouped(found.tracking),
        contact=contact,
        may_act=may_read,
        outcomes=list(Outcome),
        today=clock.today(),
        problem=problem,
        max_files=files.MAX_FILES,
        max_upload=current_app.config["MAX_CONTENT_LENGTH"],
    )


@editor_bp.get("/requests/<int:request_id>")
def request_detail(request_id: int):
    return detail_page(load_request(request_id, VIEW))


@editor_bp.get("/requests/<int:request_id>/files/<int:file_id>")
def request_file(request_id: int, file_id: int):
    found = load_request(request_id, VIEW)
    sent = files.file_of(found, file_id) or abort(404)
    return send_reply_file(sent)


@editor_bp.post("/requests/<int:request_id>/<any(" + ", ".join(STEPS) + "):step>")
def request_step(request_id: int, step: str):
    found = load_request(request_id, EDIT)
    version = request.form.get("version", type=int)
    text = request.form.get("text", "")
    today = clock.today()
    try:
        if step == "acknowledge":
            handling.acknowledge(found, current_user, today, version)
        elif step == "clarify":
            handling.ask_clarification(found, current_user, text, today, version)
        elif step == "answer":
            handling.record_clarification(found, current_user, text, today, version)
        elif step == "extend":
            handling.extend(found, current_user, text, today, version)
        elif step == "reply":
            # Every file is checked before the reply is stored: all of it goes, or nothing.
            attachments = files.check_files(
                uploaded_files(), current_app.config["MAX_CONTENT_LENGTH"]
            )
            handling.reply(found, current_user, text, today, version)
            root = Path(current_app.config["UPLOAD_DIR"])
            files.attach(found, attachments, root, current_user.username, clock.utcnow())
        else:
            outcome = request.form.get("outcome", "")
            if outcome not in {o.value for o in Outcome}:
                raise handling.RequestError("outcome")
            handling.close(found, current_user, Outcome(outcome), text, today, version)
    except handling.RequestError as error:
        db.session.rollback()
        status = 409 if error.code in ("stale", "state", "extended") else 422
        fresh = db.session.get(InfoRequest, request_id)
        return detail_page(fresh, status=status, problem=step_problem(error.code))
    except files.FileProblem as problem:
        db.session.rollback()
        return detail_page(found, status=422, problem=file_problem(problem))
    db.session.commit()
    flash(gettext("Saved."))
    return redirect(url_for("editor.request_detail", request_id=found.id))
