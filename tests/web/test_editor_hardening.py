"""The editor under hostile or clumsy input: every refusal is a clear message and nothing is
written."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash

from kiosk.editor.content_form import MAX_FORM_FIELDS, MAX_ROWS_PER_LIST, read_form
from kiosk.staff import SEEN_KEY
from services.clock import today
from services.db import db
from services.models import AuditEvent, Item, Revision, RevisionStatus, SearchEntry, User
from services.publishing import accounts as accounts_service
from services.publishing import revisions
from services.search.index import index_item
from tests.factories import PASSWORD
from tests.html import form_values, parse
from tests.services.test_hostile_sheets import TIGHT, big_workbook, with_merged
from tests.web.editor_pages import (  # noqa: F401  (fixtures)
    accounts_fixture,
    form_data,
    sign_in,
    tariff_fixture,
)


def signed_in(app, accounts, role: str):
    client = app.test_client()
    sign_in(client, accounts[role])
    return client


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Revision)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def upload(client, data: bytes, name: str = "fees.xlsx"):
    return client.post("/editor/fees/import", data={"sheet": (io.BytesIO(data), name)})


# Spreadsheet uploads ---------------------------------------------------------------------------


def test_a_workbook_with_one_huge_merged_range_is_refused_with_a_message(app, accounts, tariff):
    tariff(None)
    before = counts(app)
    response = upload(signed_in(app, accounts, "editor"), with_merged("A1:XFD1048576"))
    assert response.status_code == 422
    assert "合并" in parse(response.data).text_of("import-errors")
    assert counts(app) == before


def test_a_workbook_the_child_cannot_read_within_its_limits_changes_nothing(
    app, accounts, tariff, monkeypatch
):
    tariff(None)
    monkeypatch.setitem(app.config, "SPREADSHEET_PARSE_MEMORY_MB", TIGHT.memory_bytes >> 20)
    before = counts(app)
    response = upload(signed_in(app, accounts, "editor"), big_workbook())
    assert response.status_code == 422
    assert "内存" in parse(response.data).text_of("import-errors")
    assert counts(app) == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Item)) > 0


# The content form's size ------------------------------------------------------------------------


class CountingForm(MultiDict):
    """A form that counts how often all of its names are walked through."""

    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()

    def keys(self):
        type(self).walks += 1
        return super().keys()

    def items(self, multi=False):
        type(self).walks += 1
        return super().items(multi)


def many_rows(app, content: dict, version: int, rows: int) -> MultiDict:
    data = form_data(app, content, version)
    first = len(content.get("faq", []))
    for n in range(rows):
        data.add(f"faq[{first + n}].question", f"问题{n}")
        data.add(f"faq[{first + n}].answer", "按公示价格计收")
    return data


def test_the_form_is_read_in_one_walk_through_its_names(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    CountingForm.walks = 0
    content, over = read_form(CountingForm(many_rows(app, fresh.content, fresh.version, 150)))
    assert CountingForm.walks <= 2
    assert len(content["faq"]) == len(fresh.content.get("faq", [])) + 150 and not over


def test_an_8000_row_post_is_answered_with_a_message_and_nothing_saved(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    data = many_rows(app, fresh.content, fresh.version, 8000)
    assert len(urlencode(list(data.items(multi=True))).encode()) > 500_000
    CountingForm.walks = 0
    content, over = read_form(CountingForm(data))
    assert over and CountingForm.walks <= 2 and len(content["faq"]) == MAX_ROWS_PER_LIST
    before = counts(app)
    client = signed_in(app, accounts, "editor")
    response = client.post(f"/editor/revisions/{fresh.revision_id}/edit", data=data)
    assert response.status_code == 413
    page = parse(response.data)
    assert str(MAX_ROWS_PER_LIST) in page.text_of("error")
    values = form_values(response.data, "revision-form")
    first = len(fresh.content.get("faq", []))
    assert values[f"faq[{first}].question"] == "问题0" and values["change_summary"] == "调整"
    assert counts(app) == before
    with app.app_context():
        assert db.session.get(Revision, fresh.revision_id).version == fresh.version


def test_too_many_fields_in_one_form_are_refused_the_same_way(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    data = form_data(app, fresh.content, fresh.version)
    for n in range(MAX_FORM_FIELDS):
        data.add(f"junk{n}", "x")
    response = signed_in(app, accounts, "editor").post(
        f"/editor/revisions/{fresh.revision_id}/rows", data=data | {"op": "add:faq"}
    )
    assert response.status_code == 413


# Review integrity -------------------------------------------------------------------------------


def audit_count(app) -> int:
    return counts(app)[1]


def test_a_stale_review_page_cannot_approve_content_nobody_saw(app, accounts, tariff):
    fresh = tariff(RevisionStatus.IN_REVIEW)
    reviewer = signed_in(app, accounts, "reviewer")
    url = f"/editor/revisions/{fresh.revision_id}"
    stale = form_values(reviewer.get(url).data, "review-form")
    assert stale["version"] == str(fresh.version)
    with app.app_context():  # meanwhile: returned, changed and sent back for review
        revision = db.session.get(Revision, fresh.revision_id)
        editor = db.session.get(User, accounts["editor"])
        revisions.reject(revision, db.session.get(User, accounts["admin"]), "再看看")
        changed = revision.content | {"summary": "没有人审核过的说明"}
        revisions.save_draft(
            revision,
            changed,
            base_version=revision.version,
            change_summary="调整",
            is_major=True,
            actor=editor,
        )
        revisions.submit(revision, editor, revision.version)
        db.session.commit()
    before = audit_count(app)
    response = reviewer.post(f"{url}/approve", data=stale | {"comment": "同意"})
    assert response.status_code == 409
    assert "打开此页面后该版本已有改动" in parse(response.data).text_of("problem")
    assert saved_status(app, fresh.revision_id) == RevisionStatus.IN_REVIEW
    assert audit_count(app) == before
    fresh_form = form_values(response.data, "review-form")  # the page now shows what is there
    assert reviewer.post(f"{url}/approve", data=fresh_form).status_code == 302
    assert saved_status(app, fresh.revision_id) == RevisionStatus.APPROVED


def saved_status(app, revision_id: int) -> RevisionStatus:
    with app.app_context():
        return db.session.get(Revision, revision_id).status


def test_an_admin_who_edited_a_draft_cannot_approve_it(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    admin = signed_in(app, accounts, "admin")
    url = f"/editor/revisions/{fresh.revision_id}"
    form = form_data(app, fresh.content | {"summary": "管理员改过的说明"}, fresh.version)
    assert admin.post(f"{url}/edit", data=form).status_code == 302
    editor = signed_in(app, accounts, "editor")
    assert editor.post(f"{url}/submit", data={"version": str(fresh.version + 1)}).status_code == 302
    response = admin.post(f"{url}/approve", data=form_values(admin.get(url).data, "review-form"))
    assert response.status_code == 409
    assert saved_status(app, fresh.revision_id) == RevisionStatus.IN_REVIEW
    reviewer = signed_in(app, accounts, "reviewer")
    response = reviewer.post(
        f"{url}/approve", data=form_values(reviewer.get(url).data, "review-form")
    )
    assert response.status_code == 302


def test_a_lost_race_between_two_publishes_is_a_clear_refusal(app, accounts, tariff):
    fresh = tariff(RevisionStatus.APPROVED)
    with app.app_context():
        mine = db.session.get(Revision, fresh.revision_id)
        assert mine.status == RevisionStatus.APPROVED  # read before the other reviewer acts
        with Session(db.engine) as other:
            theirs = other.get(Revision, fresh.revision_id)
            theirs.status = RevisionStatus.PUBLISHED
            theirs.effective_from = today()
            other.commit()
        with pytest.raises(revisions.WorkflowError) as lost:
            revisions.publish(mine, db.session.get(User, accounts["reviewer"]), today())
        assert lost.value.code == "lost_race"
        db.session.rollback()


@pytest.mark.parametrize(
    "op",
    [
        "explode:materials",
        "remove:materials[99]",
        "up:materials[99]",
        "add:fees[7].pricing.tiers",
        "add:name",
        "add:no_such_list",
        "remove:materials",
        "add:",
        "add:materials..x",
    ],
)
def test_bad_row_operations_are_refused_with_a_message_and_the_form_kept(app, accounts, tariff, op):
    fresh = tariff(RevisionStatus.DRAFT)
    data = form_data(app, fresh.content | {"summary": "刚输入的说明"}, fresh.version)
    response = signed_in(app, accounts, "editor").post(
        f"/editor/revisions/{fresh.revision_id}/rows", data=data | {"op": op}
    )
    assert response.status_code == 400
    assert parse(response.data).text_of("error")
    assert form_values(response.data, "revision-form")["summary"] == "刚输入的说明"


# Effective dates -------------------------------------------------------------------------------


def publish_form(client, revision_id: int, **fields) -> dict:
    page = client.get(f"/editor/revisions/{revision_id}")
    return dict(form_values(page.data, "publish-form").items()) | fields


def test_a_date_in_the_year_9999_cannot_be_published(app, accounts, tariff):
    fresh = tariff(RevisionStatus.APPROVED)
    reviewer = signed_in(app, accounts, "reviewer")
    url = f"/editor/revisions/{fresh.revision_id}"
    data = publish_form(reviewer, fresh.revision_id, effective_from="9999-12-31")
    data["confirm_far_date"] = "y"
    response = reviewer.post(f"{url}/publish", data=data)
    assert response.status_code == 409
    latest = revisions.latest_effective_date(today())
    shown = f"{latest.year}年{latest.month}月{latest.day}日"
    assert shown in parse(response.data).text_of("problem")
    assert saved_status(app, fresh.revision_id) == RevisionStatus.APPROVED


def test_a_date_more_than_a_year_ahead_needs_the_box_ticked(app, accounts, tariff):
    fresh = tariff(RevisionStatus.APPROVED)
    reviewer = signed_in(app, accounts, "reviewer")
    url = f"/editor/revisions/{fresh.revision_id}"
    far = today() + timedelta(days=500)
    data = publish_form(reviewer, fresh.revision_id, effective_from=far.isoformat())
    data.pop("confirm_far_date", None)
    response = reviewer.post(f"{url}/publish", data=data)
    shown = f"{far.year}年{far.month}月{far.day}日"
    assert response.status_code == 409 and shown in parse(response.data).text_of("problem")
    assert saved_status(app, fresh.revision_id) == RevisionStatus.APPROVED
    response = reviewer.post(f"{url}/publish", data=data | {"confirm_far_date": "y"})
    assert response.status_code == 302
    assert saved_status(app, fresh.revision_id) == RevisionStatus.PUBLISHED


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_a_scheduled_change_can_be_withdrawn_and_the_old_one_stays(app, accounts, tariff, role):
    fresh = tariff(RevisionStatus.PUBLISHED)
    with app.app_context():  # as publishing leaves it: indexed, announced
        index_item(db.session.get(Item, fresh.item_id))
        db.session.commit()
        assert db.session.scalar(select(SearchEntry.refresh_on).filter_by(item_id=fresh.item_id))
    kiosk = app.test_client()
    assert "upcoming-heading" in parse(kiosk.get(fresh.kiosk_url).data).ids
    client = signed_in(app, accounts, role)
    url = f"/editor/revisions/{fresh.revision_id}"
    assert "withdraw-form" in parse(client.get(url).data).ids
    data = dict(form_values(client.get(url).data, "withdraw-form").items())
    data["reason"] = "日期写错了"
    assert client.post(f"{url}/withdraw", data=data).status_code == 302
    assert saved_status(app, fresh.revision_id) == RevisionStatus.WITHDRAWN
    assert saved_status(app, fresh.published_id) == RevisionStatus.PUBLISHED
    assert "upcoming-heading" not in parse(kiosk.get(fresh.kiosk_url).data).ids
    with app.app_context():
        entry = db.session.scalar(select(SearchEntry).filter_by(item_id=fresh.item_id))
        assert entry.refresh_on is None and entry.revision_id == fresh.published_id
        event = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "revision.withdraw")
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
        assert event.entity_id == str(fresh.revision_id) and event.after["reason"] == "日期写错了"


def test_a_change_in_force_cannot_be_withdrawn(app, accounts, tariff):
    fresh = tariff(None)
    before = audit_count(app)
    response = signed_in(app, accounts, "reviewer").post(
        f"/editor/revisions/{fresh.published_id}/withdraw", data={"reason": "x"}
    )
    assert response.status_code == 409
    assert saved_status(app, fresh.published_id) == RevisionStatus.PUBLISHED
    assert audit_count(app) == before


# Text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("summary", "说明\x00后面"),
        ("change_summary", "调整\x07"),
        ("online_url", "javascript:alert(document.cookie)"),
    ],
)
def test_text_that_would_break_feeds_is_refused_before_saving_and_kept_on_screen(
    app, accounts, tariff, field, value
):
    fresh = tariff(RevisionStatus.DRAFT)
    data = form_data(app, fresh.content, fresh.version)
    data[field] = value
    before = counts(app)
    response = signed_in(app, accounts, "editor").post(
        f"/editor/revisions/{fresh.revision_id}/edit", data=data
    )
    assert response.status_code == 422
    assert parse(response.data).text_of("error")
    assert form_values(response.data, "revision-form")[field] == value.strip()
    assert counts(app) == before


def test_direction_overrides_in_a_name_are_stripped_when_saved(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    data = form_data(app, fresh.content, fresh.version)
    data["name"] = "居民\u202e生活\u200b用水价格"
    client = signed_in(app, accounts, "editor")
    assert client.post(f"/editor/revisions/{fresh.revision_id}/edit", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Revision, fresh.revision_id).content["name"] == "居民生活用水价格"


def test_a_review_comment_with_a_control_character_is_refused(app, accounts, tariff):
    fresh = tariff(RevisionStatus.IN_REVIEW)
    reviewer = signed_in(app, accounts, "reviewer")
    url = f"/editor/revisions/{fresh.revision_id}"
    data = dict(form_values(reviewer.get(url).data, "review-form").items())
    data["comment"] = "同意\x00"
    before = counts(app)
    response = reviewer.post(f"{url}/approve", data=data)
    assert response.status_code == 400
    assert parse(response.data).select("#review-form .field-problem")
    assert counts(app) == before


def test_a_username_with_a_nul_gets_an_answer_not_an_error(app):
    response = app.test_client().post(
        "/editor/login", data={"username": "admin\x00", "password": "whatever-it-is"}
    )
    assert response.status_code == 200
    assert parse(response.data).select("#login-form .field-problem")


# Accounts and sessions --------------------------------------------------------------------------


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def sign_in_by_form(client, username: str, password: str = PASSWORD):
    return client.post("/editor/login", data={"username": username, "password": password})


def username_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).username


def test_throttling_does_not_tell_whether_a_username_exists(app, accounts):
    reviewer = username_of(app, accounts["reviewer"])
    answers = {}
    for address, name in (("192.0.2.41", reviewer), ("192.0.2.42", "no-such-person")):
        client = from_address(app, address)
        answers[name] = [
            (r.status_code, re.sub(r"\d+", "#", parse(r.data).text_of("login-problem")))
            for r in (sign_in_by_form(client, name, "wrong guess") for _ in range(8))
        ]
    assert answers[reviewer] == answers["no-such-person"]
    assert [status for status, _text in answers[reviewer]] == [200] * 5 + [429] * 3


def test_a_guesser_cannot_keep_a_reviewer_out(app, accounts):
    reviewer = username_of(app, accounts["reviewer"])
    guesser = from_address(app, "192.0.2.51")
    for _ in range(8):
        sign_in_by_form(guesser, reviewer, "wrong guess")
    assert sign_in_by_form(guesser, reviewer).status_code == 429  # even with the password
    own_desk = from_address(app, "192.0.2.52")
    assert sign_in_by_form(own_desk, reviewer).status_code == 302


def test_a_username_typed_in_capitals_or_full_width_signs_in(app, accounts):
    reviewer = username_of(app, accounts["reviewer"])
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in reviewer.upper())
    client = from_address(app, "192.0.2.61")
    assert sign_in_by_form(client, wide).status_code == 302


def test_signing_out_ends_the_session_everywhere(app, accounts):
    client = from_address(app, "192.0.2.71")
    assert sign_in_by_form(client, username_of(app, accounts["reviewer"])).status_code == 302
    copied = app.test_client()  # the same cookie, as if taken from this browser
    copied.set_cookie("session", client.get_cookie("session").value)
    assert copied.get("/editor/review").status_code == 200
    assert client.post("/editor/logout").status_code == 302
    assert copied.get("/editor/review").location.startswith("/editor/login")
    assert client.get("/editor/review").location.startswith("/editor/login")


def test_a_new_password_ends_existing_sessions(app, accounts):
    user_id = accounts["admin"]
    client = signed_in(app, accounts, "admin")
    assert client.get("/editor/review").status_code == 200
    with app.app_context():
        accounts_service.set_password(db.session.get(User, user_id), "a much better passphrase")
        db.session.commit()
    assert client.get("/editor/review").location.startswith("/editor/login")
    with app.app_context():  # back as the module's other tests expect it
        db.session.get(User, user_id).password_hash = generate_password_hash(PASSWORD)
        db.session.commit()


def test_a_session_idle_too_long_must_sign_in_again(app, accounts):
    client = signed_in(app, accounts, "reviewer")
    assert client.get("/editor/review").status_code == 200
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    with client.session_transaction() as session:
        session[SEEN_KEY] -= idle + 1
    assert client.get("/editor/review").location.startswith("/editor/login")
    fresh = signed_in(app, accounts, "reviewer")
    with fresh.session_transaction() as session:
        session[SEEN_KEY] = int(time.time()) - idle + 60
    assert fresh.get("/editor/review").status_code == 200


def test_an_expired_form_keeps_what_was_typed_and_asks_to_save_again(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = app.test_client(sends_csrf_token=False)
    sign_in(client, accounts["editor"])
    data = form_data(app, fresh.content | {"summary": "花了一小时写的说明"}, fresh.version)
    data["csrf_token"] = "an-expired-token"
    before = counts(app)
    response = client.post(f"/editor/revisions/{fresh.revision_id}/edit", data=data)
    assert response.status_code == 400
    assert parse(response.data).text_of("error")
    again = form_values(response.data, "revision-form")
    assert again["summary"] == "花了一小时写的说明"
    assert counts(app) == before
    response = client.post(f"/editor/revisions/{fresh.revision_id}/edit", data=again)
    assert response.status_code == 302
    with app.app_context():
        assert (
            db.session.get(Revision, fresh.revision_id).content["summary"] == "花了一小时写的说明"
        )


# The audit chain -------------------------------------------------------------------------------


def test_audit_verify_finds_published_content_changed_in_the_database(app, accounts, tariff):
    fresh = tariff(RevisionStatus.APPROVED)
    reviewer = signed_in(app, accounts, "reviewer")
    url = f"/editor/revisions/{fresh.revision_id}"
    data = publish_form(reviewer, fresh.revision_id, effective_from=today().isoformat())
    assert reviewer.post(f"{url}/publish", data=data).status_code == 302
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "published content OK" in result.output
    with app.app_context():
        revision = db.session.get(Revision, fresh.revision_id)
        original = revision.content
        db.session.execute(
            update(Revision)
            .where(Revision.id == revision.id)
            .values(content=original | {"summary": "深夜改过的说明"})
        )
        db.session.commit()
    try:
        result = runner.invoke(args=["audit", "verify"])
        assert result.exit_code == 1
        assert f"revision {fresh.revision_id}" in result.output
        assert "published content CHANGED" in result.output
    finally:
        with app.app_context():
            db.session.execute(
                update(Revision).where(Revision.id == fresh.revision_id).values(content=original)
            )
            db.session.commit()


def test_a_forged_post_without_a_token_or_a_version_is_a_plain_refusal(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = app.test_client(sends_csrf_token=False)
    sign_in(client, accounts["other_editor"])
    url = f"/editor/revisions/{fresh.revision_id}/edit"
    assert client.post(url, data={"summary": "x"}).status_code == 403
    sign_in(client, accounts["editor"])
    assert client.post(url, data={"summary": "x"}).status_code == 400
