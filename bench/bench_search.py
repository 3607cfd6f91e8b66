"""How fast search answers on synthetic catalogues of 2,000 and 10,000 items, per kind of query.

    PYTHONPATH=. .venv/bin/python bench/bench_search.py [--items 2000 10000] [--rounds 30]
        [--database-url postgresql+psycopg://...]   (an empty database; default: temp SQLite)

For each size, seeds the synthetic catalogue (fixtures/synthetic.py) into a throw-away
database, indexes it, then runs a fixed set of about 100 queries drawn from the catalogue
with a fixed seed: Chinese words, one and two characters, pinyin initials, full pinyin and
Traditional characters, through search_catalogue() with the in-memory index the kiosk keeps,
and once each through GET /search as the kiosk's panel asks it (never seen before, so not
answered from the page cache). Prints p50/p95 per kind and writes them to the search section
of bench/README.md. The target is p95 ≤ 10 ms for a search not seen before at 10,000 items.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import re
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from kiosk import ROOT, create_app
from services.content.localize import to_traditional
from services.db import db
from services.models import SearchEntry
from services.search.index import rebuild_search_index, search_catalogue
from services.search.matching import load_search_index
from services.search.text import HAN_RUN, annotate

README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- bench_search: begin -->", "<!-- bench_search: end -->"
TARGET_MS = 10
PER_KIND = 20
SEED = 20261127
HTMX = {"HX-Request": "true", "HX-Target": "search-results"}


def quantile(values: list[float], q: float) -> float:
    """The q-quantile, by the nearest-rank method (no interpolation flatters nothing)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def han_words(names: list[str]) -> list[str]:
    """Runs of Chinese characters in the catalogue's item names."""
    return [run for name in names for run in HAN_RUN.findall(name) if len(run) >= 2]


def query_set(names: list[str]) -> dict[str, list[str]]:
    """About 100 queries in five kinds, drawn from the item names with a fixed seed."""
    rng = random.Random(SEED)
    words = sorted(set(han_words(names)))

    def piece(low: int, high: int) -> str:
        word = rng.choice([w for w in words if len(w) >= low])
        size = rng.randint(low, min(high, len(word)))
        start = rng.randint(0, len(word) - size)
        return word[start : start + size]

    def spaced_or_not(folded_word: str) -> str:
        syllables = annotate(folded_word).pinyin_spaced.split()
        joined = " ".join(syllables) if rng.random() < 0.3 else "".join(syllables)
        # A third of them half typed, as they are while the results update.
        return joined[: -rng.randint(1, 2)] if rng.random() < 0.3 else joined

    queries = {
        "Chinese, 3–6 characters": [piece(3, 6) for _ in range(PER_KIND - 2)]
        + ["火星基地", "量子纠缠申请"],  # nothing matches: the slowest path, every row read
        "Chinese, 1–2 characters": [piece(1, 2) for _ in range(PER_KIND)],
        "pinyin initials": [annotate(piece(2, 5)).initials for _ in range(PER_KIND)],
        "full pinyin": [spaced_or_not(piece(2, 4)) for _ in range(PER_KIND)],
        "Traditional characters": [],
    }
    while len(queries["Traditional characters"]) < PER_KIND:
        word = piece(2, 5)
        if to_traditional(word) != word:
            queries["Traditional characters"].append(to_traditional(word))
    return queries


def run(
    queries: dict[str, list[str]], rounds: int, call, warm_up: list[str] | None = None
) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) milliseconds per `call(query)`, per kind, over `rounds` passes after
    warming up (by default with the same queries; `warm_up` names others). CPU time is this
    process's own: all of it on SQLite, none of the server's on PostgreSQL; unlike wall
    time, it does not grow when other work shares the machine."""
    for kind_queries in [warm_up] if warm_up else queries.values():
        for query in kind_queries:  # pinyin tables, statement and template caches
            call(query)
    timings: dict[str, list[tuple[float, float]]] = {kind: [] for kind in queries}
    for _ in range(rounds):
        for kind, kind_queries in queries.items():
            for query in kind_queries:
                wall, cpu = time.perf_counter(), time.process_time()
                call(query)
                timings[kind].append(
                    ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
                )
                db.session.rollback()
    return timings


def write_readme(section: str) -> None:
    """Replace this benchmark's section of bench/README.md, leaving the others alone."""
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{section}{END}"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def table_row(label: str, pairs: list[tuple[float, float]]) -> tuple[str, float]:
    """A Markdown row of wall p50/p95/max and CPU p95, and the wall p95."""
    wall = [w for w, _ in pairs]
    p95 = quantile(wall, 0.95)
    cpu = quantile([c for _, c in pairs], 0.95)
    return f"| {label} | {quantile(wall, 0.5):.1f} | {p95:.1f} | {max(wall):.1f} | {cpu:.1f} |", p95


