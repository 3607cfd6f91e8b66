"""Fixtures and functions for the editor's web tests: accounts, signing in, forms as a
browser sends them.

Test modules import the fixtures by their function names (`accounts_fixture`,
`tariff_fixture`) and use them by their fixture names (`accounts`, `tariff`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import delete
from werkzeug.datastructures import MultiDict

from services.clock import today, utcnow
from services.db import db
from services.models import (
    Item,
    ItemKind,
    Revision,
    RevisionStatus,
    Role,
    SearchEntry,
    User,
    Utility,
)
from tests.factories import make_item, make_revision, make_user, make_utility

ROLES = ("editor", "other_editor", "reviewer", "admin")


def sign_in(client, user_id: int) -> None:
    """Sign the test client in without a login request (fast, no audit row)."""
    with client.application.app_context():
        session_id = db.session.get(User, user_id).get_id()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True


def form_data(app, content: dict, version: int, change_summary: str = "调整", is_major=True):
    """The edit form's fields for `content`, as the editor's browser would send them: the
    form of a price notice if the content is one, of a service otherwise."""
    from kiosk.editor.content_form import content_fields

    kind = ItemKind.TARIFF if "price_notice" in content else ItemKind.SERVICE

    data = MultiDict({"version": str(version), "change_summary": change_summary})
    if is_major:
        data["is_major"] = "y"

    def add(field) -> None:
        if field.widget in ("group", "rows", "row"):
            for child in field.children:
                add(child)
        elif field.widget == "checkbox":
            if field.value:
                data.add(field.path, "y")
        elif field.widget == "checkboxes":
            for value in field.value or []:
                data.add(field.path, str(value))
        else:
            data.add(field.path, "" if field.value is None else str(field.value))

    with app.test_request_context():  # labels are translated while the form is built
        for field in content_fields(content, {}, kind):
            add(field)
    return data


@pytest.fixture(scope="module", name="accounts")
def accounts_fixture(app):
    """Two utilities and one account of each kind, committed for this module."""
    with app.app_context():
        own, other = make_utility(), make_utility()
        users = {
            "editor": make_user(Role.EDITOR, own),
            "other_editor": make_user(Role.EDITOR, other),
            "reviewer": make_user(Role.REVIEWER),
            "admin": make_user(Role.ADMIN),
        }
        db.session.commit()
        ids = {"utility": own.id, "other": other.id} | {k: u.id for k, u in users.items()}
    yield ids
    with app.app_context():
        db.session.execute(delete(User).where(User.id.in_([ids[r] for r in ROLES])))
        db.session.execute(delete(Utility).where(Utility.id.in_([ids["utility"], ids["other"]])))
        db.session.commit()


@dataclass(frozen=True)
class Fresh:
    """A fresh tariff as a test sees it, read while it was made."""

    item_id: int
    kiosk_url: str
    published_id: int
    revision_id: int | None  # the revision in the state asked for
    content: dict
    version: int


@pytest.fixture(name="tariff")
def tariff_fixture(app, accounts):
    """Makes a fresh tariff of the editor's utility, published (with `content` if given) and
    with a revision in `state` if given; all are removed after the test.

    Requests are made outside any app context, so that each one has its own session and
    signed-in user, as in production.
    """
    created: list[int] = []

    def make(
        state: RevisionStatus | None, content: dict | None = None, kind=ItemKind.TARIFF
    ) -> Fresh:
        with app.app_context():
            item = make_item(db.session.get(Utility, accounts["utility"]), kind=kind)
            published = make_revision(
                item, effective_from=date(2024, 1, 1), **({"content": content} if content else {})
            )
            revision = published
            if state is not None:
                # A second published revision is a scheduled one, a month ahead.
                scheduled = state == RevisionStatus.PUBLISHED
                revision = make_revision(
                    item,
                    content=published.content,
                    status=state,
                    effective_from=today() + timedelta(days=30) if scheduled else None,
                    published_at=utcnow() if scheduled else None,
                    change_summary="调整水价",
                    author=db.session.get(User, accounts["editor"]),
                )
            db.session.commit()
            created.append(item.id)
            return Fresh(
                item_id=item.id,
                kiosk_url=f"/u/{item.utility.slug}/{item.slug}",
                published_id=published.id,
                revision_id=revision.id if state is not None else None,
                content=revision.content,
                version=revision.version,
            )

    yield make
    with app.app_context():
        for table in (SearchEntry, Revision):
            db.session.execute(delete(table).where(table.item_id.in_(created)))
        db.session.execute(delete(Item).where(Item.id.in_(created)))
        db.session.commit()
