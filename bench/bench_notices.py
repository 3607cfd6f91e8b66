"""How fast and how big printed notices are, and what printing leaves in the web worker.

    PYTHONPATH=. .venv/bin/python bench/bench_notices.py [--notices 200]

Runs on a throw-away SQLite database with the demo city, plus a bench hall whose items
repeat the demo's published contents until it holds --notices of them. Prints a table of
the figures that bench/README.md records: one notice not cached (through the web route,
laid out by a render process) and cached, size per page, pages per notice, the hall batch
with the render processes it used, and the resident memory of the web process.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import platform
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from pypdf import PdfReader

if TYPE_CHECKING:
    from services.models import Hall

# The app is imported inside the functions: render processes are spawned and import this
# script again, and should start as light as they do under gunicorn.

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_timed(fn, *args, **kwargs):
    """(wall seconds, CPU seconds of this process), result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - wall, time.process_time() - cpu), result


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process, in MB (0 once it has exited)."""
    found = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    return int(found[1]) / 1024 if found else 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class ChildWatch:
    """Samples the render processes while something runs: their CPU time and memory."""

    def __init__(self):
        self.cpu: dict[int, float] = {}
        self.start_cpu: dict[int, float] = {}
        self.peak_rss: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._sample()
        self.start_cpu = dict(self.cpu)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self):
        while not self._stop.wait(0.1):
            self._sample()

    def _sample(self):
        for child in multiprocessing.active_children():
            try:
                self.cpu[child.pid] = cpu_seconds(child.pid)
                self.peak_rss[child.pid] = max(self.peak_rss.get(child.pid, 0), rss_mb(child.pid))
            except (FileNotFoundError, ProcessLookupError):
                pass

    def busy(self, threshold: float = 0.5) -> dict[int, float]:
        """CPU seconds spent meanwhile by each process that did real work."""
        used = {pid: cpu - self.start_cpu.get(pid, 0) for pid, cpu in self.cpu.items()}
        return {pid: seconds for pid, seconds in used.items() if seconds >= threshold}


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def bench_hall(size: int) -> Hall:
    """A hall whose one utility repeats the demo's published items until it has `size`."""
    from sqlalchemy import select

    from services.db import db
    from services.models import Hall, Item, Revision, RevisionStatus, Utility

    published = db.session.scalars(
        select(Revision).where(Revision.status == RevisionStatus.PUBLISHED).order_by(Revision.id)
    ).all()
    template = published[0].item.utility
    utility = Utility(
        slug="bench-utility",
        name=template.name,
        short_name=template.short_name,
        sector=template.sector,
        nature=template.nature,
    )
    db.session.add(utility)
    for n in range(size):
        source = published[n % len(published)]
        item = Item(
            utility=utility,
            kind=source.item.kind,
            slug=f"bench-{n}",
            code=f"BENCH-{n}",
            category=source.item.category,
            position=n,
        )
        db.session.add(
            Revision(
                item=item,
                number=1,
                content=source.content,
                status=RevisionStatus.PUBLISHED,
                effective_from=source.effective_from,
                change_summary="bench",
            )
        )
    hall = Hall(slug="bench-hall", name="基准测试大厅", address="")
    hall.utilities = [utility]
    db.session.add(hall)
    db.session.commit()
    return hall


