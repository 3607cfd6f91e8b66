"""How fast the kiosk answers over HTTP, cold and warm, next to a bare Flask "hello" app.

    PYTHONPATH=. .venv/bin/python bench/bench_http.py [--items 2000 10000] [--seconds 5]

For each catalogue size: seeds the demo city and a synthetic catalogue (fixtures/synthetic.py)
into a throw-away SQLite database, starts Gongshi under gunicorn (2 sync workers) and, beside
it under the same settings, bench/hello_app.py; installs wrk from Debian if it is missing.
Then, for each URL, loads hello, the URL warm (the same address again and again: the page
cache answers) and the URL cold (each request under a new Host the site is not known by, so
the page cache never keeps it and the page is built from the database, though pieces of its
markup kept from an earlier request of the same page may be reused), all with the same
connections for a bounded time, one after the other. "First views" asks each time an item
page that nobody asked before in the run, in one of the languages: nothing of it is kept, as
after a publish or at midnight. Prints requests/s as a ratio to the hello app loaded just
before, the workers' CPU time per request, and each worker's resident memory after a mix of
requests in every language. Writes the results to the HTTP section of bench/README.md.
Targets: a cold item page ≥ 15 % of hello's requests/s at 10,000 items; board revalidation
answered from the cache like the pages; each worker ≤ 150 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import gunicorn
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- bench_http: begin -->", "<!-- bench_http: end -->"
GUNICORN = [
    sys.executable,
    "-m",
    "gunicorn",
    "--workers",
    "2",
    "--log-level",
    "warning",
    "--no-control-socket",
]
CONNECTIONS = 16
GOAL_COLD_RATIO, GOAL_RSS_MB = 0.15, 150
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
LANGUAGES = ("zh_Hans", "zh_Hant", "en")
# Each request under a new Host, one the site is not known by (kiosk.page_keys): its page is
# built and never kept, so the page cache never answers it; a new query string no longer
# does that, as parameters a page does not read share its entry.
# Numbers wrk's threads (tid) and counts each thread's requests.
THREADS_LUA = """
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
"""
UNIQUE_LUA = (
    THREADS_LUA
    + """
function request()
  counter = counter + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Host"] = "cold-" .. tid .. "-" .. counter .. ".invalid"
  return wrk.format(nil, wrk.path, headers)
end
"""
)
# Each request the next of a list of item pages in one language, none asked before in the run:
# neither the page cache nor the kept pieces of markup have it, as after a publish, at
# midnight or in a new language. The list is long enough that no page is asked twice.
FIRST_VIEW_LUA = (
    THREADS_LUA.replace("%", "%%")
    + """
local paths = {%s}
function request()
  counter = counter + 1
  return wrk.format(nil, paths[(counter * 2 + tid - 2) %% #paths + 1])
end
"""
)


@dataclass
class Load:
    """What wrk measured for one URL."""

    requests_per_second: float
    p99_ms: float
    errors: int
    cpu_us: float  # worker CPU time per request


@dataclass
class Target:
    label: str
    path: str
    headers: tuple[str, ...] = ()
    cold: bool = True  # also measured under a new Host each time
    first_views: bool = False  # only measured as first views of other items (FIRST_VIEW_LUA)


@dataclass
class Row:
    target: Target
    hello: Load
    warm: Load | None
    cold: Load | None


@dataclass
class Run:
    items: int
    rows: list[Row]
    rss_mb: list[float]
    mix: int  # requests in the mix before RSS was read


def seed(database_url: str, items: int) -> None:
    """The demo city (halls, reference data) and the synthetic catalogue, search-indexed."""
    from flask_migrate import upgrade

    from fixtures.demo import seed_demo
    from fixtures.synthetic import seed_synthetic
    from kiosk import create_app
    from services.db import db
    from services.search.index import rebuild_search_index

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="heads")
        seed_demo()
        seed_synthetic(items=items, seed=1)
        db.session.commit()
        rebuild_search_index()
        db.session.commit()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(app_spec: str, env: dict[str, str], *extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [*GUNICORN, "--bind", f"127.0.0.1:{port}", *extra, app_spec]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    status = None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status = get(base + "/", timeout=60)[0]
        except OSError:  # not listening yet, or a worker still booting
            time.sleep(0.2)
            continue
        if status == 200:
            return process, base
        break
    stop(process)
    raise SystemExit(f"{app_spec} did not start (last answer: {status})")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def ensure_wrk() -> str:
    """wrk from Debian's packages, installed once if missing."""
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-q"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=True, env=env)
    return shutil.which("wrk") or "/usr/bin/wrk"


def get(url: str, headers: dict | None = None, timeout: float = 30) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def to_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    return float(match[1]) * UNITS_MS[match[2]] if match else float("nan")


def wrk(
    binary: str,
    url: str,
    seconds: int,
    master_pid: int,
    headers: tuple = (),
    script: str = "",
    warm_up: bool = True,
) -> Load:
    """One bounded wrk run (2 threads) after a 2 s warm-up, `script` making each address.

    Besides wrk's figures, the workers' own CPU time per request: unlike requests/s and
    latency it hardly moves when other programs share the machine.
    """
    header_args = [arg for header in headers for arg in ("-H", header)]
    script_args = ["-s", script] if script else []
    common = [binary, "-t2", f"-c{CONNECTIONS}", *header_args, *script_args]
    if warm_up:
        subprocess.run([*common, "-d2s", url], check=True, capture_output=True)
    cpu_before = worker_cpu_seconds(master_pid)
    result = subprocess.run(
        [*common, f"-d{seconds}s", "--latency", "--timeout", "5s", url],
        check=True,
        capture_output=True,
        text=True,
    )
    cpu = worker_cpu_seconds(master_pid) - cpu_before
    out = result.stdout
    done = int(re.search(r"(\d+) requests in", out)[1])
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M)[1])
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read \d+, write \d+, timeout (\d+)", out
    )
    errors = int(bad[1]) if bad else 0
    if socket_errors:
        errors += int(socket_errors[1]) + int(socket_errors[2])
    return Load(rps, p99, errors, cpu / max(done, 1) * 1e6)


