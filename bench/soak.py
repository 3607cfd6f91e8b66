"""Soak the rehearsal set-up: mixed load for a long while, a publish every 10 s.

Starts what deploy/rehearsal/rehearse.py starts (PostgreSQL database given, two gunicorn
app servers, the job worker, nginx), then for --minutes runs, through nginx:
kiosk readers (start screen, utility and item pages), a searcher, a wall board polling
every second with its ETag, a notice printer, and a publisher that publishes a change
through server A every 10 s and measures how long until server B's page shows it.

It reports errors (any answer other than 200/304, or no answer), the staleness of B's page
after each publish (worst and median), and the resident memory of every gunicorn worker
after warm-up and at the end (flat within 10 % is the target). Figures go to
bench/README.md by hand.

Usage: python bench/soak.py --database-url postgresql+psycopg://…/empty_db [--minutes 30]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy" / "rehearsal"))

import rehearse  # noqa: E402  (the rehearsal's set-up, reused as it is)

PUBLISH_EVERY = 10.0
WARM_UP = 120.0
SEARCH_TERMS = ["水", "电", "燃气", "过户", "shui", "gh", "营业执照", "供暖", "报装", "xiaohu"]


class Load:
    """Counts of what the load threads saw, shared between them."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answers: Counter[str] = Counter()
        self.errors: list[str] = []
        self.stop = threading.Event()

    def record(self, what: str, response: requests.Response | None, error: str = "") -> None:
        with self.lock:
            if response is not None and response.status_code in (200, 304):
                self.answers[what] += 1
            else:
                status = response.status_code if response is not None else error
                self.errors.append(f"{what}: {status}")