def measure(items: int, rounds: int, database_url: str) -> tuple[list[str], float, float]:
    """The Markdown lines for one catalogue size, the slowest kind's p95 and the panel's p95."""
    folder = Path(tempfile.mkdtemp(prefix="gongshi-bench-search-"))
    url = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "CACHE_DIR": str(folder / "cache")})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        from fixtures.synthetic import seed_synthetic

        seed_synthetic(items=items, seed=1)
        db.session.commit()
        start = time.perf_counter()
        indexed = rebuild_search_index()
        db.session.commit()
        index_seconds = time.perf_counter() - start
        start = time.process_time()
        index = load_search_index()  # what a worker reads once per catalogue change
        load_ms = (time.process_time() - start) * 1000
        queries = query_set(list(db.session.scalars(select(SearchEntry.name))))
        timings = run(queries, rounds, lambda q: search_catalogue(q, "zh_Hans", index=index))
        found = {
            kind: sum(bool(search_catalogue(q, "zh_Hans", index=index).total) for q in qs)
            for kind, qs in queries.items()
        }
        # The same queries as the kiosk sends them while a person types: the htmx panel.
        client = app.test_client()
        # One round: a repeated query is answered from the page cache, which would hide
        # the cost of the search itself.
        panel = run(
            queries,
            1,
            lambda q: client.get("/search", query_string={"q": q}, headers=HTMX),
            warm_up=["预热", "yure"],
        )
    count = sum(map(len, queries.values()))
    lines = [
        f"### {items:,} items\n",
        f"{indexed} items ({items} synthetic, seed 1) on {url.split(':')[0]}; {count} "
        f"queries × {rounds} rounds; index rebuilt in {index_seconds:.1f} s; the in-memory "
        f"copy read in {load_ms:.0f} ms CPU.\n",
        "| kind of query | queries (with results) | p50 ms | p95 ms | max ms | p95 CPU ms |",
        "|---|---|---|---|---|---|",
    ]
    worst = 0.0
    for kind, pairs in timings.items():
        row, p95 = table_row(f"{kind} | {len(queries[kind])} ({found[kind]})", pairs)
        lines.append(row)
        worst = max(worst, p95)
    every = [pair for pairs in panel.values() for pair in pairs]
    row, panel_p95 = table_row(
        f"*GET /search, htmx panel, each query once (not seen before)* | {count}", every
    )
    lines.append(row + "\n")
    return lines, worst, panel_p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    lines = [
        "## Search (bench/bench_search.py)\n",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}. Target: a search not seen before answers within "
        f"{TARGET_MS} ms at p95 with 10,000 items. Wall-clock grows with the machine's load; "
        "CPU time is this process's own (all of the work on SQLite).\n",
    ]
    summary = []
    for items in args.items:
        section, worst, panel_p95 = measure(items, args.rounds, args.database_url)
        lines += section
        verdict = "within" if panel_p95 <= TARGET_MS else "OVER"
        summary.append(
            f"- {items:,} items: GET /search not seen before p95 {panel_p95:.1f} ms "
            f"({verdict} the target); slowest kind in search_catalogue() p95 {worst:.1f} ms."
        )
    lines += summary
    lines.append(f"\nLoad average {os.getloadavg()[0]:.1f} at the end.\n")
    section = "\n".join(lines) + "\n"
    print(section)
    write_readme(section)


if __name__ == "__main__":
    main()
