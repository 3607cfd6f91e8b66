"""How fast printed notices are: one notice cold and cached, and a 200-notice hall batch.

    PYTHONPATH=. .venv/bin/python bench/bench_notices.py [--notices 200]

Runs on a throw-away SQLite database with the demo city, plus a bench hall whose items
repeat the demo's published contents until it holds --notices of them. Prints a table of
the figures that bench/README.md records.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from pypdf import PdfReader
from sqlalchemy import select

from kiosk import ROOT, create_app
from services.db import db
from services.health import harfbuzz_subset_available
from services.models import Hall, Item, Revision, RevisionStatus, Utility
from services.notices import render as notices


def timed(fn, *args, **kwargs):
    """Wall-clock seconds, result. See cpu_timed for a figure that ignores other load."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def cpu_timed(fn, *args, **kwargs):
    """(wall seconds, CPU seconds of this process), result: rendering uses one core."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return (time.perf_counter() - wall, time.process_time() - cpu), result


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def bench_hall(size: int) -> Hall:
    """A hall whose one utility repeats the demo's published items until it has `size`."""
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

        def url(revision: Revision, lang: str) -> str:
            return f"/print/{revision.id}.pdf?lang={lang}&paper=A4"

        # Not cached: every (revision, language) is asked for once, through the web route.
        first, _ = cpu_timed(client.get, url(revisions[0], "zh_Hans"))
        cold, per_page = [], []
        for revision in revisions:
            for lang in ("zh_Hant", "en", "zh_Hans"):
                if (revision, lang) == (revisions[0], "zh_Hans"):
                    continue
                seconds, response = cpu_timed(client.get, url(revision, lang))
                cold.append(seconds)
                per_page.append(len(response.data) / page_count(response.data))

        # Cached: the shared cache answers, and a revalidating client gets a 304.
        cached = url(revisions[0], "zh_Hans")
        etag = client.get(cached).headers["ETag"]
        hits = [cpu_timed(client.get, cached)[0] for _ in range(50)]
        not_modified = [
            cpu_timed(client.get, cached, headers={"If-None-Match": etag})[0] for _ in range(50)
        ]

        hall = bench_hall(args.notices)
        batch, rendered = cpu_timed(notices.hall_pdf, hall, "zh_Hans", "A4")
        data = rendered.path.read_bytes()
        pages = page_count(data)
        cached_batch, _ = cpu_timed(notices.hall_pdf, hall, "zh_Hans", "A4")

    def median(runs, scale=1.0, unit="s", digits=3):
        wall = statistics.median(r[0] for r in runs) * scale
        cpu = statistics.median(r[1] for r in runs) * scale
        return f"{wall:.{digits}f} {unit} wall, {cpu:.{digits}f} {unit} CPU"

    cores, load = os.cpu_count(), os.getloadavg()[0]
    rows = [
        ("machine", f"{platform.machine()}, {cores} cores, Python {platform.python_version()}"),
        ("load average at the end (other work on the machine)", f"{load:.1f}"),
        ("HarfBuzz subsetting", "yes" if harfbuzz_subset_available() else "NO"),
        ("first notice in a fresh process", median([first])),
        (f"one notice, not cached (median of {len(cold)})", median(cold)),
        ("one notice, not cached (slowest wall)", f"{max(r[0] for r in cold):.3f} s"),
        ("one notice, cached (median of 50)", median(hits, 1000, "ms", 1)),
        ("one notice, 304 revalidation (median of 50)", median(not_modified, 1000, "ms", 1)),
        (
            "not cached / cached (wall)",
            f"{statistics.median(r[0] for r in cold) / statistics.median(r[0] for r in hits):.0f}×",
        ),
        ("size per page, largest single notice", f"{max(per_page) / 1024:.0f} KB"),
        (f"hall batch of {args.notices} notices", f"{median([batch], digits=1)}, {pages} pages"),
        ("hall batch size per page", f"{len(data) / pages / 1024:.0f} KB"),
        ("hall batch, cached", median([cached_batch], digits=2)),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