def workers(master_pid: int) -> list[tuple[Path, list[str]]]:
    """Each child of a gunicorn master: its /proc folder and the fields of its stat line."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == str(master_pid):
            found.append((stat.parent, fields))
    return found


def worker_cpu_seconds(master_pid: int) -> float:
    """User and system CPU time the workers have used so far."""
    ticks = sum(int(fields[11]) + int(fields[12]) for _folder, fields in workers(master_pid))
    return ticks / os.sysconf("SC_CLK_TCK")


def worker_rss_mb(master_pid: int) -> list[float]:
    """Resident memory of each worker, from /proc."""
    sizes = []
    for folder, _fields in workers(master_pid):
        kb = re.search(r"VmRSS:\s+(\d+) kB", (folder / "status").read_text())
        if kb:
            sizes.append(int(kb[1]) / 1024)
    return sorted(sizes)


def api_items(base: str, kind: str) -> list[dict]:
    first = get(f"{base}/api/v1/items?kind={kind}&per_page=1")
    total = json.loads(first[2])["meta"]["total"]
    found = []
    for page in (1, max(1, total // 2), total):
        found += json.loads(get(f"{base}/api/v1/items?kind={kind}&per_page=1&page={page}")[2])[
            "data"
        ]
    return found


def item_paths(database_url: str, count: int) -> list[str]:
    """`count` item pages of the synthetic catalogue, each in one of the languages in turn."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT utility.slug, item.slug FROM item JOIN utility"
                " ON utility.id = item.utility_id ORDER BY item.id"
            )
        ).all()
    engine.dispose()
    pages = [f"/u/{utility}/{item}?lang={lang}" for lang in LANGUAGES for utility, item in rows]
    return pages[:count]


def targets(base: str) -> list[Target]:
    """The URLs measured, found through the API so they exist in this catalogue."""
    service = api_items(base, "service")[1]
    tariff = api_items(base, "tariff")[1]
    item_path = urlsplit(service["links"]["page"]).path
    board = "/board/civic-centre/poll"  # what a wall board asks every few seconds
    etag = get(base + board)[1].get("ETag", "")
    if get(base + board, {"If-None-Match": etag})[0] != 304:
        raise SystemExit(f"{board} answers no 304")
    return [
        Target("start screen", "/"),
        Target("utility page", item_path.rsplit("/", 1)[0]),
        Target("item page (service)", item_path),
        Target("item page (tariff)", urlsplit(tariff["links"]["page"]).path),
        Target("item page, first views (another item each time)", "/", first_views=True),
        Target("search", "/search?q=%E6%B0%B4%E8%A1%A8"),  # 水表
        Target("board revalidation (304)", board, (f"If-None-Match: {etag}",), cold=False),
        Target("API item", f"/api/v1/items/{service['code']}", cold=False),
    ]


