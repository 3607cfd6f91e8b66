"""Bad reviews in the editor and in public: the utility's staff verify, call back and write
what was done, a reviewer closes; the phone number shows to the utility's staff and admins
only, never on public pages, the API, exports or feeds; the closed case is published on the
item's page, in /changes and its feed; `flask ratings purge` deletes old numbers."""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
import pytest
from sqlalchemy import event, func, select

from services.db import db
from services.models import AuditEvent, Role
from services.ratings.models import RatingContact, RectificationCase
from tests.factories import committed, make_bad_review, make_item, make_revision, make_user
from tests.html import parse
from tests.web.editor_pages import sign_in

PHONE = "13812345678"


@dataclass(frozen=True)
class Review:
    case_id: int
    item_url: str
    item_id: int
    editor: int
    other_editor: int
    reviewer: int
    admin: int


@pytest.fixture
def review(app) -> Review:
    def make():
        item = make_revision().item
        case = make_bad_review(item, phone=PHONE, reasons=["materials_differ", "other"])
        return Review(
            case_id=case.id,
            item_url=f"/u/{item.utility.slug}/{item.slug}",
            item_id=item.id,
            editor=make_user(Role.EDITOR, item.utility).id,
            other_editor=make_user(Role.EDITOR).id,
            reviewer=make_user(Role.REVIEWER).id,
            admin=make_user(Role.ADMIN).id,
        )

    return committed(app, make)


def client_of(app, user_id: int):
    client = app.test_client()
    sign_in(client, user_id)
    return client


def views_of_phone(app, case_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "view_phone", AuditEvent.entity_id == str(case_id))
        )


def test_the_utilitys_editor_sees_the_case_with_its_due_date_and_may_see_the_phone(app, review):
    editor = client_of(app, review.editor)
    listing = parse(editor.get("/editor/cases").data)
    row = listing.by_id("open-cases")
    assert f"/editor/cases/{review.case_id}" in [a["href"] for a in row.find_all("a")]
    detail = editor.get(f"/editor/cases/{review.case_id}")
    page = parse(detail.data)
    assert "国办发〔2019〕51号" in page.text_of("case-due") and "10" in page.text_of("case-due")
    assert PHONE not in detail.get_data(as_text=True)  # only on its own, audited page
    assert views_of_phone(app, review.case_id) == 0
    shown = editor.get(page.by_id("show-phone")["href"])
    assert PHONE in parse(shown.data).text_of("phone")
    assert shown.headers["Cache-Control"] == "no-store"
    assert views_of_phone(app, review.case_id) == 1


def test_an_admin_may_see_the_phone(app, review):
    admin = client_of(app, review.admin)
    assert PHONE in admin.get(f"/editor/cases/{review.case_id}/phone").get_data(as_text=True)
    assert views_of_phone(app, review.case_id) == 1


def test_nobody_else_sees_the_phone_anywhere(app, review):
    other = client_of(app, review.other_editor)
    assert other.get(f"/editor/cases/{review.case_id}").status_code == 403
    assert other.get(f"/editor/cases/{review.case_id}/phone").status_code == 403
    assert PHONE not in other.get("/editor/cases").get_data(as_text=True)
    reviewer = client_of(app, review.reviewer)
    detail = reviewer.get(f"/editor/cases/{review.case_id}")
    assert detail.status_code == 200 and PHONE not in detail.get_data(as_text=True)
    assert reviewer.get(f"/editor/cases/{review.case_id}/phone").status_code == 403
    assert views_of_phone(app, review.case_id) == 0


def public_answers(client, review: Review) -> list[str]:
    urls = [
        review.item_url,
        review.item_url + "/rate",
        "/changes",
        "/changes.atom",
        "/api/v1/items",
        "/api/v1/changes",
        "/api/v1/exports/catalogue.csv",
        "/api/v1/exports/catalogue.xlsx",
    ]
    answers = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        answers.append(readable(response.data) if url.endswith(".xlsx") else response.text)
    return answers


def readable(workbook: bytes) -> str:
    """Every cell of every sheet of a workbook, as text."""
    book = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
    return " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def test_the_phone_and_the_residents_words_are_on_no_public_page_feed_or_export(
    app, client, review
):
    for body in public_answers(client, review):
        assert PHONE not in body and "窗口要求的材料" not in body