def pages(database_url: str) -> tuple[list[str], list[int]]:
    """Item and utility pages, and published revision ids."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT utility.slug, item.slug FROM item"
                " JOIN utility ON utility.id = item.utility_id"
            )
        ).all()
        revisions = list(
            conn.execute(text("SELECT id FROM revision WHERE status = 'published'")).scalars()
        )
    engine.dispose()
    urls = [f"/u/{u}/{i}" for u, i in rows] + sorted({f"/u/{u}" for u, _ in rows})
    return urls, revisions


def reader(setup: rehearse.Setup, load: Load, urls: list[str]) -> None:
    with requests.Session() as session:
        while not load.stop.is_set():
            url = random.choice(urls + ["/"])
            try:
                load.record("page", session.get(setup.nginx + url, verify=False, timeout=30))
            except requests.RequestException as error:
                load.record("page", None, type(error).__name__)
            time.sleep(random.uniform(0.05, 0.3))


def searcher(setup: rehearse.Setup, load: Load) -> None:
    with requests.Session() as session:
        while not load.stop.is_set():
            term = random.choice(SEARCH_TERMS)
            try:
                answer = session.get(
                    setup.nginx + "/search", params={"q": term}, verify=False, timeout=30
                )
                load.record("search", answer)
            except requests.RequestException as error:
                load.record("search", None, type(error).__name__)
            time.sleep(random.uniform(0.5, 1.5))


def board(setup: rehearse.Setup, load: Load) -> None:
    etag = ""
    with requests.Session() as session:
        while not load.stop.is_set():
            try:
                answer = session.get(
                    f"{setup.nginx}/board/civic-centre/poll",
                    headers={"If-None-Match": etag} if etag else {},
                    verify=False,
                    timeout=30,
                )
                etag = answer.headers.get("ETag", etag)
                load.record("board", answer)
            except requests.RequestException as error:
                load.record("board", None, type(error).__name__)
            time.sleep(1.0)


def printer(setup: rehearse.Setup, load: Load, revisions: list[int]) -> None:
    with requests.Session() as session:
        while not load.stop.is_set():
            url = f"{setup.nginx}/print/{random.choice(revisions)}.pdf?lang=zh_Hans"
            try:
                load.record("pdf", session.get(url, verify=False, timeout=60))
            except requests.RequestException as error:
                load.record("pdf", None, type(error).__name__)
            time.sleep(2.0)


def publisher(setup: rehearse.Setup, load: Load, delays: list[float]) -> None:
    """Publish a change to one tariff through A every 10 s; how long until B shows it."""
    editor = rehearse.sign_in(setup.direct("A"), "rehearsal-editor")
    reviewer = rehearse.sign_in(setup.direct("A"), "rehearsal-reviewer")
    item_id, page, _hall = rehearse.demo_targets(setup.database_url)
    b = setup.direct("B")
    next_at = time.monotonic()
    while not load.stop.is_set():
        next_at += PUBLISH_EVERY
        try:
            revision_id = rehearse.publish_through_a(editor, reviewer, item_id)
            published = time.monotonic()
            while time.monotonic() - published < 30:
                if f"/r/{revision_id}" in requests.get(b + page, timeout=30).text:
                    delays.append(time.monotonic() - published)
                    break
                time.sleep(0.05)
            else:
                load.record("publish", None, f"revision {revision_id} not on B after 30 s")
            load.answers["publish"] += 1
        except (rehearse.RehearsalFailed, requests.RequestException) as error:
            load.record("publish", None, str(error)[:200])
        load.stop.wait(max(0.0, next_at - time.monotonic()))


def gunicorn_workers(setup: rehearse.Setup) -> dict[int, int]:
    """Resident memory (kB) of every gunicorn worker of both app servers."""
    found = {}
    masters = {setup.processes[f"app-{s}"].pid for s in rehearse.APP_PORTS}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        if int(fields.get("PPid", "0").strip()) in masters and "VmRSS" in fields:
            found[int(status.parent.name)] = int(re.sub(r"\D", "", fields["VmRSS"]))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="An empty PostgreSQL database.")
    parser.add_argument("--minutes", type=float, default=30.0)
    args = parser.parse_args()
    setup = rehearse.Setup(Path(tempfile.mkdtemp(prefix="gongshi-soak-")), args.database_url)
    load, delays = Load(), []
    try:
        rehearse.prepare(setup)
        rehearse.start_servers(setup)
        urls, revisions = pages(args.database_url)
        threads = [threading.Thread(target=reader, args=(setup, load, urls)) for _ in range(4)]
        threads += [
            threading.Thread(target=searcher, args=(setup, load)),
            threading.Thread(target=board, args=(setup, load)),
            threading.Thread(target=printer, args=(setup, load, revisions)),
            threading.Thread(target=publisher, args=(setup, load, delays)),
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        warm = None
        memory_log = []
        while time.monotonic() - started < args.minutes * 60:
            time.sleep(30)
            sample = gunicorn_workers(setup)
            memory_log.append((time.monotonic() - started, sample))
            if warm is None and time.monotonic() - started >= min(WARM_UP, args.minutes * 30):
                warm = sample
        load.stop.set()
        for thread in threads:
            thread.join(timeout=120)
        last = memory_log[-1][1] if memory_log else {}
    finally:
        setup.stop_all()
        shutil.rmtree(setup.work, ignore_errors=True)

    total = sum(load.answers.values())
    print(f"soak of {args.minutes:g} min: {total} answers {dict(load.answers)}")
    print(f"errors: {len(load.errors)} {load.errors[:10]}")
    if delays:
        print(
            f"publishes seen on B: {len(delays)}; staleness median {statistics.median(delays):.2f}"
            f" s, worst {max(delays):.2f} s"
        )
    growth = []
    for pid, rss in sorted((warm or {}).items()):
        if pid in last:
            growth.append((last[pid] - rss) / rss)
            end = last[pid] / 1024
            print(f"worker {pid}: {rss / 1024:.0f} MB after warm-up, {end:.0f} MB at end")
    if growth:
        print(f"worst worker growth after warm-up: {max(growth) * 100:+.1f} %")
    ok = not load.errors and delays and max(delays) <= 2.0 and growth and max(growth) <= 0.10
    print("soak passed" if ok else "soak FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
