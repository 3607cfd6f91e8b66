"""How fast the kiosk answers over HTTP, next to a bare Flask "hello" app served the same way.

    PYTHONPATH=. .venv/bin/python bench/bench_http.py [--items 2000] [--seconds 10]

Seeds the demo city and a 2,000-item synthetic catalogue (fixtures/synthetic.py) into a
throw-away SQLite database, starts Gongshi under gunicorn (2 workers) and, beside it under the
same settings, bench/hello_app.py; installs wrk from Debian if it is missing; then loads each
URL with 32 connections for a bounded time and prints requests/s and p99 latency, each as a
ratio to the hello app loaded just before it in the same run (so that a change in the
machine's load between URLs does not skew the ratio), the workers' CPU time per request, and
each worker's resident memory. Writes the results and the machine's description to the HTTP
section of bench/README.md. Goals: item detail ≥ 70 % of hello's requests/s, every p99
≤ 50 ms, each worker ≤ 200 MB.
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

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- bench_http: begin -->", "<!-- bench_http: end -->"
GUNICORN = [sys.executable, "-m", "gunicorn", "--workers", "2", "--log-level", "warning"]
CONNECTIONS = 32
GOAL_RATIO, GOAL_P99_MS, GOAL_RSS_MB = 0.70, 50.0, 200
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


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
    path: str | None
    headers: tuple[str, ...] = ()
    note: str = ""


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


def wrk(binary: str, url: str, seconds: int, master_pid: int, headers: tuple = ()) -> Load:
    """One bounded wrk run (2 threads, 32 connections) after a short warm-up.

    Besides wrk's figures, the workers' own CPU time per request: unlike requests/s and
    latency it hardly moves when other programs share the machine.
    """
    header_args = [arg for header in headers for arg in ("-H", header)]
    common = [binary, "-t2", f"-c{CONNECTIONS}", *header_args]
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


def targets(base: str) -> list[Target]:
    """The URLs measured, found through the API so they exist in this catalogue."""

    def middle_item(kind: str) -> dict:
        first = get(f"{base}/api/v1/items?kind={kind}&per_page=1")
        total = json.loads(first[2])["meta"]["total"]
        page = get(f"{base}/api/v1/items?kind={kind}&per_page=1&page={max(1, total // 2)}")
        return json.loads(page[2])["data"][0]

    service, tariff = middle_item("service"), middle_item("tariff")
    found = [
        Target("kiosk home", "/"),
        Target("item detail", urlsplit(service["links"]["page"]).path),
        Target("tariff page", urlsplit(tariff["links"]["page"]).path),
    ]
    query = "/search?q=%E6%B0%B4%E8%A1%A8"  # 水表
    if get(base + query)[0] == 404:
        found.append(Target("search", None, note="no /search in this build"))
    else:
        found.append(Target("search", query))
    board = "/board/civic-centre/poll"  # what a wall board asks every few seconds
    status, headers, _body = get(base + board)
    label = "board revalidation (304)"
    if status == 404:
        found.append(Target(label, None, note=f"no {board} in this build"))
    elif get(base + board, {"If-None-Match": headers.get("ETag", "")})[0] != 304:
        found.append(Target(label, None, note=f"{board} answers no 304"))
    else:
        found.append(Target(label, board, (f"If-None-Match: {headers['ETag']}",)))
    found.append(Target("API item", f"/api/v1/items/{service['code']}"))
    return found


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


def goal(text: str, ok: bool) -> str:
    return f"- {text}: " + ("met" if ok else "**NOT met**")


def report(rows, rss: list[float], args, described: str) -> str:
    """`rows` are (target, its load, the hello app's load measured just before it)."""
    lines = [
        "## HTTP (bench/bench_http.py)\n",
        f"{args.items} synthetic items (seed 1) plus the demo city; gunicorn, 2 sync workers, "
        f'for Gongshi and for a bare Flask app answering "hello"; wrk, {CONNECTIONS} '
        f"connections, {args.seconds} s per URL after a 2 s warm-up, hello loaded the same "
        "way just before each URL. Pages are served from the page cache after their first "
        'request, which is how kiosks meet them. "CPU/request" is the workers\' own CPU '
        "time per answer: it moves little when other programs share the machine, while "
        f"requests/s and p99 move a lot. Machine: {described}.\n",
        "| URL | requests/s | hello requests/s | vs hello | p99 ms (hello) "
        "| CPU/request µs (hello) | vs hello by CPU | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for target, load, hello in rows:
        if load is None:
            lines.append(f"| {target.label} | — | — | — | — | — | — | skipped: {target.note} |")
            continue
        lines.append(
            f"| {target.label} (`{target.path}`) | {load.requests_per_second:,.0f} | "
            f"{hello.requests_per_second:,.0f} | "
            f"{load.requests_per_second / hello.requests_per_second:.0%} | "
            f"{load.p99_ms:.1f} ({hello.p99_ms:.1f}) | {load.cpu_us:.0f} ({hello.cpu_us:.0f}) | "
            f"{hello.cpu_us / load.cpu_us:.0%} | {load.errors} |"
        )
    lines.append(f"\nWorker RSS after the run: {', '.join(f'{mb:.0f} MB' for mb in rss)}.\n")
    measured = {t.label: (load, hello) for t, load, hello in rows if load}
    item, item_hello = measured["item detail"]
    ratio = item.requests_per_second / item_hello.requests_per_second
    worst_label = max(measured, key=lambda label: measured[label][0].p99_ms)
    worst_p99 = measured[worst_label][0].p99_ms
    lines += [
        "Goals:",
        goal(f"item detail at {ratio:.0%} of hello's requests/s "
             f"({item_hello.cpu_us / item.cpu_us:.0%} by CPU/request; goal ≥ {GOAL_RATIO:.0%})",
             ratio >= GOAL_RATIO),
        goal(f"worst p99 {worst_p99:.1f} ms, {worst_label} (goal ≤ {GOAL_P99_MS:.0f} ms)",
             worst_p99 <= GOAL_P99_MS),
        goal(f"largest worker {max(rss):.0f} MB (goal ≤ {GOAL_RSS_MB} MB)",
             max(rss) <= GOAL_RSS_MB),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10, help="load time per URL")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gongshi-bench-http-"))
    database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
    print(f"seeding {args.items} items into {database_url} ...", flush=True)
    seed(database_url, args.items)
    binary = ensure_wrk()
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
        for target in targets(kiosk_url):
            load = hello = None
            if target.path:
                print(f"loading hello, then {target.label}: {target.path}", flush=True)
                hello = wrk(binary, hello_url + "/", args.seconds, hello_app.pid)
                load = wrk(binary, kiosk_url + target.path, args.seconds, kiosk.pid, target.headers)
            rows.append((target, load, hello))
        rss = worker_rss_mb(kiosk.pid)
    finally:
        stop(kiosk)
        stop(hello_app)
    section = report(rows, rss, args, machine())
    print(section)
    README.write_text(
        replace_section(README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n",
                        section),
        encoding="utf-8",
    )  # fmt: skip
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