def main() -> None:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from kiosk import ROOT, create_app
    from kiosk.notices.printer import notice_printer
    from services.db import db
    from services.health import harfbuzz_subset_available
    from services.models import Revision, RevisionStatus
    from services.notices import render as notices

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notices", type=int, default=200, help="notices in the hall batch")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gongshi-bench-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}",
            "CACHE_DIR": str(folder / "cache"),
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        from fixtures.demo import seed_demo

        seed_demo()
        db.session.commit()
        revisions = db.session.scalars(
            select(Revision).where(Revision.status == RevisionStatus.PUBLISHED)
        ).all()
        client = app.test_client()
        rss_start = rss_mb()

        def url(revision: Revision, lang: str) -> str:
            return f"/print/{revision.id}.pdf?lang={lang}&paper=A4"

        # The first notice also starts a render process (and waits for it to load WeasyPrint).
        first, _ = cpu_timed(client.get, url(revisions[0], "zh_Hans"))
        # Not cached: every (revision, language) is asked for once, through the web route.
        cold, asked = [], []
        with ChildWatch() as singles:
            for revision in revisions:
                for lang in ("zh_Hant", "en", "zh_Hans"):
                    if (revision, lang) == (revisions[0], "zh_Hans"):
                        continue
                    seconds, _ = cpu_timed(client.get, url(revision, lang))
                    cold.append(seconds)
                    asked.append(url(revision, lang))
        rss_singles = rss_mb()
        # Read back from the cache only now, so that parsing PDFs here is not in the RSS above.
        per_page, pages = [], Counter()
        for address in asked:
            data = client.get(address).data
            count = page_count(data)
            pages[count] += 1
            per_page.append(len(data) / count)

        # Cached: the shared cache answers, and a revalidating client gets a 304.
        cached = url(revisions[0], "zh_Hans")
        etag = client.get(cached).headers["ETag"]
        hits = [cpu_timed(client.get, cached)[0] for _ in range(50)]
        not_modified = [
            cpu_timed(client.get, cached, headers={"If-None-Match": etag})[0] for _ in range(50)
        ]

        hall = bench_hall(args.notices)
        printer = notice_printer()
        rss_before = rss_mb()
        with ChildWatch() as watch:
            batch, rendered = cpu_timed(notices.hall_pdf, printer, hall, "zh_Hans", "A4")
        rss_after = rss_mb()
        cached_batch, _ = cpu_timed(notices.hall_pdf, printer, hall, "zh_Hans", "A4")
        data = rendered.path.read_bytes()
        batch_pages = page_count(data)
        printer.presses.shutdown()

    def median(runs, scale=1.0, unit="s", digits=3):
        wall = statistics.median(r[0] for r in runs) * scale
        cpu = statistics.median(r[1] for r in runs) * scale
        return f"{wall:.{digits}f} {unit} wall, {cpu:.{digits}f} {unit} CPU of the web process"

    busy = watch.busy()
    cores, load = os.cpu_count(), os.getloadavg()[0]
    rows = [
        ("machine", f"{platform.machine()}, {cores} cores, Python {platform.python_version()}"),
        ("load average at the end (other work on the machine)", f"{load:.1f}"),
        ("HarfBuzz subsetting", "yes" if harfbuzz_subset_available() else "NO"),
        ("first notice, starting a render process", median([first])),
        (f"one notice, not cached (median of {len(cold)})", median(cold)),
        ("one notice, not cached (slowest wall)", f"{max(r[0] for r in cold):.3f} s"),
        (
            "one notice, not cached: CPU of the render processes (mean)",
            f"{sum(singles.busy(0).values()) / len(cold):.3f} s",
        ),
        (
            "render processes, largest resident memory (single notices)",
            f"{max(singles.peak_rss.values(), default=0):.0f} MB",
        ),
        ("one notice, cached (median of 50)", median(hits, 1000, "ms", 1)),
        ("one notice, 304 revalidation (median of 50)", median(not_modified, 1000, "ms", 1)),
        (
            "not cached / cached (wall)",
            f"{statistics.median(r[0] for r in cold) / statistics.median(r[0] for r in hits):.0f}×",
        ),
        ("size per page, largest single notice", f"{max(per_page) / 1024:.0f} KB"),
        ("size per page, median single notice", f"{statistics.median(per_page) / 1024:.0f} KB"),
        (
            "pages per single notice (A4)",
            ", ".join(f"{n} page{'s' if n > 1 else ''}: {pages[n]}" for n in sorted(pages)),
        ),
        (
            f"hall batch of {args.notices} notices",
            f"{batch[0]:.1f} s wall, {batch[1]:.1f} s CPU of the web process, {batch_pages} pages",
        ),
        (
            "render processes busy during the batch (CPU s each)",
            f"{len(busy)}: " + ", ".join(f"{s:.1f}" for s in sorted(busy.values(), reverse=True)),
        ),
        (
            "render processes, largest resident memory (batch)",
            f"{max(watch.peak_rss.values(), default=0):.0f} MB",
        ),
        ("hall batch size per page", f"{len(data) / batch_pages / 1024:.0f} KB"),
        ("hall batch, cached", f"{cached_batch[0]:.2f} s wall"),
        ("WeasyPrint loaded in the web process", "yes" if "weasyprint" in sys.modules else "no"),
        (
            "web process RSS: start / after single notices / before batch / after batch",
            f"{rss_start:.0f} / {rss_singles:.0f} / {rss_before:.0f} / {rss_after:.0f} MB",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
