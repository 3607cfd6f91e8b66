"""Rehearse a city's production set-up on one machine and check what several servers must do.

PostgreSQL, two gunicorn app servers (A and B) and the job worker behind nginx (Debian's
package, running the site file in deploy/nginx with its ports and paths changed), all on
loopback. Then, through the real HTTP stack:

1. nginx serves the static files itself, with a year's caching for hashed names;
2. a sign-in on A is valid on B;
3. a publish through A is on B's kiosk page and on B's board poll within 2 s;
4. a hall batch started on A is built by the worker and downloaded from B;
5. stopping A while residents read loses no request: nginx retries on B.

Usage: python deploy/rehearsal/rehearse.py --database-url postgresql+psycopg://…/empty_db
Exits non-zero on the first check that fails, after printing the servers' logs.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import requests
import urllib3
from bs4 import BeautifulSoup
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
APP_PORTS = {"A": 18001, "B": 18002}
HTTPS_PORT, HTTP_PORT = 18443, 18080
PASSWORD = "Rehearsal-" + secrets.token_hex(8)
PUBLISH_VISIBLE_WITHIN = 2.0  # seconds, from the publish's answer to B's page

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


class RehearsalFailed(AssertionError):
    """A check of the rehearsal did not hold."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise RehearsalFailed(message)


