"""The administration migration keeps every channel's kind as the first of its kinds, and
gives existing rows sensible defaults."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from kiosk import create_app

MIGRATIONS = str(Path(__file__).parent.parent.parent / "migrations")


def test_a_channels_kind_becomes_its_list_of_kinds_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "CACHE_DIR": str(tmp_path)})
    engine = create_engine(url)
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0005_merge")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO channel (code, kind, name, phone, url, hours, translations) "
                    "VALUES ('hotline-95598', 'complaint', '95598', '95598', '', '', '{}')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO legal_basis (code, title, doc_number, issuer, rank, url, "
                    "translations) VALUES ('price-law', '价格法', '', '', 1, '', '{}')"
                )
            )
        upgrade(directory=MIGRATIONS, revision="0009_administration")
        with engine.connect() as connection:
            kinds = connection.scalar(text("SELECT kinds FROM channel"))
            status = connection.scalar(text("SELECT status FROM legal_basis"))
        assert kinds == '["complaint"]' and status == "approved"
        downgrade(directory=MIGRATIONS, revision="0005_merge")
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT kind FROM channel")) == "complaint"
    engine.dispose()
