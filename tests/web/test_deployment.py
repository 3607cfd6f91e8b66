"""Running behind a proxy in production: trusted forwarded headers, the secret key, SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, request
from sqlalchemy import text

from kiosk import create_app
from kiosk.config import DEVELOPMENT_SECRET_KEY
from kiosk.deployment import UnsafeConfiguration
from services.content.localize import NamesListError, configure_traditional, to_traditional
from services.db import db

STRONG_KEY = "k" * 48


def app_with(database_url: str, **settings) -> Flask:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, **settings})

    @app.get("/_seen")
    def seen():
        return {"scheme": request.scheme, "host": request.host, "remote": request.remote_addr}

    return app


@pytest.mark.parametrize("key", [DEVELOPMENT_SECRET_KEY, "", "short-key"])
def test_production_refuses_to_start_with_a_weak_secret_key(database_url, key):
    with pytest.raises(UnsafeConfiguration, match="GONGSHI_SECRET_KEY"):
        create_app({"ENVIRONMENT": "production", "SECRET_KEY": key})


def test_production_starts_with_a_strong_secret_key(database_url):
    settings = {"ENVIRONMENT": "production", "SECRET_KEY": STRONG_KEY}
    app = create_app({**settings, "SQLALCHEMY_DATABASE_URI": database_url})
    assert app.config["SECRET_KEY"] == STRONG_KEY


def test_development_keeps_the_development_key(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    assert app.secret_key == DEVELOPMENT_SECRET_KEY


FORWARDED = {
    "X-Forwarded-For": "203.0.113.9, 198.51.100.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "gongshi.example.cn",
}


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(database_url):
    seen = app_with(database_url).test_client().get("/_seen", headers=FORWARDED).get_json()
    assert seen == {"scheme": "http", "host": "localhost", "remote": "127.0.0.1"}


def test_one_trusted_proxy_gives_the_address_it_saw_and_no_earlier_claim(database_url):
    app = app_with(database_url, TRUSTED_PROXIES=1)
    seen = app.test_client().get("/_seen", headers=FORWARDED).get_json()
    # The proxy appended the address it saw last; the first entry was the client's claim.
    assert seen == {"scheme": "https", "host": "gongshi.example.cn", "remote": "198.51.100.7"}


def test_two_trusted_proxies_reach_one_hop_further(database_url):
    app = app_with(database_url, TRUSTED_PROXIES=2)
    headers = {**FORWARDED, "X-Forwarded-Proto": "https, https"}
    seen = app.test_client().get("/_seen", headers=headers).get_json()
    assert seen["remote"] == "203.0.113.9"


def test_sqlite_readers_do_not_wait_for_writers(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("a PostgreSQL run; WAL is SQLite's")
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 15_000


def test_a_city_sets_its_traditional_standard_and_names_list(database_url, tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("于家巷\n", encoding="utf-8")
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "TRADITIONAL_NAMES": str(names)}
    try:
        create_app({**settings, "TRADITIONAL_STANDARD": "hk"})
        assert to_traditional("住在于家巷里") == "住在于家巷裏"
        names.write_text("于家巷\t於家巷口\n", encoding="utf-8")
        with pytest.raises(NamesListError, match="line 1"):
            create_app(settings)
    finally:
        configure_traditional("tw")
    assert to_traditional("住在于家巷里") == "住在於家巷裡"


def test_every_daily_task_is_a_command_the_app_has(app):
    script = Path(__file__).resolve().parents[2] / "deploy" / "daily.sh"
    tasks = [
        line.split()[1:] for line in script.read_text().splitlines() if line.startswith("flask ")
    ]
    assert ["uploads", "prune"] in [task[:2] for task in tasks]
    runner = app.test_cli_runner()
    for task in tasks:
        words = [word for word in task if not word.startswith("-")]
        result = runner.invoke(args=[*words[:2], "--help"])
        assert result.exit_code == 0, (task, result.output)
