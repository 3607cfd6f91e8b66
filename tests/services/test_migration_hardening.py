"""Migration 0010: drafts opened before it keep everyone who saved them as their editors."""

from __future__ import annotations

import json
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import text

from kiosk import create_app
from services.db import db
from services.publishing import audit

MIGRATIONS = str(Path(__file__).parents[2] / "migrations")


def test_open_drafts_get_the_editors_the_audit_trail_shows(app, tmp_path):
    other = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    try:
        with other.app_context():
            upgrade(directory=MIGRATIONS, revision="0005_merge")
            run = db.session.execute
            for n, name in enumerate(["lihua", "wang", "zhao"], 1):
                run(
                    text(
                        'INSERT INTO "user" (id, username, display_name, password_hash, role, '
                        "is_active, failed_logins, created_at) VALUES "
                        "(:id, :name, :name, '-', 'editor', 1, 0, '2026-01-01')"
                    ),
                    {"id": n, "name": name},
                )
            for rid, status in ((1, "in_review"), (2, "published")):
                run(
                    text(
                        "INSERT INTO revision (id, item_id, number, status, content, "
                        "change_summary, is_major, author_id, review_comment, created_at, "
                        "updated_at, version) VALUES (:id, 1, :id, :status, '{}', '', 1, 1, '', "
                        "'2026-01-01', '2026-01-01', 1)"
                    ),
                    {"id": rid, "status": status},
                )
            for n, (actor, action, rid) in enumerate(
                [
                    ("lihua", "revision.start", 1),
                    ("wang", "revision.save", 1),
                    ("zhao", "revision.save", 2),
                    ("zhao", "login", 1),
                ]
            ):
                run(
                    text(
                        "INSERT INTO audit_event (occurred_at, actor, action, entity, entity_id, "
                        "prev_hash, hash) VALUES ('2026-01-01', :actor, :action, :entity, :rid, "
                        ":prev, :hash)"
                    ),
                    {
                        "actor": actor,
                        "action": action,
                        "entity": "user" if action == "login" else "revision",
                        "rid": str(rid),
                        "prev": f"p{n}",
                        "hash": f"h{n}",
                    },
                )
            db.session.commit()
            upgrade(directory=MIGRATIONS)
            rows = dict(run(text("SELECT id, edited_by FROM revision")).all())
        assert json.loads(rows[1]) == [1, 2] and rows[2] is None
    finally:
        audit.use_key(app.config["AUDIT_KEY"] or app.config["SECRET_KEY"])
