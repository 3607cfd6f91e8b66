"""Every screen of the transparency office, and the editor's new item, basis proposal and
password pages, for every kind of visitor, answers exactly as designed."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest

from services.db import db
from services.models import BasisStatus, Revision, RevisionStatus, Role, Utility
from tests.conftest import empty_database
from tests.factories import (
    make_channel,
    make_hall,
    make_legal_basis,
    make_user,
    make_utility,
)
from tests.web.editor_pages import ROLES as SIGNED_IN
from tests.web.editor_pages import (  # noqa: F401  (fixtures)
    Fresh,
    accounts_fixture,
    sign_in,
    tariff_fixture,
)

ROLES = ("anonymous", *SIGNED_IN)
MISSING = 999_999_999
LOGIN = "302 login"
_n = itertools.count(1)


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # {utility} {basis} {channel} {hall} {user} {item} {revision} {proposed} {missing}
    state: RevisionStatus | None
    data: str | None
    answers: tuple[str, ...]  # per role in ROLES order


@pytest.fixture(scope="module", autouse=True)
def emptied_before_the_accounts_go(app, accounts):
    """Items, drafts and proposals made here refer to the module's accounts, which are
    deleted after it: remove every row first (PostgreSQL enforces the foreign keys)."""
    yield
    with app.app_context():
        empty_database()


READ = (LOGIN, "403", "403", "200", "200")
ADMIN_PAGE = (LOGIN, "403", "403", "403", "200")
MISSING_READ = (LOGIN, "403", "403", "404", "404")


def admin_writes(answer: str) -> tuple[str, ...]:
    return (LOGIN, "403", "403", "403", answer)


CASES = [
    Case("GET", "/admin/", None, None, READ),
    Case("GET", "/admin/utilities/", None, None, READ),
    Case("GET", "/admin/utilities/new", None, None, ADMIN_PAGE),
    Case("POST", "/admin/utilities/new", None, "utility", admin_writes("302 utilities")),
    Case("POST", "/admin/utilities/new", None, "empty", admin_writes("400")),
    Case("GET", "/admin/utilities/{utility}/edit", None, None, READ),
    Case("GET", "/admin/utilities/{missing}/edit", None, None, MISSING_READ),
    Case("POST", "/admin/utilities/{utility}/edit", None, "utility", admin_writes("302 utilities")),
    Case("GET", "/admin/legal-bases/", None, None, READ),
    Case("GET", "/admin/legal-bases/new", None, None, ADMIN_PAGE),
    Case("POST", "/admin/legal-bases/new", None, "basis", admin_writes("302 bases")),
    Case("GET", "/admin/legal-bases/{basis}/edit", None, None, READ),
    Case("GET", "/admin/legal-bases/{missing}/edit", None, None, MISSING_READ),
    Case("POST", "/admin/legal-bases/{basis}/edit", None, "basis", admin_writes("302 bases")),
    Case("POST", "/admin/legal-bases/{basis}/delete", None, None, admin_writes("302 bases")),
    Case("GET", "/admin/channels/", None, None, READ),
    Case("GET", "/admin/channels/new", None, None, ADMIN_PAGE),
    Case("POST", "/admin/channels/new", None, "channel", admin_writes("302 channels")),
    Case("GET", "/admin/channels/{channel}/edit", None, None, READ),
    Case("GET", "/admin/channels/{missing}/edit", None, None, MISSING_READ),
    Case("POST", "/admin/channels/{channel}/edit", None, "channel", admin_writes("302 channels")),
    Case("GET", "/admin/users/", None, None, READ),
    Case("GET", "/admin/users/new", None, None, ADMIN_PAGE),
    Case("POST", "/admin/users/new", None, "user", admin_writes("302 user")),
    Case("GET", "/admin/users/{user}/edit", None, None, READ),
    Case("GET", "/admin/users/{missing}/edit", None, None, MISSING_READ),
    Case("POST", "/admin/users/{user}/edit", None, "user_edit", admin_writes("302 user")),
    Case("POST", "/admin/users/{user}/reset-password", None, None, admin_writes("200")),
    Case("GET", "/admin/halls/", None, None, READ),
    Case("GET", "/admin/halls/new", None, None, ADMIN_PAGE),
    Case("POST", "/admin/halls/new", None, "hall", admin_writes("302 halls")),
    Case("GET", "/admin/halls/{hall}/edit", None, None, READ),
    Case("GET", "/admin/halls/{missing}/edit", None, None, MISSING_READ),
    Case("POST", "/admin/halls/{hall}/edit", None, "hall", admin_writes("302 halls")),
    Case("GET", "/admin/items/", None, None, READ),
    Case("GET", "/admin/items/{item}", None, None, READ),
    Case("GET", "/admin/items/{missing}", None, None, MISSING_READ),
    Case("POST", "/admin/items/{item}/suspend", None, "reason", admin_writes("302 item")),
    Case("POST", "/admin/items/{item}/resume", None, None, admin_writes("409")),
    Case("POST", "/admin/items/{item}/retire", None, "reason", admin_writes("302 item")),
    Case("GET", "/editor/items/new", None, None, (LOGIN, "200", "200", "403", "200")),
    Case(
        "POST",
        "/editor/items/new",
        None,
        "new_item",
        (LOGIN, "302 edit", "302 edit", "403", "302 edit"),
    ),
    Case("GET", "/editor/password", None, None, (LOGIN, "200", "200", "200", "200")),
    Case("POST", "/editor/password", None, "password", (LOGIN, "422", "422", "422", "422")),
    Case(
        "GET",
        "/editor/revisions/{revision}/propose-basis",
        RevisionStatus.DRAFT,
        None,
        (LOGIN, "200", "403", "403", "200"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/propose-basis",
        RevisionStatus.DRAFT,
        "proposal",
        (LOGIN, "302 edit", "403", "403", "302 edit"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/bases/{proposed}/approve",
        RevisionStatus.IN_REVIEW,
        None,
        (LOGIN, "403", "403", "302 detail", "302 detail"),
    ),
]


def records(app, accounts, fresh: Fresh) -> dict[str, object]:
    """New rows for one request to act on."""
    with app.app_context():
        proposed = make_legal_basis(status=BasisStatus.PROPOSED)
        if fresh.revision_id is not None:
            revision = db.session.get(Revision, fresh.revision_id)
            revision.content = revision.content | {"basis": [{"code": proposed.code}]}
        made = {
            "utility": make_utility().id,
            "basis": make_legal_basis().id,
            "channel": make_channel().id,
            "hall": make_hall().id,
            "user": make_user(Role.REVIEWER).id,
            "proposed": proposed.id,
            "utility_slug": db.session.get(Utility, accounts["utility"]).slug,
            "hall_utility": make_utility().slug,
        }
        db.session.commit()
        return made


def form_for(kind: str | None, made: dict) -> dict | None:
    n = next(_n)
    forms = {
        None: None,
        "empty": {},
        "utility": {
            "slug": f"access-utility-{n}",
            "name": "澄州市测试供水有限公司",
            "short_name": "测试供水",
            "sector": "water",
            "nature": "public_enterprise",
            "website": "https://water.example.org",
            "position": "3",
        },
        "basis": {"code": f"access-basis-{n}", "title": "澄州市供水条例", "rank": "4"},
        "channel": {
            "code": f"access-channel-{n}",
            "name": "供水服务热线",
            "kinds": ["consult", "repair"],
            "phone": "0519-88881234",
            "utility": "",
        },
        "user": {
            "username": f"access-user-{n}",
            "password": "a long first password",
            "role": "reviewer",
            "utility": "",
        },
        "user_edit": {
            "display_name": "复核员",
            "role": "reviewer",
            "utility": "",
            "is_active": "y",
        },
        "hall": {
            "slug": f"access-hall-{n}",
            "name": "测试大厅",
            "days-0-opens": "09:00",
            "days-0-closes": "17:00",
            "utilities": [made["hall_utility"]],
            "idle_seconds": "90",
            "slide_seconds": "12",
            "slides-0-kind": "fees",
            "slides-0-shown": "y",
            "slides-0-order": "1",
        },
        "reason": {"reason": "系统升级，暂停办理", "successor": ""},
        "new_item": {
            "utility": made["utility_slug"],
            "kind": "service",
            "slug": f"access-item-{n}",
            "code": f"ACCESS-{n}",
            "category": "用水报装",
        },
        "password": {
            "current": "not it at all",
            "new": "a new password 1",
            "repeat": "a new password 1",
        },
        "proposal": {
            "title": "关于调整供水价格的通知",
            "doc_number": f"澄价〔2026〕{n}号",
            "issuer": "澄州市发展和改革委员会",
            "rank": "5",
        },
    }
    return forms[kind]


LANDINGS = {
    "login": lambda loc, fresh: loc == "/editor/login",
    "utilities": lambda loc, fresh: loc == "/admin/utilities/",
    "bases": lambda loc, fresh: loc == "/admin/legal-bases/",
    "channels": lambda loc, fresh: loc == "/admin/channels/",
    "halls": lambda loc, fresh: loc == "/admin/halls/",
    "user": lambda loc, fresh: loc.startswith("/admin/users/") and loc.endswith("/edit"),
    "item": lambda loc, fresh: loc == f"/admin/items/{fresh.item_id}",
    "edit": lambda loc, fresh: loc.startswith("/editor/revisions/") and loc.endswith("/edit"),
    "detail": lambda loc, fresh: loc == f"/editor/revisions/{fresh.revision_id}",
}


@pytest.mark.parametrize(
    ("case", "role"),
    [(case, role) for case in CASES for role in ROLES],
    ids=[f"{c.method} {c.path} {c.data or ''} as {r}" for c in CASES for r in ROLES],
)
def test_each_admin_url_gives_each_visitor_its_designed_answer(
    app, client, accounts, tariff, case, role
):
    fresh = tariff(case.state)
    made = records(app, accounts, fresh)
    path = case.path.format(item=fresh.item_id, revision=fresh.revision_id, missing=MISSING, **made)
    if role != "anonymous":
        sign_in(client, accounts[role])
    response = client.open(path, method=case.method, data=form_for(case.data, made))
    status, _space, where = case.answers[ROLES.index(role)].partition(" ")
    assert response.status_code == int(status), response.get_data(as_text=True)[:800]
    if where:
        assert LANDINGS[where](urlsplit(response.location).path, fresh), response.location
