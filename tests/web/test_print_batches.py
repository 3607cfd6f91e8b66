"""A hall's notices are printed by the job worker: staff start and watch a batch, the PDF
is then served to anyone, and identical requests share one job."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from kiosk.background import job_queue, run_hall_batch
from services.db import db
from services.models import BackgroundJob, Item, JobStatus, Role
from services.notices.pdf_cache import cache_path
from tests.factories import committed, make_hall, make_item, make_revision, make_user, make_utility
from tests.html import parse
from tests.web.editor_pages import sign_in

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def hall(app) -> dict:
    def make() -> dict:
        utility = make_utility()
        items = [make_item(utility, position=n) for n in range(3)]
        for item in items:
            make_revision(item)
        hall = make_hall([utility])
        return {"slug": hall.slug, "name": hall.name, "item_id": items[0].id}

    return committed(app, make)


@pytest.fixture
def staff(app, client) -> int:
    user_id = committed(app, lambda: make_user(Role.REVIEWER).id)
    sign_in(client, user_id)
    return user_id


@pytest.fixture(autouse=True)
def empty_queue(app):
    job_queue(app).flush()
    yield
    job_queue(app).flush()


def start_batch(client, slug: str, lang: str = "en", paper: str = "A4") -> int:
    response = client.post("/editor/print", data={"hall": slug, "lang": lang, "paper": paper})
    assert response.status_code == 302, response.data
    return int(response.headers["Location"].rsplit("/", 1)[1])


def job_state(client, job_id: int) -> str:
    return parse(client.get(f"/editor/print/{job_id}").data).by_id("job-state")["data-state"]


def test_a_hall_nobody_printed_today_is_not_laid_out_for_an_anonymous_request(app, client, hall):
    stored = set(Path(app.config["CACHE_DIR"]).rglob("*"))
    response = client.get(f"/print/hall/{hall['slug']}.pdf?lang=en")
    assert response.status_code == 404
    assert "no-store" in response.headers["Cache-Control"]
    assert hall["name"] in parse(response.data).by_id("not-printed-message").text
    assert set(Path(app.config["CACHE_DIR"]).rglob("*")) == stored


def test_identical_requests_share_one_job(app, client, hall, staff):
    first = start_batch(client, hall["slug"])
    assert start_batch(client, hall["slug"]) == first
    other = start_batch(client, hall["slug"], paper="A3")
    assert other != first
    assert job_queue(app).pending_count() == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BackgroundJob)) == 2


def test_a_queued_batch_shows_its_progress_and_asks_again(client, hall, staff):
    job_id = start_batch(client, hall["slug"])
    page = parse(client.get(f"/editor/print/{job_id}").data)
    assert page.by_id("job-state")["data-state"] == "queued"
    assert page.by_id("job-progress")["max"] == "3"
    section = page.by_id("print-job")
    assert section["hx-trigger"] == "every 1s"
    fragment = client.get(
        f"/editor/print/{job_id}", headers={"HX-Request": "true", "HX-Target": "print-job"}
    )
    assert fragment.data.lstrip().startswith(b"<section") and b"<html" not in fragment.data
    assert client.get(f"/editor/print/{job_id}.pdf").status_code == 404


def worker(app, database_url: str) -> subprocess.Popen:
    """The job worker, in a process of its own as systemd would start it."""
    env = os.environ | {
        "GONGSHI_DATABASE_URL": database_url,
        "GONGSHI_JOBS_URL": app.config["JOBS_URL"],
        "GONGSHI_CACHE_DIR": app.config["CACHE_DIR"],
    }
    command = [sys.executable, "-m", "flask", "--app", "kiosk", "jobs", "worker"]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def wait_until_finished(client, job_id: int, seconds: float = 90) -> list[str]:
    seen, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = job_state(client, job_id)
        if not seen or seen[-1] != state:
            seen.append(state)
        if state in ("done", "failed"):
            return seen
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {seen[-1]} after {seconds} s")


def test_the_worker_builds_the_batch_and_then_anyone_gets_it(
    app, client, hall, staff, database_url
):
    job_id = start_batch(client, hall["slug"])
    process = worker(app, database_url)
    try:
        states = wait_until_finished(client, job_id)
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert states[-1] == "done", output

    page = parse(client.get(f"/editor/print/{job_id}").data)
    download = client.get(page.by_id("job-download")["href"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(download.data))
    assert len(reader.pages) >= 4  # the index, then the three notices
    assert hall["name"] in reader.pages[0].extract_text()

    client.post("/editor/logout")
    public = client.get(f"/print/hall/{hall['slug']}.pdf?lang=en&paper=A4")
    assert public.status_code == 200 and public.data == download.data
    again = client.get(
        f"/print/hall/{hall['slug']}.pdf?lang=en", headers={"If-None-Match": public.headers["ETag"]}
    )
    assert again.status_code == 304

    # A publish changes what the hall shows: the printed set is no longer today's.
    with app.app_context():
        item = db.session.get(Item, hall["item_id"])
        make_revision(item, change_summary="新标准")
        db.session.commit()
    assert client.get(f"/print/hall/{hall['slug']}.pdf?lang=en").status_code == 404


def test_a_batch_that_fails_says_why_and_can_be_asked_for_again(app, client, hall, staff):
    job_id = start_batch(client, hall["slug"])
    with app.app_context():
        job = db.session.get(BackgroundJob, job_id)
        job.params = {**job.params, "hall": "demolished-hall"}
        db.session.commit()
        run_hall_batch(job_id)
        assert db.session.get(BackgroundJob, job_id).status == JobStatus.FAILED
    page = parse(client.get(f"/editor/print/{job_id}").data)
    assert "demolished-hall" in page.by_id("job-error").text
    assert start_batch(client, hall["slug"]) != job_id


def test_a_pruned_pdf_is_built_again_on_the_next_request(app, client, hall, staff):
    job_id = start_batch(client, hall["slug"])
    with app.app_context():
        run_hall_batch(job_id)  # the task's body, in this process
        job = db.session.get(BackgroundJob, job_id)
        assert job.status == JobStatus.DONE
        cache_path(app.config["CACHE_DIR"], job.result).unlink()
    page = parse(client.get(f"/editor/print/{job_id}").data)
    assert page.by_id("job-gone") is not None
    assert client.get(f"/print/hall/{hall['slug']}.pdf?lang=en").status_code == 302
    again = start_batch(client, hall["slug"])
    assert again != job_id
    with app.app_context():
        assert db.session.get(BackgroundJob, job_id).status == JobStatus.EXPIRED


def test_signed_in_staff_asking_for_an_unprinted_hall_are_sent_to_print_it(client, hall, staff):
    response = client.get(f"/print/hall/{hall['slug']}.pdf?lang=en")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/editor/print?hall={hall['slug']}"


def test_printing_needs_a_sign_in(client, hall):
    assert client.get("/editor/print").status_code == 302
    assert (
        client.post("/editor/print", data={"hall": hall["slug"], "lang": "en"}).status_code == 302
    )
