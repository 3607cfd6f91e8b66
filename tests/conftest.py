"""Shared fixtures: an app on an empty migrated database (SQLite, or PostgreSQL when
GONGSHI_TEST_DATABASE_URL is set) with CSRF protection on, and a test client. Tests build
the rows they need with tests/factories.py, and the database is emptied after each module;
the demo city is loaded only by the tests of the demo data (tests/demo/)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import request_started
from sqlalchemy import create_engine, text

from kiosk import create_app
from services.db import db
from tests.client import Client

PG_URL = os.environ.get("GONGSHI_TEST_DATABASE_URL")


def reset_schema(url: str) -> None:
    """Drop everything in the test database so each session starts empty."""
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if PG_URL:
        return PG_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """One app for the session, its schema built by the real migrations."""
    reset_schema(database_url)
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
            "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
            "JOBS_URL": f"sqlite:///{tmp_path_factory.mktemp('jobs') / 'jobs.sqlite3'}",
            "SERVER_NAME": None,
            "TRADITIONAL_NAMES": "",  # whatever a developer's instance/ holds
        }
    )
    from flask_migrate import upgrade

    app.test_client_class = Client
    with app.app_context():
        upgrade(directory=str(Path(__file__).parent.parent / "migrations"))
    return app


def empty_database() -> None:
    """Delete every row of every table, children first."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(scope="module", autouse=True)
def empty_after_module(app):
    """What a module's tests committed is gone before the next module starts."""
    yield
    with app.app_context():
        empty_database()


@pytest.fixture(scope="module")
def demo_city(app, empty_after_module) -> None:
    """The demo city of 澄州市 for the tests of one module."""
    from fixtures.demo import load_demo_city

    with app.app_context():
        load_demo_city()
        db.session.commit()


@pytest.fixture
def ctx(app):
    """An app context whose writes are rolled back after the test."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def dispatched(app):
    """One entry per request that reached Flask (a page answered before Flask is not counted)."""
    seen: list[str] = []

    def record(sender, **extra):
        seen.append("request")

    with request_started.connected_to(record, app):
        yield seen
