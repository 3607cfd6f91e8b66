"""The catalogue version: one number that moves whenever something residents can see changes.

Every web worker and app server keeps rendered pages while this number stands, and reads it
again every few seconds (one row by its key). It is written in the same transaction as the
change, so a reader never sees the change without the new number or the number without
the change; logins, audit rows, device heartbeats and other private writes never move it.

The contract, for every model and every writer:
- A model whose rows residents can see on some public page (or whose change alters one)
  carries the class attribute `residents_see = True`; a plain table does so with
  `info={"residents_see": True}`. Anything else is private and never moves the version.
- Adding, changing or deleting such a row through the session (a flush), or a bulk
  INSERT / UPDATE / DELETE statement on its table run through the session, moves the
  version when the transaction commits. Nothing else is needed: `install()` listens to
  every session.
- A write the session cannot see (SQL text, another connection) calls `mark_changed()`
  in the transaction that writes it.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, event, insert, inspect, select, update
from sqlalchemy.orm import MANYTOONE, Mapper, RelationshipProperty, Session, SessionTransaction

from services.clock import utcnow
from services.db import db
from services.models import CatalogueVersion

# The one row; its key never changes.
ROW_ID = 1
# In a session's info while its transaction has written something residents see.
WROTE = "gongshi_residents_see_written"

_tables_seen: dict[Table, bool] = {}
_local_moves = itertools.count(1)
_local_lock = threading.Lock()
_local_value = 0


def residents_see(target: Any) -> bool:
    """True for a model class, a row of one, a mapper or a table whose rows residents can see."""
    if isinstance(target, Table):
        seen = _tables_seen.get(target)
        if seen is None:
            seen = _tables_seen[target] = bool(target.info.get("residents_see")) or any(
                getattr(mapper.class_, "residents_see", False)
                for mapper in db.Model.registry.mappers
                if target in mapper.tables
            )
        return seen
    if isinstance(target, Mapper):
        target = target.class_
    return bool(getattr(target, "residents_see", False))


def touches_residents(objects: Iterable[Any]) -> bool:
    """True when any of these rows is one residents can see."""
    return any(residents_see(obj) for obj in objects)


def _row_changed(obj: Any) -> bool:
    # A row is changed when one of its columns is, or a relationship that residents see
    # through it (a hall's utilities); a private row added to one of its collections (a
    # hall's devices) leaves it as it was.
    state = inspect(obj)
    for attr in state.attrs:
        if not attr.history.has_changes():
            continue
        prop = state.mapper.attrs[attr.key]
        if (
            isinstance(prop, RelationshipProperty)
            and prop.direction is not MANYTOONE
            and not residents_see(prop.mapper)
            and not (isinstance(prop.secondary, Table) and residents_see(prop.secondary))
        ):
            continue
        return True
    return False


def has_unflushed_changes(session: Session) -> bool:
    """True when the session holds added, changed or deleted rows residents see, not yet flushed."""
    if touches_residents(itertools.chain(session.new, session.deleted)):
        return True
    return any(residents_see(obj) and _row_changed(obj) for obj in session.dirty)


def has_uncommitted_changes(session: Session) -> bool:
    """True when the session's transaction changes what residents see and is not committed."""
    return bool(session.info.get(WROTE)) or has_unflushed_changes(session)


def mark_changed(session: Session | None = None) -> None:
    """Have this transaction move the version when it commits (for writes the session cannot
    see, such as SQL text)."""
    (session or db.session()).info[WROTE] = True


def read_version(session: Session | None = None) -> tuple[int, datetime | None]:
    """The committed catalogue version and when it last moved; (0, None) if never written."""
    row = (
        (session or db.session())
        .execute(
            select(CatalogueVersion.number, CatalogueVersion.changed_at).where(
                CatalogueVersion.id == ROW_ID
            )
        )
        .first()
    )
    return (row.number, row.changed_at) if row else (0, None)


def local_moves() -> int:
    """A number that moves, in this process only, as soon as a transaction of this process
    that changed what residents see ends (committed, or rolled back after its writes were
    read): its pages must go at once, not at the next reading of the version."""
    return _local_value


def _move_locally() -> None:
    global _local_value
    with _local_lock:
        _local_value = next(_local_moves)


def _bump(session: Session) -> None:
    # One atomic UPDATE: two transactions committing at once each add one (on PostgreSQL the
    # second waits for the first's row lock and reads its number), so neither is lost.
    table = CatalogueVersion.__table__
    connection = session.connection()
    now = utcnow()
    moved = connection.execute(
        update(table).where(table.c.id == ROW_ID).values(number=table.c.number + 1, changed_at=now)
    )
    if moved.rowcount == 0:  # a database whose row was deleted (the tests empty every table)
        connection.execute(insert(table).values(id=ROW_ID, number=1, changed_at=now))


def _before_flush(session: Session, _context, _instances) -> None:
    if not session.info.get(WROTE) and has_unflushed_changes(session):
        session.info[WROTE] = True


def _bulk_statement(state) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    table = getattr(state.statement, "table", None)
    if (mapper is not None and residents_see(mapper)) or (
        isinstance(table, Table) and residents_see(table)
    ):
        state.session.info[WROTE] = True


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # the outermost commit moves it, once
    if not session.info.get(WROTE) and has_unflushed_changes(session):
        session.info[WROTE] = True  # flushed by this commit, after this hook
    if session.info.get(WROTE):
        _bump(session)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction only (a savepoint's end is part of it), committed or rolled
    # back: pages this process rendered while it was open may show its writes.
    if transaction.parent is None and session.info.pop(WROTE, False):
        _move_locally()


LISTENERS = (
    ("before_flush", _before_flush),
    ("do_orm_execute", _bulk_statement),
    ("before_commit", _before_commit),
    ("after_transaction_end", _ended),
)


def install() -> None:
    """Listen to every session, so that each write residents see moves the version (once)."""
    for name, listener in LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
