"""Every editor and admin URL, for every kind of visitor, answers exactly as designed."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import delete, select

from services import clock
from services.clock import today
from services.db import db
from services.fees.exporting import export_fee_sheet
from services.models import (
    Hearing,
    HearingComment,
    Item,
    ItemKind,
    Outage,
    OutageUpdate,
    Revision,
    RevisionStatus,
    User,
    Utility,
)
from services.outages.queries import local_time
from services.ratings import cases
from services.ratings.models import Rating, RatingContact, RectificationCase
from services.requests.models import InfoRequest, InfoRequestContact, InfoRequestStep
from services.spreadsheets.files import write_csv
from tests.factories import (
    blank_pdf,
    make_bad_review,
    make_hearing,
    make_info_request,
    make_item,
    make_outage,
    make_revision,
)
from tests.web.editor_pages import ROLES as SIGNED_IN
from tests.web.editor_pages import (  # noqa: F401  (fixtures)
    Fresh,
    accounts_fixture,
    form_data,
    sign_in,
    tariff_fixture,
)

ROLES = ("anonymous", *SIGNED_IN)


@pytest.fixture
def bad_review(app, accounts):
    """Makes a bad review (with a phone) of a fresh item, its case verified valid for the
    "action" step and also put right for "close"; all removed after the test."""
    made: list[int] = []

    def make(fresh: Fresh, step: str | None) -> int:
        with app.app_context():
            item = db.session.get(Item, fresh.item_id)
            case = make_bad_review(item, phone="13800138000")
            editor = db.session.get(User, accounts["editor"])
            if step in ("action", "close"):
                cases.verify(case, editor, True, "")
            if step == "close":
                cases.record_action(case, editor, "指南已写明材料要求")
            db.session.commit()
            made.append(case.rating_id)
            return case.id

    yield make
    with app.app_context():
        for table in (RectificationCase, RatingContact):
            db.session.execute(delete(table).where(table.rating_id.in_(made)))
        db.session.execute(delete(Rating).where(Rating.id.in_(made)))
        db.session.commit()


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
    # A draft's blank forms and samples: its editors upload and remove them; its reviewers
    # may look; a file the revision does not name is not there for anyone.
    Case(
        "GET",
        "/editor/revisions/{revision}/forms",
        RevisionStatus.DRAFT,
        None,
        ("302 login", "200", "403", "200", "200"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/forms",
        RevisionStatus.DRAFT,
        "form upload",
        ("302 login", "302 forms", "403", "403", "302 forms"),
    ),
    Case(
        "POST",
        "/editor/revisions/{revision}/forms/remove",
        RevisionStatus.DRAFT,
        "form remove",
        ("302 login", "302 forms", "403", "403", "302 forms"),
    ),
    Case(
        "GET",
        "/editor/revisions/{revision}/files/" + "0" * 64 + ".pdf",
        RevisionStatus.DRAFT,
        None,
        ("302 login", "404", "403", "404", "404"),
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
    # Any staff member may print a hall's notices; the job worker builds them.
    Case("GET", "/editor/print", None, None, ("302 login", "200", "200", "200", "200")),
    Case("POST", "/editor/print", None, "print", ("302 login", "200", "200", "200", "200")),
    Case("GET", "/editor/print/{missing}", None, None, ("302 login", "404", "404", "404", "404")),
    Case(
        "GET", "/editor/print/{missing}.pdf", None, None, ("302 login", "404", "404", "404", "404")
    ),
    # Outage notices: a utility's editors publish, extend and end them; reviewers only look.
    Case("GET", "/editor/outages", None, None, ("302 login", "200", "200", "200", "200")),
    Case(
        "GET",
        "/editor/outages/new?utility={utility}",
        None,
        None,
        ("302 login", "200", "200", "403", "200"),
    ),
    # Another utility's editor always publishes for their own utility, whatever ?utility= says.
    Case(
        "POST",
        "/editor/outages/new?utility={utility}",
        None,
        "outage",
        ("302 login", "302 outage", "302 outage", "403", "302 outage"),
    ),
    Case("GET", "/editor/outages/{outage}", None, None, ("302 login", "200", "403", "200", "200")),
    Case("GET", "/editor/outages/{missing}", None, None, ("302 login", "404", "404", "404", "404")),
    Case(
        "POST",
        "/editor/outages/{outage}/extend",
        None,
        "outage_extend",
        ("302 login", "302 outage", "403", "403", "302 outage"),
    ),
    Case(
        "POST",
        "/editor/outages/{outage}/end",
        None,
        "outage_end",
        ("302 login", "302 outage", "403", "403", "302 outage"),
    ),
    # Hearings: a utility's editors announce them and publish the outcome; the residents'
    # contacts in the comments are for them and admins (tests/web/test_hearings.py).
    Case("GET", "/editor/hearings", None, None, ("302 login", "200", "200", "200", "200")),
    Case(
        "GET",
        "/editor/hearings/new?item={tariff_item}",
        None,
        None,
        ("302 login", "200", "403", "403", "200"),
    ),
    Case(
        "POST",
        "/editor/hearings/new?item={tariff_item}",
        None,
        "hearing",
        ("302 login", "302 hearing", "403", "403", "302 hearing"),
    ),
    Case(
        "GET", "/editor/hearings/{hearing}", None, None, ("302 login", "200", "403", "200", "200")
    ),
    Case(
        "GET", "/editor/hearings/{missing}", None, None, ("302 login", "404", "404", "404", "404")
    ),
    Case(
        "POST",
        "/editor/hearings/{hearing}/summary",
        None,
        "hearing_summary",
        ("302 login", "302 hearing", "403", "403", "302 hearing"),
    ),
    # Information requests: the utility's staff take every step; reviewers read without the
    # applicant's contact (tests/web/test_requests.py); admins do everything.
    Case("GET", "/editor/requests", None, None, ("302 login", "200", "200", "200", "200")),
    Case(
        "GET",
        "/editor/requests/{info_request}",
        None,
        None,
        ("302 login", "200", "403", "200", "200"),
    ),
    Case(
        "GET", "/editor/requests/{missing}", None, None, ("302 login", "404", "404", "404", "404")
    ),
    # A reply's file: the request's access first, then the file (none exists here).
    Case(
        "GET",
        "/editor/requests/{info_request}/files/{missing}",
        None,
        None,
        ("302 login", "404", "403", "404", "404"),
    ),
    *(
        Case(
            "POST",
            f"/editor/requests/{{info_request}}/{step}",
            None,
            "request_step",
            ("302 login", "302 request", "403", "403", "302 request"),
        )
        for step in ("acknowledge", "clarify", "extend", "reply", "close")
    ),
    # Recording a clarification nobody was asked for does not fit a new request.
    Case(
        "POST",
        "/editor/requests/{info_request}/answer",
        None,
        "request_step",
        ("302 login", "409", "403", "403", "409"),
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
    # Bad reviews of the editor's utility ({case}, with a phone left): its staff act, a
    # reviewer closes, and the phone is shown to its staff and admins only.
    Case("GET", "/editor/cases", None, None, ("302 login", "200", "200", "200", "200")),
    Case("GET", "/editor/cases/{case}", None, None, ("302 login", "200", "403", "200", "200")),
    Case("GET", "/editor/cases/{missing}", None, None, ("302 login", "404", "404", "404", "404")),
    Case(
        "GET", "/editor/cases/{case}/phone", None, None, ("302 login", "200", "403", "403", "200")
    ),
    Case(
        "POST",
        "/editor/cases/{case}/verify",
        None,
        "verdict",
        ("302 login", "302 case", "403", "403", "302 case"),
    ),
    Case(
        "POST",
        "/editor/cases/{case}/call-back",
        None,
        "call back",
        ("302 login", "302 case", "403", "403", "302 case"),
    ),
    Case(
        "POST",
        "/editor/cases/{case}/action",
        None,
        "action",
        ("302 login", "302 case", "403", "403", "302 case"),
    ),
    Case(
        "POST",
        "/editor/cases/{case}/close",
        None,
        "close",
        ("302 login", "403", "403", "302 case", "302 case"),
    ),
    # Handling figures: each editor for their own utility, an admin naming one (?utility=).
    Case("GET", "/editor/figures", None, None, ("302 login", "200", "200", "200", "200")),
    Case(
        "POST",
        "/editor/figures",
        None,
        None,
        ("302 login", "302 figures", "302 figures", "403", "400"),
    ),
    Case(
        "GET",
        "/editor/figures/template.xlsx",
        None,
        None,
        ("302 login", "200", "200", "200", "200"),
    ),
    # The sheet names the fresh tariff: not the other editor's, and no service to count.
    Case(
        "POST",
        "/editor/figures/import",
        None,
        "figures sheet",
        ("302 login", "422", "422", "403", "422"),
    ),
]


@dataclass(frozen=True)
class FreshOutage:
    id: int
    utility_slug: str
    ends_at: datetime  # the city's local time


@pytest.fixture(name="outage")
def outage_fixture(app, accounts):
    """A coming outage of the editor's utility, removed after the test with any made then."""
    with app.app_context():
        utility = db.session.get(Utility, accounts["utility"])
        made = make_outage(utility)
        db.session.commit()
        fresh = FreshOutage(made.id, utility.slug, local_time(made.ends_at))
    yield fresh
    with app.app_context():
        mine = select(Outage.id).where(
            Outage.utility_id.in_([accounts["utility"], accounts["other"]])
        )
        db.session.execute(delete(OutageUpdate).where(OutageUpdate.outage_id.in_(mine)))
        db.session.execute(delete(Outage).where(Outage.id.in_(mine)))
        db.session.commit()


