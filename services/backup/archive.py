"""Write every table's rows and the uploaded files into one .tar.gz, and read it back.

The dump is logical (rows as JSON, table by table, parents first) rather than a copy of
the database file, so a city can restore an SQLite backup into PostgreSQL and back, and
a backup taken while kiosks are reading needs no lock beyond one read transaction.
"""

from __future__ import annotations

import base64
import io
import json
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, inspect, select, text
from sqlalchemy.orm import Session

from services.db import db

FORMAT = "gongshi-backup/1"
DATABASE_MEMBER = "database.json"
UPLOADS_MEMBER = "uploads"


class BackupError(Exception):
    """The archive cannot be restored here; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    files: int
    migration: str


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, raw),) = value.items()
        match tag:
            case "$datetime":
                return datetime.fromisoformat(raw)
            case "$date":
                return date.fromisoformat(raw)
            case "$time":
                return time.fromisoformat(raw)
            case "$decimal":
                return Decimal(raw)
            case "$bytes":
                return base64.b64decode(raw)
    return value


def current_migration(session: Session) -> str:
    """The Alembic revision the database is at ("" when it was never migrated)."""
    if not inspect(session.connection()).has_table("alembic_version"):
        return ""
    heads = session.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return ",".join(sorted(heads))


# Not data: the number page caches watch. A restore moves it, so every server refreshes.
NOT_BACKED_UP = {"catalogue_version"}


def _tables() -> list[Table]:
    return [table for table in db.metadata.sorted_tables if table.name not in NOT_BACKED_UP]


def create_backup(session: Session, target: Path, uploads: Path | None) -> Summary:
    """Write the database and the files under `uploads` into the archive `target`."""
    dump: dict[str, Any] = {
        "format": FORMAT,
        "migration": current_migration(session),
        "tables": {},
    }
    rows = 0
    for table in _tables():
        order = [column for column in table.primary_key.columns]
        records = session.execute(select(table).order_by(*order)).mappings()
        dump["tables"][table.name] = [
            {key: _encode(value) for key, value in record.items()} for record in records
        ]
        rows += len(dump["tables"][table.name])
    payload = json.dumps(dump, ensure_ascii=False).encode()
    files = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    with tarfile.open(partial, "w:gz") as archive:
        member = tarfile.TarInfo(DATABASE_MEMBER)
        member.size = len(payload)
        archive.addfile(member, io.BytesIO(payload))
        if uploads is not None and uploads.is_dir():
            for path in sorted(p for p in uploads.rglob("*") if p.is_file()):
                archive.add(path, f"{UPLOADS_MEMBER}/{path.relative_to(uploads).as_posix()}")
                files += 1
    partial.replace(target)  # a half-written archive never carries the final name
    return Summary(len(dump["tables"]), rows, files, dump["migration"])


@contextmanager
def _opened(source: Path) -> Iterator[tarfile.TarFile]:
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed below
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{source} is not a readable backup archive: {error}") from None
    with archive:
        yield archive


def _read_dump(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(DATABASE_MEMBER)
    except KeyError:
        raise BackupError(f"the archive has no {DATABASE_MEMBER}: not a Gongshi backup") from None
    if member is None:
        raise BackupError(f"{DATABASE_MEMBER} in the archive is not a file")
    dump = json.loads(member.read())
    if dump.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {dump.get('format')!r}; expected {FORMAT}")
    return dump


def _is_empty(session: Session) -> bool:
    return all(
        session.execute(select(func.count()).select_from(table)).scalar_one() == 0
        for table in _tables()
    )


def _restart_sequences(session: Session) -> None:
    """Move PostgreSQL's id sequences past the restored ids, so new rows do not collide."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in _tables():
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and column.type.python_type is int
            ):
                sequence = session.execute(
                    text("SELECT pg_get_serial_sequence(:table, :column)"),
                    {"table": f'"{table.name}"', "column": column.name},
                ).scalar()
                if sequence:
                    session.execute(
                        text(
                            f"SELECT setval('{sequence}', "
                            f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1,'
                            " false)"
                        )
                    )


def restore_backup(session: Session, source: Path, uploads: Path | None) -> Summary:
    """Load the archive `source` into this empty database and put its files under `uploads`.

    Nothing is written unless the database is empty and at the backup's migration; the
    rows go in within the caller's transaction, so a failure leaves the database empty.
    """
    with _opened(source) as archive:
        dump = _read_dump(archive)
        here = current_migration(session)
        if dump["migration"] != here:
            raise BackupError(
                f"the backup was taken at migration {dump['migration'] or 'none'} and this "
                f"database is at {here or 'none'}: run `flask --app kiosk db upgrade` on an "
                "empty database with the same version of Gongshi, then restore"
            )
        if not _is_empty(session):
            raise BackupError("the database already holds data; restore into an empty one")
        known = {table.name: table for table in _tables()}
        unknown = sorted(set(dump["tables"]) - set(known))
        if unknown:
            raise BackupError(f"the backup has tables this version does not: {unknown}")
        rows = 0
        for table in _tables():
            records = [
                {key: _decode(value) for key, value in record.items()}
                for record in dump["tables"].get(table.name, [])
            ]
            if records:
                session.execute(table.insert(), records)
                rows += len(records)
        session.flush()
        _restart_sequences(session)
        files = 0
        if uploads is not None:
            for member in archive.getmembers():
                if member.isfile() and member.name.startswith(f"{UPLOADS_MEMBER}/"):
                    _restore_file(archive, member, uploads)
                    files += 1
    return Summary(len(dump["tables"]), rows, files, dump["migration"])


def _restore_file(archive: tarfile.TarFile, member: tarfile.TarInfo, uploads: Path) -> None:
    root = uploads.resolve()
    path = (root / member.name.removeprefix(f"{UPLOADS_MEMBER}/")).resolve()
    if not path.is_relative_to(root):  # a crafted "../" name must not escape the folder
        raise BackupError(f"the archive names a file outside the uploads: {member.name}")
    source = archive.extractfile(member)
    if source is None:
        raise BackupError(f"{member.name} in the archive cannot be read")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(source.read())
