"""The catalogue version moves with every committed write residents can see, once per
transaction, and never with private writes (accounts, audit rows, device heartbeats)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import insert, select, text, update

from services.calendar import working_days as calendar
from services.catalogue import version
from services.db import db
from services.devices import registry as devices
from services.models import (
    Channel,
    Hall,
    Holiday,
    HolidayKind,
    Item,
    LegalBasis,
    Revision,
    RevisionStatus,
    Role,
    Utility,
    hall_utilities,
)
from services.publishing import accounts, audit
from services.search.index import index_item
from tests.factories import (
    make_channel,
    make_hall,
    make_item,
    make_legal_basis,
    make_revision,
    make_user,
    make_utility,
)


def number() -> int:
    with db.session.no_autoflush:
        return version.read_version()[0]


def moves(app, write: Callable[[], None]) -> int:
    """How far one committed transaction running `write` moves the catalogue version."""
    with app.app_context():
        before = number()
        write()
        db.session.commit()
    with app.app_context():
        return number() - before


def first(model):
    return db.session.scalars(select(model).limit(1)).one()


@pytest.fixture(scope="module")
def rows(app):
    """A published item in a hall with a channel and a basis, and a holiday, committed."""
    with app.app_context():
        revision = make_revision()
        make_hall(utilities=[revision.item.utility])
        make_channel()
        make_legal_basis()
        calendar.set_day(date(2031, 5, 6), HolidayKind.HOLIDAY, "测试")
        make_utility()
        db.session.commit()


def publish_next_version() -> None:
    old = first(Revision)
    make_revision(old.item, effective_from=date(2025, 1, 1))
    old.status = RevisionStatus.SUPERSEDED


def link_another_utility() -> None:
    hall = first(Hall)
    other = db.session.scalars(
        select(Utility).where(Utility.id.not_in([u.id for u in hall.utilities]))
    ).first()
    hall.utilities.append(other)


def holidays_renamed_in_bulk() -> None:
    db.session.execute(update(Holiday).values(name="城市纪念日"))


def hall_linked_in_bulk() -> None:
    hall = make_hall(utilities=[])
    db.session.execute(insert(hall_utilities).values(hall_id=hall.id, utility_id=first(Utility).id))


def written_as_sql_text() -> None:
    db.session.execute(text("UPDATE channel SET hours = '全天'"))
    version.mark_changed()


RESIDENTS_SEE = {
    "a new utility": make_utility,
    "a utility renamed": lambda: setattr(first(Utility), "name", "澄州市自来水公司"),
    "a new item": make_item,
    "an item suspended": lambda: setattr(first(Item), "category", "停水"),
    "a version published": publish_next_version,
    "a legal basis corrected": lambda: setattr(first(LegalBasis), "doc_number", "澄价〔2025〕2号"),
    "a channel's phone": lambda: setattr(first(Channel), "phone", "0519-12345"),
    "a channel removed": lambda: db.session.delete(make_channel()),
    "a hall's opening hours": lambda: setattr(first(Hall), "opening_hours", []),
    "a utility shown in a hall": link_another_utility,
    "a holiday set": lambda: calendar.set_day(date(2031, 3, 5), HolidayKind.HOLIDAY, "纪念日"),
    "a holiday removed": lambda: calendar.remove_override(date(2031, 5, 6)),
    "the calendar known until": lambda: calendar.set_known_until(date(2031, 12, 31)),
    "an item's search entry": lambda: index_item(first(Item)),
    "holidays renamed in one statement": holidays_renamed_in_bulk,
    "a hall linked in one statement": hall_linked_in_bulk,
    "SQL text, marked": written_as_sql_text,
}


@pytest.mark.parametrize("write", RESIDENTS_SEE)
def test_each_write_residents_see_moves_the_version_once(app, rows, write):
    assert moves(app, RESIDENTS_SEE[write]) == 1


def failed_sign_in() -> None:
    user = make_user(Role.REVIEWER, username="h10-reviewer")
    db.session.commit()
    assert accounts.attempt_login(user.username, "wrong").outcome != accounts.LoginOutcome.OK
    assert accounts.attempt_login("nobody-such", "wrong").outcome != accounts.LoginOutcome.OK


def device_heartbeat() -> None:
    device, token = devices.create_registration(first(Hall), "board", "入口", actor="admin")
    db.session.commit()
    registered, _secret = devices.register(token)
    db.session.commit()
    devices.record_heartbeat(registered, "v1")


PRIVATE = {
    "a failed sign-in, known and unknown user": failed_sign_in,
    "a device's heartbeat": device_heartbeat,
    "an audit row": lambda: audit.record("tester", "test.private", "nothing", "1"),
}


@pytest.mark.parametrize("write", PRIVATE)
def test_private_writes_leave_the_version_alone(app, rows, write):
    assert moves(app, PRIVATE[write]) == 0


def test_many_writes_in_one_transaction_move_it_once(app, rows):
    def many() -> None:
        for _ in range(3):
            make_item()
            db.session.flush()
        with db.session.begin_nested():
            make_channel()

    assert moves(app, many) == 1


def test_a_rolled_back_write_moves_nothing_but_this_process_s_pages(app, rows):
    with app.app_context():
        before, local = number(), version.local_moves()
        make_utility()
        db.session.flush()
        assert version.has_uncommitted_changes(db.session())
        db.session.rollback()
        assert number() == before
        assert version.local_moves() != local


def test_a_commit_moves_this_process_s_pages_at_once(app, rows):
    local = version.local_moves()
    assert moves(app, make_utility) == 1
    assert version.local_moves() != local


def test_the_version_row_comes_back_if_it_was_deleted(app, rows):
    with app.app_context():
        db.session.execute(text("DELETE FROM catalogue_version"))
        db.session.commit()
        assert version.read_version() == (0, None)
        make_utility()
        db.session.commit()
        moved, changed_at = version.read_version()
        assert moved == 1 and changed_at is not None
