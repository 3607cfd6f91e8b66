"""Staff print a hall's notices as a background job and watch it: /editor/print."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort, current_app, redirect, request, url_for
from flask_babel import format_datetime, gettext
from flask_babel import lazy_gettext as L_
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from kiosk.background import enqueue_hall_batch
from kiosk.editor import editor_bp
from kiosk.editor.forms import PrintBatchForm
from kiosk.htmx import render_view
from kiosk.notices.printer import notice_printer
from kiosk.notices.views import send_pdf
from services.db import db
from services.models import BackgroundJob, Hall, JobStatus
from services.notices import batches
from services.notices import render as notices

# Each language named in itself, as on the kiosk's language buttons.
LANGUAGE_NAMES = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}


STATE_LABELS = {
    JobStatus.QUEUED: L_("Waiting for the printer"),
    JobStatus.RUNNING: L_("Printing"),
    JobStatus.DONE: L_("Printed"),
    JobStatus.FAILED: L_("Failed"),
    JobStatus.EXPIRED: L_("No longer kept"),
}


@editor_bp.app_template_filter("job_time")
def job_time(moment: datetime) -> str:
    """A job's time (stored in UTC) in city time."""
    return format_datetime(moment, "yyyy-MM-dd HH:mm")


@editor_bp.context_processor
def printing_context() -> dict[str, Any]:
    return {"job_state_label": lambda job: STATE_LABELS[job.status]}


def batch_form() -> PrintBatchForm:
    form = PrintBatchForm()
    halls = db.session.scalars(select(Hall).order_by(Hall.name))
    form.hall.choices = [SelectChoice(hall.slug, hall.name) for hall in halls]
    languages = current_app.config["LANGUAGES"]
    form.lang.choices = [SelectChoice(lang, LANGUAGE_NAMES[lang]) for lang in languages]
    if request.method == "GET":
        form.hall.data = request.args.get("hall") or form.hall.data
    return form


@editor_bp.route("/print", methods=["GET", "POST"])
def print_batches():
    """Start a hall's batch (or join the identical one), and see the latest batches."""
    form = batch_form()
    if form.validate_on_submit():
        hall = notices.hall_by_slug(form.hall.data) or abort(404)
        who = current_user.username
        job, created = batches.request_hall_batch(
            db.session, notice_printer(), hall, form.lang.data, form.paper.data, who
        )
        db.session.commit()  # the worker must see the job before it is queued
        if created:
            enqueue_hall_batch(job)
        return redirect(url_for("editor.print_job", job_id=job.id))
    return render_view(
        "editor/print_batches",
        title=gettext("Print a hall's notices"),
        back_url=url_for("editor.dashboard"),
        form=form,
        jobs=batches.recent_jobs(db.session),
    )


@editor_bp.get("/print/<int:job_id>")
def print_job(job_id: int):
    """A batch's progress; the page asks again every second until it is finished."""
    job = db.session.get(BackgroundJob, job_id) or abort(404)
    return render_view(
        "editor/print_job",
        title=gettext("Printing %(hall)s", hall=job.params.get("hall", "")),
        back_url=url_for("editor.print_batches"),
        job=job,
        ready=batches.job_pdf(notice_printer(), job) is not None,
    )


@editor_bp.get("/print/<int:job_id>.pdf")
def print_job_pdf(job_id: int):
    """The PDF a finished batch built."""
    job = db.session.get(BackgroundJob, job_id) or abort(404)
    rendered = batches.job_pdf(notice_printer(), job) or abort(404)
    params = job.params
    return send_pdf(rendered, f"{params['hall']}-{params['lang']}-{params['paper']}.pdf")
