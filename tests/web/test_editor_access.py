"""Every editor and admin URL, for every kind of visitor, answers exactly as designed."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from services.clock import today
from services.db import db
from services.fees.exporting import export_fee_sheet
from services.models import Item, RevisionStatus
from tests.web.editor_pages import ROLES as SIGNED_IN
from tests.web.editor_pages import (  # noqa: F401  (fixtures)
    Fresh,
    accounts_fixture,
    form_data,
    sign_in,
    tariff_fixture,
)

ROLES = ("anonymous", *SIGNED_IN)
MISSING = 999_999_999


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # {item}, {revision} and {missing} are filled in per case
    state: RevisionStatus | None  # the revision {revision} must be in
    data: str | None  # which form to send
    answers: tuple[str, ...]  # per role, in ROLES order: "200", "403", "404", "302 <where>"


# Anonymous visitors are always sent to sign in: "302 login".
CASES = [
    Case(
        "GET",
        "/editor/login",
        None,
        None,
        ("200", "302 dashboard", "302 dashboard", "302 dashboard", "302 dashboard"),
    ),
    Case(
        "POST",
        "/editor/logout",
        None,
        None,
        ("302 login", "302 login", "302 login", "302 login", "302 login"),
    ),
    Case("GET", "/editor/", None, None, ("302 login", "200", "200", "200", "200")),
    Case("GET", "/editor/items/{item}", None, None, ("302 login", "200", "403", "200", "200")),
    Case("GET", "/editor/items/{missing}", None, None, ("302 login", "404", "404", "404", "404")),
    Case(
        "POST",
        "/editor/items/{item}/drafts",
        None,
        None,
        ("302 login", "302 edit", "403", "403", "302 edit"),
    ),
    Case(
        "GET",
        "/editor/revisions/{revision}",
        RevisionStatus.DRAFT,
        None,
        ("302 login", "200", "403", "200", "200"),
    ),
    Case(
        "GET", "/editor/revisions/{missing}", None, None, ("302 login", "404", "404", "404", "404")
    ),
    Case(
        "GET",
        "/editor/revisions/{revision}/edit",
        RevisionStatus.DRAFT,
        None,
        ("302 login", "200", "403", "403", "200"),
    ),
    Case(
        "GET",
        "/editor/revisions/{revision}/edit",
        RevisionStatus.IN_REVIEW,
        None,
        ("302 login", "302 detail", "403", "403", "302 detail"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/edit",
        RevisionStatus.DRAFT,
        "content",
        ("302 login", "302 edit", "403", "403", "302 edit"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/rows",
        RevisionStatus.DRAFT,
        "row",
        ("302 login", "200", "403", "403", "200"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/check",
        RevisionStatus.DRAFT,
        "content",
        ("302 login", "200", "403", "403", "200"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/merge",
        RevisionStatus.DRAFT,
        "merge",
        ("302 login", "200", "403", "403", "200"),
    ),
    Case(
        "GET",
        "/editor/revisions/{revision}/preview",
        RevisionStatus.DRAFT,
        None,
        ("302 login", "200", "403", "200", "200"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/submit",
        RevisionStatus.DRAFT,
        "version",
        ("302 login", "302 detail", "403", "403", "302 detail"),
    ),
    Case("GET", "/editor/review", None, None, ("302 login", "403", "403", "200", "200")),
    Case(
        "POST",
        "/editor/revisions/{revision}/approve",
        RevisionStatus.IN_REVIEW,
        "comment",
        ("302 login", "403", "403", "302 detail", "302 detail"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/reject",
        RevisionStatus.IN_REVIEW,
        "comment",
        ("302 login", "403", "403", "302 detail", "302 detail"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/publish",
        RevisionStatus.APPROVED,
        "date",
        ("302 login", "403", "403", "302 detail", "302 detail"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/withdraw",
        RevisionStatus.PUBLISHED,
        "reason",
        ("302 login", "302 detail", "403", "302 detail", "302 detail"),
    ),
    Case("GET", "/editor/fees", None, None, ("302 login", "200", "200", "200", "200")),
    Case(
        "GET", "/editor/fees/template.xlsx", None, None, ("302 login", "200", "200", "200", "200")
    ),
    Case("GET", "/editor/fees/export.csv", None, None, ("302 login", "200", "200", "200", "200")),
    Case("GET", "/editor/fees/export.pdf", None, None, ("302 login", "404", "404", "404", "404")),
    # Another utility's editor may import, but not this utility's items: the sheet is refused.
    Case(
        "POST",
        "/editor/fees/import",
        None,
        "sheet",
        ("302 login", "302 dashboard", "422", "403", "302 dashboard"),
    ),
    # The admin's screens sign in through the editor and are for admins alone.
    Case("GET", "/admin/devices/", None, None, ("302 login", "403", "403", "403", "200")),
    Case(
        "POST",
        "/admin/devices/{missing}/remove",
        None,
        None,
        ("302 login", "403", "403", "403", "404"),
    ),
]


def form_for(app, kind: str | None, fresh: Fresh) -> dict | None:
    if kind is None:
        return None
    if kind == "content":
        return form_data(app, fresh.content, fresh.version)
    if kind == "row":
        return form_data(app, fresh.content, fresh.version) | {"op": "add:conditions"}
    if kind == "merge":
        mine = {
            "content": fresh.content,
            "change_summary": "调整",
            "is_major": True,
            "version": fresh.version,
        }
        return {"mine": json.dumps(mine), "theirs_version": str(fresh.version)}
    if kind == "version":
        return {"version": str(fresh.version)}
    if kind == "sheet":
        with app.app_context():
            utility = db.session.get(Item, fresh.item_id).utility
            sheet = export_fee_sheet("csv", utility)
        return {"sheet": (io.BytesIO(sheet), "fees.csv")}
    if kind == "reason":
        return {"reason": "日期写错了"}
    if kind == "comment":
        return {"comment": "已核对", "version": str(fresh.version)}
    return {"effective_from": today().isoformat()}


def lands_where_designed(location: str, where: str, fresh: Fresh) -> bool:
    if where == "edit":  # a new draft's edit page, or the open draft's
        return location.startswith("/editor/revisions/") and location.endswith("/edit")
    return (
        location
        == {
            "login": "/editor/login",
            "dashboard": "/editor/",
            "detail": f"/editor/revisions/{fresh.revision_id}",
        }[where]
    )


@pytest.mark.parametrize(
    ("case", "role"),
    [(case, role) for case in CASES for role in ROLES],
    ids=[f"{c.method} {c.path} {c.state or ''} as {r}" for c in CASES for r in ROLES],
)
def test_each_editor_url_gives_each_visitor_its_designed_answer(
    app, client, accounts, tariff, case, role
):
    fresh = tariff(case.state)
    path = case.path.format(item=fresh.item_id, revision=fresh.revision_id, missing=MISSING)
    data = form_for(app, case.data, fresh)
    if role != "anonymous":
        sign_in(client, accounts[role])
    response = client.open(path, method=case.method, data=data)
    status, _space, where = case.answers[ROLES.index(role)].partition(" ")
    assert response.status_code == int(status), response.get_data(as_text=True)[:500]
    if where:
        assert lands_where_designed(urlsplit(response.location).path, where, fresh)
