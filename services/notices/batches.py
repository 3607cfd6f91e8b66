"""A hall's whole set of notices as a background job: asked for once, built by the job
worker, downloaded by staff on any app server and then served to everyone.

A batch is named by what it depends on (the hall, the revisions it shows today, the
language, the paper and the renderer), so identical requests share one job, and a
publish or a new day makes the next request a new job.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services import clock
from services.models import ACTIVE_JOB_STATES, BackgroundJob, Hall, JobStatus, Revision
from services.notices import render as notices
from services.notices.pdf_cache import cache_path, content_key

HALL_BATCH = "hall_notices"
# A worker that died mid-batch leaves its job "running"; after this long it may be retried.
STALLED_AFTER = timedelta(minutes=15)


def batch_key(
    printer: notices.Printer,
    hall: Hall,
    lang: str,
    paper: str,
    revisions: list[Revision] | None = None,
) -> str:
    """What a hall's PDF depends on, without laying anything out (`revisions`: the hall's
    revisions in force, when the caller has them already)."""
    notices.check_choice(printer, lang, paper)
    if revisions is None:
        revisions = notices.hall_revisions(hall)
    return content_key(
        HALL_BATCH,
        clock.today().isoformat(),  # notices carry the date they were printed
        notices.renderer_fingerprint(printer.static_dir),
        json.dumps([hall.id, hall.name, hall.address, hall.translations], ensure_ascii=False),
        lang,
        paper,
        *(str(revision.id) for revision in revisions),
    )


def _active_job(session: Session, key: str) -> BackgroundJob | None:
    return session.scalar(
        select(BackgroundJob).where(
            BackgroundJob.kind == HALL_BATCH,
            BackgroundJob.key == key,
            BackgroundJob.status.in_(ACTIVE_JOB_STATES),
        )
    )


def _usable(printer: notices.Printer, job: BackgroundJob) -> bool:
    """False for a job whose PDF was pruned or whose worker died under it."""
    if job.status == JobStatus.DONE:
        return cache_path(printer.cache_dir, job.result).is_file()
    if job.status == JobStatus.RUNNING and job.started_at is not None:
        return clock.utcnow() - job.started_at < STALLED_AFTER
    return True


def request_hall_batch(
    session: Session, printer: notices.Printer, hall: Hall, lang: str, paper: str, who: str
) -> tuple[BackgroundJob, bool]:
    """The job building this hall's PDF: an identical one if any, else a new one (True)."""
    revisions = notices.hall_revisions(hall)
    key = batch_key(printer, hall, lang, paper, revisions)
    job = _active_job(session, key)
    if job is not None and _usable(printer, job):
        return job, False
    if job is not None:
        job.status = JobStatus.EXPIRED if job.status == JobStatus.DONE else JobStatus.FAILED
        session.flush()
    job = BackgroundJob(
        kind=HALL_BATCH,
        key=key,
        params={"hall": hall.slug, "lang": lang, "paper": paper},
        total=len(revisions),
        requested_by=who,
    )
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:
        # Another server asked for the same batch at the same moment: share its job.
        return _active_job(session, key), False
    return job, True


def built_hall_pdf(
    session: Session, printer: notices.Printer, hall: Hall, lang: str, paper: str
) -> notices.RenderedPdf | None:
    """The hall's PDF if a job has built it for today's notices, else None."""
    job = _active_job(session, batch_key(printer, hall, lang, paper))
    return None if job is None else job_pdf(printer, job)


def job_pdf(printer: notices.Printer, job: BackgroundJob) -> notices.RenderedPdf | None:
    """The PDF a finished job built, while the cache still holds it."""
    if job.status != JobStatus.DONE or not _usable(printer, job):
        return None
    return notices.RenderedPdf(cache_path(printer.cache_dir, job.result), job.result)


def recent_jobs(session: Session, limit: int = 20) -> list[BackgroundJob]:
    """The latest hall batches, newest first."""
    query = select(BackgroundJob).where(BackgroundJob.kind == HALL_BATCH)
    return list(session.scalars(query.order_by(BackgroundJob.id.desc()).limit(limit)))


def build_hall_batch(
    session: Session,
    printer: notices.Printer,
    job: BackgroundJob,
    report: Callable[[BackgroundJob], None],
) -> None:
    """Lay out the job's hall PDF, calling `report(job)` whenever its progress moves.

    `report` is where the caller makes the progress visible (commits it); a failure is
    recorded on the job and raised again.
    """
    hall = notices.hall_by_slug(job.params["hall"])
    if hall is None:
        raise LookupError(f"the hall {job.params['hall']!r} no longer exists")
    job.status = JobStatus.RUNNING
    job.started_at = clock.utcnow()
    job.done = 0
    job.total = len(notices.hall_revisions(hall))
    report(job)

    def advance(count: int) -> None:
        job.done = min(job.total, job.done + count)
        report(job)

    rendered = notices.hall_pdf(printer, hall, job.params["lang"], job.params["paper"], advance)
    job.result = rendered.etag
    job.done = job.total
    job.status = JobStatus.DONE
    job.finished_at = clock.utcnow()
    report(job)


def record_failure(job: BackgroundJob, error: BaseException) -> None:
    """Mark the job failed with a message staff can act on."""
    job.status = JobStatus.FAILED
    job.error = f"{type(error).__name__}: {error}"[:2000]
    job.finished_at = clock.utcnow()