def request_mix(base: str, paths: list[str]) -> int:
    """Every measured page, a few more items and searches, in each language; returns how many."""
    extra = [
        urlsplit(i["links"]["page"]).path
        for kind in ("service", "tariff")
        for i in api_items(base, kind)
    ]
    searches = ["/search?q=" + q for q in ("%E6%B0%B4", "shuibiao", "jf", "%E7%94%B5%E8%B4%B9")]
    done = 0
    for lang in LANGUAGES:
        for path in [*paths, *extra, *searches, "/r/1", "/changes", "/calendar"]:
            separator = "&" if "?" in path else "?"
            for _ in range(2):  # two workers: give each a chance to serve it
                get(f"{base}{path}{separator}lang={lang}&mix={done}")
                done += 1
    return done


def measure(items: int, seconds: int, binary: str) -> Run:
    folder = Path(tempfile.mkdtemp(prefix="gongshi-bench-http-"))
    database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
    print(f"seeding {items} items into {database_url} ...", flush=True)
    seed(database_url, items)
    script = folder / "unique.lua"
    script.write_text(UNIQUE_LUA)
    first_views = folder / "first_views.lua"
    paths = item_paths(database_url, 3 * (items + 80))
    first_views.write_text(FIRST_VIEW_LUA % ", ".join(json.dumps(p) for p in paths))
    env = os.environ | {
        "PYTHONPATH": str(ROOT),
        "GONGSHI_DATABASE_URL": database_url,
        "GONGSHI_CACHE_DIR": str(folder / "cache"),
    }
    kiosk, kiosk_url = start("kiosk:create_app()", env)
    try:
        hello_app, hello_url = start("hello_app:app", env, "--pythonpath", str(ROOT / "bench"))
    except SystemExit:
        stop(kiosk)
        raise
    try:
        rows = []
        found = targets(kiosk_url)
        for target in found:
            print(f"{items} items: hello, then {target.label}: {target.path}", flush=True)
            hello = wrk(binary, hello_url + "/", seconds, hello_app.pid)
            url = kiosk_url + target.path
            if target.first_views:
                cold = wrk(binary, url, seconds, kiosk.pid, script=str(first_views), warm_up=False)
                rows.append(Row(target, hello, None, cold))
                continue
            warm = wrk(binary, url, seconds, kiosk.pid, target.headers)
            cold = None
            if target.cold:
                cold = wrk(binary, url, seconds, kiosk.pid, target.headers, str(script))
            rows.append(Row(target, hello, warm, cold))
        mix = request_mix(kiosk_url, [t.path for t in found])
        rss = worker_rss_mb(kiosk.pid)
    finally:
        stop(kiosk)
        stop(hello_app)
    shutil.rmtree(folder, ignore_errors=True)
    return Run(items, rows, rss, mix)


def machine() -> str:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    os_name = re.search(r'PRETTY_NAME="(.+)"', Path("/etc/os-release").read_text())
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[:2]
    return (
        f"{cpu[1] if cpu else platform.processor()}, {os.cpu_count()} cores, "
        f"{int(memory[1]) / 1024 / 1024:.0f} GiB; {os_name[1] if os_name else platform.system()}; "
        f"Python {platform.python_version()}, gunicorn {gunicorn.__version__} (sync workers), "
        f"{' '.join(wrk_version)}; SQLite; load average {os.getloadavg()[0]:.1f} at the end"
    )


def replace_section(text: str, section: str) -> str:
    """This benchmark's part of the README replaced (or added), the others left alone."""
    block = f"{BEGIN}\n{section}{END}"
    if BEGIN not in text:
        return text.rstrip("\n") + "\n\n" + block + "\n"
    head, rest = text.split(BEGIN, 1)
    return head + block + rest.split(END, 1)[1]


def ratio(load: Load | None, hello: Load) -> str:
    if load is None:
        return "—"
    return f"{load.requests_per_second / hello.requests_per_second:.0%}"


def figures(load: Load | None) -> str:
    if load is None:
        return "— | —"
    return f"{load.requests_per_second:,.0f} | {load.cpu_us:,.0f}"


def goal(text: str, ok: bool) -> str:
    return f"- {text}: " + ("met" if ok else "**NOT met**")


