"""A web worker does not import what only the command line or the editor needs: each
such package costs every worker megabytes (bench/README.md, HTTP section)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LEFT_OUT = ("alembic", "flask_migrate", "holidays", "jsonschema")


def test_create_app_leaves_out_the_packages_pages_do_not_use(tmp_path):
    script = (
        "import sys\n"
        "from kiosk import create_app\n"
        f"create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path / 'x.sqlite3'}'}})\n"
        f"print(' '.join(m for m in {LEFT_OUT!r} if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.split() == []


def test_flask_db_still_migrates(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    env = {"GONGSHI_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    flask = [sys.executable, "-m", "flask", "--app", "kiosk", "db"]
    subprocess.run([*flask, "upgrade"], cwd=ROOT, env=env, capture_output=True, check=True)
    current = subprocess.run([*flask, "current"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert "(head)" in current.stdout
