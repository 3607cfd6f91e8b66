"""A backup of the demo city restored into an empty database shows the same public pages."""

from __future__ import annotations

import io
import tarfile

import pytest
from sqlalchemy import func, select

from services.backup import archive as backup
from services.db import db
from services.models import AuditEvent, Item, Utility
from tests.conftest import empty_database

PAGES = ("/", "/u/chengzhou-water", "/changes", "/calendar", "/api/v1/items", "/changes.atom")


def snapshot(client) -> dict[str, bytes]:
    pages = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.data
    item = db.session.scalars(select(Item).order_by(Item.id)).first()
    response = client.get(f"/u/{item.utility.slug}/{item.slug}")
    assert response.status_code == 200
    pages["item"] = response.data
    return pages


def test_backup_restored_into_an_empty_database_shows_the_same_pages(app, client, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "forms").mkdir(parents=True)
    (uploads / "forms" / "申请表.pdf").write_bytes(b"%PDF-1.7 sample")
    runner = app.test_cli_runner()
    with app.app_context():
        before = snapshot(client)
        counted = db.session.scalar(select(func.count()).select_from(AuditEvent))
    app.config["UPLOAD_DIR"] = str(uploads)
    try:
        result = runner.invoke(args=["backup", "create", "--out", str(tmp_path / "city.tar.gz")])
        assert result.exit_code == 0, result.output
        assert "1 files" in result.output

        with app.app_context():
            empty_database()
            assert client.get("/u/chengzhou-water").status_code == 404
        (uploads / "forms" / "申请表.pdf").unlink()

        result = runner.invoke(args=["backup", "restore", str(tmp_path / "city.tar.gz")])
        assert result.exit_code == 0, result.output
    finally:
        app.config["UPLOAD_DIR"] = str(tmp_path / "unused")

    assert (uploads / "forms" / "申请表.pdf").read_bytes() == b"%PDF-1.7 sample"
    with app.app_context():
        assert snapshot(client) == before
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == counted
        # New rows get fresh ids after the restored ones (PostgreSQL's sequences moved on).
        utility = Utility(
            slug="after-restore",
            name="恢复后",
            short_name="恢复后",
            sector="water",
            nature="authorised",
        )
        db.session.add(utility)
        db.session.commit()
        assert utility.id > db.session.scalar(
            select(func.max(Utility.id)).where(Utility.slug != "after-restore")
        )
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_restore_refuses_a_database_that_holds_data(app, tmp_path):
    runner = app.test_cli_runner()
    assert (
        runner.invoke(args=["backup", "create", "--out", str(tmp_path / "b.tar.gz")]).exit_code == 0
    )
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 1
    assert "already holds data" in result.output


def archive_with(tmp_path, members: dict[str, bytes]):
    path = tmp_path / "crafted.tar.gz"
    with tarfile.open(path, "w:gz") as crafted:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            crafted.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"notes.txt": b"hello"}, "not a Gongshi backup"),
        ({"database.json": b'{"format": "other/9"}'}, "unknown backup format"),
        (
            {"database.json": b'{"format": "gongshi-backup/1", "migration": "0001", "tables": {}}'},
            "run `flask --app kiosk db upgrade`",
        ),
    ],
)
def test_restore_explains_an_archive_it_cannot_use(app, tmp_path, members, message):
    with app.app_context(), pytest.raises(backup.BackupError, match=message):
        backup.restore_backup(db.session, archive_with(tmp_path, members), tmp_path / "up")


def test_restore_never_writes_outside_the_uploads_folder(app, tmp_path):
    with app.app_context():
        migration = backup.current_migration(db.session)
        empty = f'{{"format": "gongshi-backup/1", "migration": "{migration}", "tables": {{}}}}'
        crafted = archive_with(
            tmp_path, {"database.json": empty.encode(), "uploads/../../escaped.txt": b"x"}
        )
        empty_database()
        with pytest.raises(backup.BackupError, match="outside the uploads"):
            backup.restore_backup(db.session, crafted, tmp_path / "a" / "uploads")
        db.session.rollback()
    assert not (tmp_path / "escaped.txt").exists()


def test_a_file_that_is_no_archive_is_refused(app, tmp_path):
    (tmp_path / "city.tar.gz").write_bytes(b"PK\x03\x04 not a tarball")
    with app.app_context(), pytest.raises(backup.BackupError, match="not a readable backup"):
        backup.restore_backup(db.session, tmp_path / "city.tar.gz", None)
