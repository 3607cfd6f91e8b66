"""The job queue: Huey on an SQLite file for one machine, or on Redis for several servers.

Web workers only put a job's id on the queue; `flask --app kiosk jobs worker` takes it off
and does the work in the same app configuration, so the job sees the same database, the
same PDF cache and the same settings as the page that asked for it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey import Huey, RedisHuey, SqliteHuey

from kiosk.notices.printer import notice_printer
from services.db import db
from services.models import BackgroundJob, JobStatus
from services.notices import batches

log = logging.getLogger(__name__)
QUEUE_NAME = "gongshi"


def queue_from_url(url: str) -> Huey:
    """A Huey queue for `sqlite:////path/jobs.sqlite3` or `redis://host:6379/0`."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str(path), results=False)
    if scheme in ("redis", "rediss", "unix"):
        return RedisHuey(QUEUE_NAME, url=url, results=False)
    raise ValueError(f"GONGSHI_JOBS_URL must be sqlite:///… or redis://…, not {url!r}")


def job_queue(app: Flask | None = None) -> Huey:
    """The app's queue, with its tasks registered; made on first use."""
    app = app or current_app._get_current_object()
    queue = app.extensions.get("job_queue")
    if queue is None:
        queue = app.extensions["job_queue"] = queue_from_url(app.config["JOBS_URL"])
        _register_tasks(app, queue)
    return queue


def _register_tasks(app: Flask, queue: Huey) -> None:
    @queue.task(name="build_hall_batch")
    def build_hall_batch(job_id: int) -> None:
        with app.app_context():
            run_hall_batch(job_id)

    app.extensions["job_tasks"] = {"build_hall_batch": build_hall_batch}


def enqueue_hall_batch(job: BackgroundJob) -> None:
    """Put a committed job on the queue; a queue that cannot be reached fails the job."""
    try:
        job_queue()
        current_app.extensions["job_tasks"]["build_hall_batch"](job.id)
    except Exception as error:  # the broker is down or misconfigured
        log.exception("could not queue job %s", job.id)
        batches.record_failure(job, error)
        db.session.commit()


def run_hall_batch(job_id: int) -> None:
    """Build one queued hall batch, committing its progress as it goes."""
    job = db.session.get(BackgroundJob, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return  # already built, or taken by another worker after a retry
    try:
        # Each commit shows staff the progress, on whichever app server they ask.
        commit = lambda _job: db.session.commit()  # noqa: E731
        batches.build_hall_batch(db.session, notice_printer(), job, commit)
    except Exception as error:
        db.session.rollback()
        job = db.session.get(BackgroundJob, job_id)
        batches.record_failure(job, error)
        db.session.commit()
        log.exception("hall batch %s failed", job_id)


jobs_cli = AppGroup("jobs", help="The background job worker.")


@jobs_cli.command("worker")
@click.option("--workers", default=1, show_default=True, help="Jobs worked on at once.")
def worker_command(workers: int) -> None:
    """Take jobs off the queue and do them until stopped (SIGINT or SIGTERM)."""
    queue = job_queue()
    click.echo(f"job worker on {current_app.config['JOBS_URL']} with {workers} thread(s)")
    queue.create_consumer(workers=workers, worker_type="thread", periodic=False).run()


COMMANDS = (jobs_cli,)