@pytest.fixture(name="hearing")
def hearing_fixture(app, accounts):
    """A hearing of the editor's utility whose comment window has closed; removed after the
    test with its tariff and any hearing made then."""
    with app.app_context():
        utility = db.session.get(Utility, accounts["utility"])
        item = make_item(utility, kind=ItemKind.TARIFF)
        make_revision(item)
        made = make_hearing(item, now=clock.now() - timedelta(days=30))
        db.session.commit()
        ids = {"hearing": made.id, "item": item.id}
    yield ids
    with app.app_context():
        owners = [accounts["utility"], accounts["other"]]
        mine = select(Hearing.id).where(Hearing.utility_id.in_(owners))
        db.session.execute(delete(HearingComment).where(HearingComment.hearing_id.in_(mine)))
        db.session.execute(delete(Hearing).where(Hearing.id.in_(mine)))
        db.session.execute(delete(Revision).where(Revision.item_id == ids["item"]))
        db.session.execute(delete(Item).where(Item.id == ids["item"]))
        db.session.commit()


@pytest.fixture(name="info_request")
def info_request_fixture(app, accounts):
    """An information request to the editor's utility; removed after the test."""
    with app.app_context():
        made = make_info_request(db.session.get(Utility, accounts["utility"]))
        db.session.commit()
        request_id = made.id
    yield request_id
    with app.app_context():
        db.session.execute(delete(InfoRequestStep).where(InfoRequestStep.request_id == request_id))
        db.session.execute(
            delete(InfoRequestContact).where(InfoRequestContact.request_id == request_id)
        )
        db.session.execute(delete(InfoRequest).where(InfoRequest.id == request_id))
        db.session.commit()