def report(runs: list[Run], seconds: int, described: str) -> str:
    lines = [
        "## HTTP (bench/bench_http.py)\n",
        "The demo city plus a synthetic catalogue (seed 1) of each size; gunicorn, 2 sync "
        'workers, for Gongshi and for a bare Flask app answering "hello"; wrk, '
        f"{CONNECTIONS} connections, {seconds} s per load after a 2 s warm-up, on loopback. "
        "For each URL: hello, then the URL *warm* (the same address again and again, answered "
        "from the page cache) and *cold* (a new Host on every request, one the site is not "
        "known by, so the page cache never keeps it and the page is built from the database; "
        "pieces of markup kept from the same page in the same language may be reused). "
        "*First views* ask a different item page each time, in turn in each language, none "
        "asked before in the run: nothing of it is kept, as after a publish, at midnight or "
        'in a new language. "vs hello" divides requests/s by hello\'s, loaded just before. '
        '"CPU µs" is the workers\' own CPU time '
        "per answer: it moves little when other programs share the machine, while requests/s "
        f"and p99 move a lot. Machine: {described}.\n",
    ]
    for run in runs:
        lines += [
            f"### {run.items:,} synthetic items\n",
            "| URL | hello req/s | hello CPU µs | warm req/s | warm CPU µs | warm vs hello "
            "| cold req/s | cold CPU µs | cold vs hello | errors |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in run.rows:
            errors = sum(load.errors for load in (row.warm, row.cold) if load)
            lines.append(
                f"| {row.target.label} (`{row.target.path}`) | {figures(row.hello)} | "
                f"{figures(row.warm)} | {ratio(row.warm, row.hello)} | {figures(row.cold)} | "
                f"{ratio(row.cold, row.hello)} | {errors} |"
            )
        rss = ", ".join(f"{mb:.0f} MB" for mb in run.rss_mb)
        lines.append(f"\nWorker RSS after the loads and a mix of {run.mix} more requests: {rss}.\n")
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        lines += [
            f"### Growth from {first.items:,} to {last.items:,} items (cold CPU µs per request)\n",
            "| URL | " + " | ".join(f"{r.items:,}" for r in runs) + " | growth |",
            "|---|" + "---|" * len(runs) + "---|",
        ]
        for n, row in enumerate(first.rows):
            cells = [r.rows[n].cold or r.rows[n].warm for r in runs]
            growth = cells[-1].cpu_us / cells[0].cpu_us
            kind = "cold" if row.cold else "warm"
            lines.append(
                f"| {row.target.label} ({kind}) | "
                + " | ".join(f"{c.cpu_us:,.0f}" for c in cells)
                + f" | ×{growth:.2f} |"
            )
        lines.append(
            "\nWorker RSS: "
            + "; ".join(f"{r.items:,} items {max(r.rss_mb):.0f} MB" for r in runs)
            + ".\n"
        )
    last = runs[-1]
    rows = {row.target.label: row for row in last.rows}
    item = rows["item page (service)"]
    cold_ratio = item.cold.requests_per_second / item.hello.requests_per_second
    first = rows["item page, first views (another item each time)"]
    first_ratio = first.cold.requests_per_second / first.hello.requests_per_second
    board = rows["board revalidation (304)"]
    board_ratio = board.warm.requests_per_second / board.hello.requests_per_second
    lines += [
        f"Targets at {last.items:,} items:",
        goal(
            f"cold item page at {cold_ratio:.0%} of hello's requests/s "
            f"(goal ≥ {GOAL_COLD_RATIO:.0%})",
            cold_ratio >= GOAL_COLD_RATIO,
        ),
        goal(
            f"item pages seen for the first time (no page or piece of it kept) at "
            f"{first_ratio:.0%} of hello's requests/s (goal ≥ {GOAL_COLD_RATIO:.0%})",
            first_ratio >= GOAL_COLD_RATIO,
        ),
        goal(
            f"board revalidation at {board_ratio:.0%} of hello's requests/s, answered from "
            "the cache like the pages",
            board_ratio >= 0.9,
        ),
        goal(
            f"largest worker {max(last.rss_mb):.0f} MB (goal ≤ {GOAL_RSS_MB} MB)",
            max(last.rss_mb) <= GOAL_RSS_MB,
        ),
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--seconds", type=int, default=5, help="load time per URL")
    args = parser.parse_args()
    binary = ensure_wrk()
    runs = [measure(items, args.seconds, binary) for items in args.items]
    section = report(runs, args.seconds, machine())
    print(section)
    README.write_text(
        replace_section(
            README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n", section
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
