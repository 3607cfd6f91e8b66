"""Shared fixtures: an app on a fresh database (SQLite, or PostgreSQL when
GONGSHI_TEST_DATABASE_URL is set), a test client, and the demo city loaded once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from kiosk import create_app
from services.db import db

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
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": None,
        }
    )
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=str(Path(__file__).parent.parent / "migrations"))
        from fixtures.demo import load_demo_city

        load_demo_city()
        db.session.commit()
    return app


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


@pytest.fixture(scope="session")
def table_names(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())