def minute(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def outage_form(kind: str, outage: FreshOutage) -> dict | None:
    if kind == "outage":
        starts = clock.now() + timedelta(days=2)
        return {
            "kind": "planned",
            "area": "幸福路1号至99号",
            "districts": "龙城区",
            "streets": "幸福路",
            "starts_at": minute(starts),
            "ends_at": minute(starts + timedelta(hours=6)),
            "channel": "0",
        }
    if kind == "outage_extend":
        return {"ends_at": minute(outage.ends_at + timedelta(hours=2)), "version": "1"}
    return {"version": "1", "note": "已恢复"}


def form_for(app, kind: str | None, fresh: Fresh, outage: FreshOutage) -> dict | None:
    if kind is None:
        return None
    if kind == "hearing":
        opens = clock.now()
        return {
            "kind": "consultation",
            "title": "阶梯水价调整征求意见",
            "draft_tiers": "0-180 5.20\n180-260 7.30\n260- 9.40",
            "comments_open_at": minute(opens),
            "comments_close_at": minute(opens + timedelta(days=14)),
        }
    if kind == "request_step":
        return {"version": "1", "text": "说明", "outcome": "disclosed"}
    if kind == "hearing_summary":
        return {"points": "多数意见关注低收入家庭", "version": "1"}
    if kind.startswith("outage"):
        return outage_form(kind, outage)
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
    if kind == "form upload":
        pdf = (io.BytesIO(blank_pdf()), "form.pdf")
        return {"number": "1", "kind": "blank_form", "version": str(fresh.version), "pdf": pdf}
    if kind == "form remove":
        return {"number": "1", "kind": "blank_form", "version": str(fresh.version)}
    if kind == "sheet":
        with app.app_context():
            utility = db.session.get(Item, fresh.item_id).utility
            sheet = export_fee_sheet("csv", utility)
        return {"sheet": (io.BytesIO(sheet), "fees.csv")}
    if kind == "reason":
        return {"reason": "日期写错了"}
    if kind == "comment":
        return {"comment": "已核对", "version": str(fresh.version)}
    if kind == "print":  # a hall that does not exist: the form is shown again with the error
        return {"hall": "no-such-hall", "lang": "en", "paper": "A4"}
    if kind == "figures sheet":
        with app.app_context():
            code = db.session.get(Item, fresh.item_id).code
        sheet = write_csv(
            ["事项编码", "月份", "受理件数", "办结件数", "承诺时限内办结"],
            [[code, "2024-01", 1, 1, 1]],
        )
        return {"sheet": (io.BytesIO(sheet), "figures.csv")}
    if kind == "verdict":
        return {"verdict": "valid", "reason": "", "version": "1"}
    if kind == "call back":
        return {"note": "已电话回访", "version": "1"}
    if kind == "action":
        return {"action_taken": "指南已写明材料要求", "revision_id": "", "version": "2"}
    if kind == "close":
        return {"decision": "close", "version": "3"}
    return {"effective_from": today().isoformat()}


def lands_where_designed(location: str, where: str, fresh: Fresh, case_id: int | None) -> bool:
    if where == "request":  # an information request's editor page
        return re.fullmatch(r"/editor/requests/\d+", location) is not None
    if where == "hearing":  # a hearing's editor page
        return re.fullmatch(r"/editor/hearings/\d+", location) is not None
    if where == "outage":  # an outage's editor page
        return re.fullmatch(r"/editor/outages/\d+", location) is not None
    if where == "edit":  # a new draft's edit page, or the open draft's
        return location.startswith("/editor/revisions/") and location.endswith("/edit")
    return (
        location
        == {
            "login": "/editor/login",
            "dashboard": "/editor/",
            "detail": f"/editor/revisions/{fresh.revision_id}",
            "case": f"/editor/cases/{case_id}",
            "figures": "/editor/figures",
            "forms": f"/editor/revisions/{fresh.revision_id}/forms",
        }[where]
    )


@pytest.mark.parametrize(
    ("case", "role"),
    [(case, role) for case in CASES for role in ROLES],
    ids=[f"{c.method} {c.path} {c.state or ''} as {r}" for c in CASES for r in ROLES],
)
def test_each_editor_url_gives_each_visitor_its_designed_answer(
    app, client, accounts, tariff, outage, hearing, bad_review, info_request, case, role
):
    # A draft's forms belong to its materials, which only a service has.
    fresh = tariff(case.state, kind=ItemKind.SERVICE if "/forms" in case.path else ItemKind.TARIFF)
    # A bad review of the fresh item, brought to the state its step needs.
    case_id = bad_review(fresh, case.data) if "{case}" in case.path else None
    path = case.path.format(
        item=fresh.item_id,
        revision=fresh.revision_id,
        missing=MISSING,
        outage=outage.id,
        utility=outage.utility_slug,
        hearing=hearing["hearing"],
        tariff_item=hearing["item"],
        info_request=info_request,
        case=case_id,
    )
    data = form_for(app, case.data, fresh, outage)
    if role != "anonymous":
        sign_in(client, accounts[role])
    response = client.open(path, method=case.method, data=data)
    status, _space, where = case.answers[ROLES.index(role)].partition(" ")
    assert response.status_code == int(status), response.get_data(as_text=True)[:500]
    if where:
        assert lands_where_designed(urlsplit(response.location).path, where, fresh, case_id)