@dataclass
class Setup:
    work: Path
    database_url: str
    env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def nginx(self) -> str:
        return f"https://127.0.0.1:{HTTPS_PORT}"

    def direct(self, server: str) -> str:
        return f"http://127.0.0.1:{APP_PORTS[server]}"

    def flask(self, *args: str) -> str:
        done = subprocess.run(
            [str(VENV_BIN / "flask"), "--app", "kiosk", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        check(done.returncode == 0, f"flask {' '.join(args)} failed:\n{done.stderr[-2000:]}")
        return done.stdout

    def start(self, name: str, command: list[str]) -> None:
        log = (self.work / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def start_app(self, server: str) -> None:
        self.start(
            f"app-{server}",
            [
                str(VENV_BIN / "gunicorn"),
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{APP_PORTS[server]}",
                "--graceful-timeout",
                "10",
                "kiosk:create_app()",
            ],
        )

    def stop_all(self) -> None:
        for process in self.processes.values():
            with suppress(ProcessLookupError):
                process.terminate()
        for process in self.processes.values():
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=20)
            with suppress(ProcessLookupError):
                process.kill()

    def logs(self) -> str:
        parts = []
        for path in sorted(self.work.glob("*.log")):
            parts.append(f"--- {path.name} (last lines)\n" + "".join(path.read_text()[-3000:]))
        return "\n".join(parts)


def prepare(setup: Setup) -> None:
    work = setup.work
    (work / "cache").mkdir()
    setup.env = os.environ | {
        "GONGSHI_ENV": "production",
        "GONGSHI_SECRET_KEY": secrets.token_urlsafe(48),
        "GONGSHI_DATABASE_URL": setup.database_url,
        "GONGSHI_PUBLIC_BASE_URL": setup.nginx,
        "GONGSHI_TRUSTED_PROXIES": "1",
        "GONGSHI_SECURE_COOKIES": "1",
        "GONGSHI_JOBS_URL": f"sqlite:///{work / 'jobs.sqlite3'}",
        "GONGSHI_CACHE_DIR": str(work / "cache"),
        "GONGSHI_UPLOAD_DIR": str(work / "uploads"),
    }
    setup.flask("db", "upgrade")
    setup.flask("seed-demo")
    for username, role in (("rehearsal-editor", "editor"), ("rehearsal-reviewer", "reviewer")):
        extra = ["--utility", "chengzhou-water"] if role == "editor" else []
        setup.flask("users", "create", username, "--role", role, "--password", PASSWORD, *extra)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(work / "key.pem"),
            "-out",
            str(work / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    (work / "nginx.conf").write_text(nginx_config(work))


def nginx_config(work: Path) -> str:
    """The shipped site file with this machine's ports, certificate and paths."""
    site = (ROOT / "deploy" / "nginx" / "gongshi.conf").read_text()
    replacements = {
        "127.0.0.1:8001": f"127.0.0.1:{APP_PORTS['A']}",
        "127.0.0.1:8002": f"127.0.0.1:{APP_PORTS['B']}",
        "listen 80;": f"listen 127.0.0.1:{HTTP_PORT};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{HTTPS_PORT} ssl http2;",
        "/etc/letsencrypt/live/gongshi.example.cn/fullchain.pem": str(work / "cert.pem"),
        "/etc/letsencrypt/live/gongshi.example.cn/privkey.pem": str(work / "key.pem"),
        "/srv/gongshi/static": str(ROOT / "static"),
        "/var/www/letsencrypt": str(work),
    }
    for old, new in replacements.items():
        check(old in site, f"deploy/nginx/gongshi.conf no longer contains {old!r}")
        site = site.replace(old, new)
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    temp = {name: work / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    return f"""
pid {work / "nginx.pid"};
error_log {work / "nginx-error.log"} warn;
worker_processes 2;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work / "nginx-access.log"};
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
{site}
}}
"""


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with suppress(requests.RequestException):
            if requests.get(url, timeout=2, verify=False).status_code == 200:
                return
        time.sleep(0.3)
    raise RehearsalFailed(f"{url} did not answer within {seconds} s")


class Staff:
    """A signed-in member of staff talking to one app server directly, as nginx would."""

    def __init__(self, base: str, cookie: str = ""):
        self.base = base
        self.cookie = cookie
        # The app trusts one proxy hop: speaking to it directly, we are that hop.
        self.headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}

    def on(self, base: str) -> Staff:
        return Staff(base, self.cookie)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = self.headers | ({"Cookie": self.cookie} if self.cookie else {})
        # Over HTTPS the CSRF check wants a referrer on the same host, as browsers send.
        headers["Referer"] = self.base.replace("http://", "https://") + path
        response = requests.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
        )
        session = response.cookies.get("session")
        if session:
            self.cookie = f"session={session}"
        return response

    def form(self, path: str, form_id: str | None = None) -> tuple[str, dict[str, str]]:
        """The action and current values of a form on the page, as a browser would send them."""
        page = BeautifulSoup(self.request("GET", path).text, "html.parser")
        form = page.find("form", id=form_id) if form_id else page.find("form", method="post")
        check(form is not None, f"no form {form_id or ''} on {path}")
        values: dict[str, str] = {}
        for control in form.find_all(["input", "textarea", "select"]):
            name = control.get("name")
            kind = control.get("type", "text")
            if not name or kind in ("submit", "button", "file"):
                continue
            if kind in ("checkbox", "radio"):
                if control.has_attr("checked"):
                    values[name] = control.get("value", "y")
            elif control.name == "textarea":
                values[name] = control.text
            elif control.name == "select":
                chosen = control.find("option", selected=True) or control.find("option")
                values[name] = chosen.get("value", chosen.text) if chosen else ""
            else:
                values[name] = control.get("value", "")
        return form.get("action") or path, values

    def submit(self, path: str, form_id: str | None = None, **changes: str) -> str:
        """Post a page's form with `changes`; the address it redirects to."""
        action, values = self.form(path, form_id)
        response = self.request("POST", action, data=values | changes)
        check(
            response.status_code == 302,
            f"POST {action} answered {response.status_code}: {response.text[:800]}",
        )
        return response.headers["Location"].replace(self.base, "")


def sign_in(base: str, username: str) -> Staff:
    staff = Staff(base)
    location = staff.submit("/editor/login", username=username, password=PASSWORD)
    check("/login" not in location, f"{username} could not sign in")
    return staff


def demo_targets(database_url: str) -> tuple[int, str, str]:
    """A tariff of the water company shown in the civic centre: its id and page, the hall."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        item_id, slug = conn.execute(
            text(
                "SELECT item.id, item.slug FROM item JOIN utility ON utility.id = item.utility_id"
                " WHERE utility.slug = 'chengzhou-water' AND item.kind = 'tariff'"
                " ORDER BY item.position LIMIT 1"
            )
        ).one()
    engine.dispose()
    return item_id, f"/u/chengzhou-water/{slug}", "civic-centre"


def check_static_files(setup: Setup) -> None:
    home = requests.get(setup.nginx + "/", verify=False, timeout=10)
    css = re.search(r'href="(/static/css/kiosk\.[0-9a-f]{12}\.css)"', home.text)
    check(css is not None, "the start screen links no hashed stylesheet")
    response = requests.get(setup.nginx + css.group(1), verify=False, timeout=10)
    check(response.status_code == 200, f"{css.group(1)}: {response.status_code}")
    # Only nginx's `expires` writes an Expires header: the app did not serve this file.
    check("Expires" in response.headers, "the stylesheet did not come from nginx")
    check("immutable" in response.headers.get("Cache-Control", ""), "not cached as immutable")
    print(f"ok  static files from nginx: {css.group(1)} with {response.headers['Cache-Control']}")


def check_sign_in_across_servers(setup: Setup) -> tuple[Staff, Staff]:
    editor = sign_in(setup.direct("A"), "rehearsal-editor")
    on_b = editor.on(setup.direct("B")).request("GET", "/editor/")
    check(on_b.status_code == 200, f"B did not accept A's sign-in: {on_b.status_code}")
    check("rehearsal-editor" in on_b.text, "B shows someone else")
    reviewer = sign_in(setup.direct("A"), "rehearsal-reviewer")
    print("ok  a sign-in on server A is valid on server B")
    return editor, reviewer


def publish_through_a(editor: Staff, reviewer: Staff, item_id: int) -> int:
    """A minor correction to the item, drafted, reviewed and published on A: its id."""
    drafts = f"/editor/items/{item_id}/drafts"
    edit = editor.request("POST", drafts, data=draft_token(editor, item_id))
    check(edit.status_code == 302, f"no draft: {edit.status_code} {edit.text[:500]}")
    edit_path = edit.headers["Location"].replace(editor.base, "")
    revision_id = int(re.search(r"/revisions/(\d+)/edit", edit_path).group(1))
    editor.submit(edit_path, "revision-form", change_summary="演练：更正文字")
    detail = f"/editor/revisions/{revision_id}"
    editor.submit(detail, "submit-form")
    reviewer.submit(detail, "review-form", comment="演练核对无误")
    reviewer.submit(detail, "publish-form", effective_from=date.today().isoformat())
    return revision_id


def draft_token(editor: Staff, item_id: int) -> dict[str, str]:
    _action, values = editor.form(f"/editor/items/{item_id}")
    return {"csrf_token": values.get("csrf_token", "")}


def check_publish_reaches_b(setup: Setup, editor: Staff, reviewer: Staff) -> None:
    item_id, page, hall = demo_targets(setup.database_url)
    b = setup.direct("B")
    for _ in range(2):  # B has the page and the board's answer in its caches
        check(requests.get(b + page, timeout=10).status_code == 200, f"{page} on B")
    poll = requests.get(f"{b}/board/{hall}/poll", timeout=10)
    etag = poll.headers["ETag"]
    unchanged = requests.get(f"{b}/board/{hall}/poll", headers={"If-None-Match": etag}, timeout=10)
    check(unchanged.status_code == 304, "B's board poll does not revalidate")

    revision_id = publish_through_a(editor, reviewer, item_id)
    published = time.monotonic()
    page_after = board_after = None
    while time.monotonic() - published < 10 and (page_after is None or board_after is None):
        now = time.monotonic() - published
        if page_after is None and f"/r/{revision_id}" in requests.get(b + page, timeout=10).text:
            page_after = now
        if board_after is None:
            answer = requests.get(
                f"{b}/board/{hall}/poll", headers={"If-None-Match": etag}, timeout=10
            )
            if answer.status_code == 200:
                board_after = now
        time.sleep(0.05)
    check(page_after is not None, f"revision {revision_id} never reached B's page")
    check(board_after is not None, "B's board never saw the publish")
    check(page_after <= PUBLISH_VISIBLE_WITHIN, f"B's page took {page_after:.2f} s")
    check(board_after <= PUBLISH_VISIBLE_WITHIN, f"B's board took {board_after:.2f} s")
    print(
        f"ok  a publish through A (revision {revision_id}) is on B's page after "
        f"{page_after:.2f} s and on B's board after {board_after:.2f} s"
    )


def check_batch_built_by_the_worker(setup: Setup, editor: Staff) -> None:
    started = time.monotonic()
    location = editor.submit("/editor/print", "print-form", hall="civic-centre", lang="zh_Hans")
    job_id = int(location.rsplit("/", 1)[1])
    on_b = editor.on(setup.direct("B"))
    state = ""
    while time.monotonic() - started < 180:
        page = BeautifulSoup(on_b.request("GET", f"/editor/print/{job_id}").text, "html.parser")
        state = page.find(id="job-state")["data-state"]
        if state in ("done", "failed"):
            break
        time.sleep(0.5)
    check(state == "done", f"the hall batch ended {state!r}\n{setup.logs()}")
    pdf = on_b.request("GET", f"/editor/print/{job_id}.pdf")
    check(pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), "no PDF from B")
    public = requests.get(
        f"{setup.nginx}/print/hall/civic-centre.pdf?lang=zh_Hans", verify=False, timeout=30
    )
    check(public.content == pdf.content, "the public hall PDF is not the batch just built")
    print(
        f"ok  a hall batch started on A was built by the worker in "
        f"{time.monotonic() - started:.1f} s and downloaded from B ({len(pdf.content)} bytes)"
    )


def check_failover(setup: Setup) -> None:
    results: list[int | str] = []
    stop = threading.Event()

    def read() -> None:
        with requests.Session() as session:
            while not stop.is_set():
                try:
                    answer = session.get(setup.nginx + "/", verify=False, timeout=10)
                    results.append(answer.status_code)
                except requests.RequestException as error:
                    results.append(type(error).__name__)
                time.sleep(0.01)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    time.sleep(1.5)
    setup.processes["app-A"].send_signal(signal.SIGTERM)
    setup.processes["app-A"].wait(timeout=30)
    time.sleep(2.5)
    stop.set()
    for reader in readers:
        reader.join()
    failed = [result for result in results if result != 200]
    check(not failed, f"{len(failed)} of {len(results)} requests failed: {failed[:10]}")
    print(f"ok  server A stopped under load: {len(results)} requests, none lost")


def start_servers(setup: Setup) -> None:
    """Both app servers, the job worker and nginx in front, each answering before this returns."""
    setup.start_app("A")
    setup.start_app("B")
    setup.start("worker", [str(VENV_BIN / "flask"), "--app", "kiosk", "jobs", "worker"])
    nginx = ["nginx", "-p", str(setup.work), "-c", str(setup.work / "nginx.conf")]
    setup.start("nginx", [*nginx, "-g", "daemon off;"])
    for server in APP_PORTS:
        wait_for(setup.direct(server) + "/healthz")
    wait_for(setup.nginx + "/healthz")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="An empty PostgreSQL database.")
    parser.add_argument("--keep", action="store_true", help="Keep the work folder.")
    args = parser.parse_args()
    check(shutil.which("nginx") is not None, "nginx is not installed")
    setup = Setup(Path(tempfile.mkdtemp(prefix="gongshi-rehearsal-")), args.database_url)
    try:
        prepare(setup)
        start_servers(setup)
        check_static_files(setup)
        editor, reviewer = check_sign_in_across_servers(setup)
        check_publish_reaches_b(setup, editor, reviewer)
        check_batch_built_by_the_worker(setup, editor)
        check_failover(setup)
    except (RehearsalFailed, subprocess.CalledProcessError, requests.RequestException) as error:
        print(f"FAILED: {error}\n{setup.logs()}", file=sys.stderr)
        return 1
    finally:
        setup.stop_all()
        if not args.keep:
            shutil.rmtree(setup.work, ignore_errors=True)
    print("rehearsal passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
