"""The migration to an inclusive effective_to moves the end of each superseded revision back
to the day before its successor starts, and no other date; its downgrade moves them back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from kiosk import create_app
from services.db import db
from services.models import Revision, RevisionStatus
from tests.factories import make_item, make_revision

MIGRATIONS = str(Path(__file__).parent.parent.parent / "migrations")


def test_a_superseded_revision_ends_the_day_before_its_successor_starts(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "CACHE_DIR": str(tmp_path)})
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="0019_signups_and_reply_files")
        item = make_item()
        superseded = RevisionStatus.SUPERSEDED
        # Ended as the settle command used to end it: on the day its successor started.
        make_revision(item, status=superseded, effective_to=date(2026, 1, 1))
        make_revision(item, effective_from=date(2026, 1, 1), number=2)
        # An end written as a last day already (the demo city's) is not a successor's start.
        other = make_item()
        make_revision(other, status=superseded, effective_to=date(2025, 12, 31))
        make_revision(other, effective_from=date(2026, 1, 1), number=2)
        db.session.commit()

        def ends() -> list[date | None]:
            db.session.expire_all()
            query = select(Revision.effective_to).order_by(Revision.item_id, Revision.number)
            return list(db.session.scalars(query))

        upgrade(directory=MIGRATIONS)
        assert ends() == [date(2025, 12, 31), None, date(2025, 12, 31), None]
        downgrade(directory=MIGRATIONS, revision="0019_signups_and_reply_files")
        assert ends() == [date(2026, 1, 1), None, date(2026, 1, 1), None]
        db.session.remove()