def test_a_case_runs_from_verdict_to_publication(app, client, review):
    editor = client_of(app, review.editor)
    case_url = f"/editor/cases/{review.case_id}"
    response = editor.post(case_url + "/verify", data={"verdict": "valid", "version": "1"})
    assert response.status_code == 302
    editor.post(case_url + "/call-back", data={"note": "已回访，评价人认可", "version": "2"})
    with app.app_context():
        changed = make_revision(db.session.get(RectificationCase, review.case_id).item)
        db.session.commit()
        changed_id = changed.id
    answer = editor.post(
        case_url + "/action",
        data={
            "action_taken": "指南已写明需核验原件",
            "revision_id": str(changed_id),
            "version": "3",
        },
    )
    assert answer.status_code == 302
    # Not published until a reviewer closes it.
    assert "指南已写明需核验原件" not in client.get(review.item_url).get_data(as_text=True)
    assert (
        editor.post(case_url + "/close", data={"decision": "close", "version": "4"}).status_code
        == 403
    )
    reviewer = client_of(app, review.reviewer)
    closed = reviewer.post(case_url + "/close", data={"decision": "close", "version": "4"})
    assert closed.status_code == 302

    page = parse(client.get(review.item_url).data)
    published = page.text_of("rectifications")
    assert "材料与实际要求不符" in published and "指南已写明需核验原件" in published
    assert f"/r/{changed_id}" in [a["href"] for a in page.by_id("rectifications").find_all("a")]
    changes = parse(client.get("/changes").data)
    assert "指南已写明需核验原件" in changes.text_of("rectifications")
    feed = client.get("/changes.atom").get_data(as_text=True)
    assert f"#rectification-{review.case_id}" in feed and "指南已写明需核验原件" in feed
    english = parse(client.get(review.item_url + "?lang=en").data)
    assert "The materials asked for differed from the guide" in english.text_of("rectifications")


def test_a_stale_form_is_refused_and_the_case_shown_as_it_is(app, review):
    editor = client_of(app, review.editor)
    case_url = f"/editor/cases/{review.case_id}"
    editor.post(case_url + "/verify", data={"verdict": "valid", "version": "1"})
    again = editor.post(
        case_url + "/verify", data={"verdict": "invalid", "reason": "x", "version": "1"}
    )
    assert again.status_code == 409
    assert parse(again.data).by_id("problem")


def test_not_valid_without_a_reason_is_refused_with_a_message(app, review):
    editor = client_of(app, review.editor)
    answer = editor.post(
        f"/editor/cases/{review.case_id}/verify",
        data={"verdict": "invalid", "reason": "", "version": "1"},
    )
    assert answer.status_code == 409
    assert "理由" in parse(answer.data).text_of("problem")


def test_the_purge_command_deletes_numbers_past_retention(app, review, monkeypatch):
    runner = app.test_cli_runner()
    kept = runner.invoke(args=["ratings", "purge"])
    assert kept.exit_code == 0, kept.output
    assert "0 phone numbers" in kept.output
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(RatingContact))
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2099-01-01T10:00:00")
    purged = runner.invoke(args=["ratings", "purge"])
    assert purged.exit_code == 0, purged.output
    assert f"{before} phone numbers" in purged.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RatingContact)) == 0
        case = db.session.get(RectificationCase, review.case_id)
        assert case is not None and case.rating.contact is None
    editor = client_of(app, review.editor)
    page = editor.get(f"/editor/cases/{review.case_id}")
    assert "show-phone" not in page.get_data(as_text=True)


def test_the_case_list_costs_the_same_queries_for_one_case_or_many(app):
    def make(items: int):
        utility = make_revision().item.utility
        for _ in range(items):
            make_bad_review(make_item(utility))
        return make_user(Role.EDITOR, utility).id

    def statements_for(user_id: int) -> int:
        client = client_of(app, user_id)
        client.get("/editor/cases")  # the session and the account are loaded once
        seen = []
        with app.app_context():
            engine = db.engine

        def record(*_args):
            seen.append(1)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get("/editor/cases").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    one, many = committed(app, lambda: make(1)), committed(app, lambda: make(6))
    assert statements_for(one) == statements_for(many)
