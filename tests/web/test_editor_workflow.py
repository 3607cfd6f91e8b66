"""The editor in use: signing in, the content form and its rows, checks, conflicts, review."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import delete, select, update

from kiosk.editor.content_form import read_content
from services.clock import today
from services.db import db
from services.fees.exporting import export_fee_sheet
from services.models import AuditEvent, Item, Revision, RevisionStatus, User
from services.publishing import revisions
from tests.factories import PASSWORD, unique
from tests.html import form_values, parse
from tests.web.editor_pages import (  # noqa: F401  (fixtures)
    accounts_fixture,
    form_data,
    sign_in,
    tariff_fixture,
)

HTMX_FORM = {"HX-Request": "true", "HX-Target": "revision-form"}
SAID_MONEY = "须为金额（元）：不小于 0 的数字，最多 4 位小数，如 7.50。"


def signed_in(app, accounts, role: str):
    client = app.test_client()
    sign_in(client, accounts[role])
    return client


def saved(app, revision_id: int) -> Revision:
    """The revision as stored now (read in its own app context)."""
    with app.app_context():
        revision = db.session.get(Revision, revision_id)
        db.session.expunge(revision)
        return revision


def edit_form(client, revision_id: int):
    response = client.get(f"/editor/revisions/{revision_id}/edit")
    assert response.status_code == 200
    return form_values(response.data, "revision-form")


def test_signing_in_with_the_right_password_goes_where_the_editor_was_heading(
    app, client, accounts
):
    with app.app_context():
        username = db.session.get(User, accounts["editor"]).username
    response = client.get("/editor/review")
    assert response.location.startswith("/editor/login?next=")
    response = client.post(
        "/editor/login",
        data={"username": username, "password": PASSWORD, "next": "/editor/review"},
    )
    assert (response.status_code, response.location) == (302, "/editor/review")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        assert (event.action, event.actor) == ("login", username)


@pytest.mark.parametrize(
    "target", ["//evil.example/editor", "/\\evil.example/editor", "/editor\n/x", "/search?q=x"]
)
def test_signing_in_never_sends_the_editor_to_another_site(app, client, accounts, target):
    with app.app_context():
        username = db.session.get(User, accounts["reviewer"]).username
    response = client.post(
        "/editor/login", data={"username": username, "password": PASSWORD, "next": target}
    )
    assert response.location == "/editor/"


def test_signing_in_goes_back_to_the_admin_page_that_asked_for_it(app, client, accounts):
    with app.app_context():
        username = db.session.get(User, accounts["admin"]).username
    response = client.get("/admin/devices/")
    assert response.location.startswith("/editor/login?next=")
    response = client.post(
        "/editor/login",
        data={"username": username, "password": PASSWORD, "next": "/admin/devices/"},
    )
    assert (response.status_code, response.location) == (302, "/admin/devices/")


def test_a_wrong_password_is_refused_then_slowed_down(app, accounts):
    with app.app_context():
        username = db.session.get(User, accounts["other_editor"]).username
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.31"  # this test's own address
    statuses = []
    for _attempt in range(6):
        response = client.post("/editor/login", data={"username": username, "password": "nope"})
        statuses.append(response.status_code)
        page = parse(response.data)
    assert statuses == [200, 200, 200, 200, 200, 429]
    assert "login-problem" in page.ids
    with app.app_context():
        db.session.execute(
            update(User).where(User.id == accounts["other_editor"]).values(failed_logins=0)
        )
        db.session.commit()


def test_every_form_post_needs_its_csrf_token(app, accounts):
    client = app.test_client(sends_csrf_token=False)
    with app.app_context():
        username = db.session.get(User, accounts["editor"]).username
    response = client.post("/editor/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 400
    token = form_values(client.get("/editor/login").data, "login-form")["csrf_token"]
    response = client.post(
        "/editor/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    assert client.post("/editor/logout").status_code == 400  # signed in, still no token
    dashboard = client.get(response.location)
    logout = {"csrf_token": form_values(dashboard.data, "editor-logout")["csrf_token"]}
    assert client.post("/editor/logout", data=logout).status_code == 302


def test_saving_the_form_stores_the_change(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = signed_in(app, accounts, "editor")
    form = edit_form(client, fresh.revision_id)
    form["fees[0].pricing.tiers[1].price"] = "7.50"
    form["change_summary"] = "第二阶梯水价调整为7.50元"
    response = client.post(f"/editor/revisions/{fresh.revision_id}/edit", data=form)
    assert response.status_code == 302
    revision = saved(app, fresh.revision_id)
    assert revision.content["fees"][0]["pricing"]["tiers"][1]["price"] == "7.50"
    assert (revision.version, revision.change_summary) == (2, "第二阶梯水价调整为7.50元")
    assert "已保存。" in parse(client.get(response.location).data).text


def test_row_tools_add_move_and_remove_rows_without_saving(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = signed_in(app, accounts, "editor")
    form = edit_form(client, fresh.revision_id)

    def after(op: str) -> dict:
        response = client.post(
            f"/editor/revisions/{fresh.revision_id}/rows", data=form | {"op": op}, headers=HTMX_FORM
        )
        assert response.status_code == 200 and b"<html" not in response.data
        return read_content(form_values(response.data, "revision-form"))

    tiers = after("add:fees[0].pricing.tiers")["fees"][0]["pricing"]["tiers"]
    assert len(tiers) == 4 and tiers[-1] == {"lower": "", "price": ""}
    first, second, third = fresh.content["fees"][0]["pricing"]["tiers"]
    moved = after("down:fees[0].pricing.tiers[0]")["fees"][0]["pricing"]["tiers"]
    assert [t["price"] for t in moved] == [second["price"], first["price"], third["price"]]
    removed = after("remove:fees[0].pricing.tiers[2]")["fees"][0]["pricing"]["tiers"]
    assert [t["price"] for t in removed] == [first["price"], second["price"]]
    assert saved(app, fresh.revision_id).version == fresh.version  # nothing was saved


def test_without_script_a_row_tool_returns_the_whole_page(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = signed_in(app, accounts, "editor")
    form = edit_form(client, fresh.revision_id) | {"op": "add:faq"}
    response = client.post(f"/editor/revisions/{fresh.revision_id}/rows", data=form)
    page = parse(response.data)
    assert response.status_code == 200 and page.title and not page.duplicate_ids
    assert "f-faq-0-question" in page.ids


def test_the_inline_check_names_the_field_with_the_problem(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = signed_in(app, accounts, "editor")
    form = edit_form(client, fresh.revision_id)
    url = f"/editor/revisions/{fresh.revision_id}/check"
    headers = {"HX-Request": "true", "HX-Target": "problems"}
    ready = parse(client.post(url, data=form, headers=headers).data)
    assert "可以提交审核" in ready.text
    # Sending is done from the version's page: the note links there.
    assert ready.by_id("to-submit")["href"] == f"/editor/revisions/{fresh.revision_id}"
    form["fees[0].pricing.tiers[1].lower"] = "200"
    response = client.post(url, data=form, headers=headers)
    problems = parse(response.data).find_all("div", id="problems")
    assert problems[0]["data-field"] == "fees[0].pricing.tiers[1].lower"
    assert b"<html" not in response.data
    assert b'href="#f-fees-0-pricing-tiers-1-lower"' in response.data
    # The same check as a page, for a browser without script.
    assert parse(client.post(url, data=form).data).title


def test_two_editors_saving_the_same_draft_get_a_conflict_and_lose_nothing(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    first, second = signed_in(app, accounts, "editor"), signed_in(app, accounts, "admin")
    form_one = edit_form(first, fresh.revision_id)
    form_two = edit_form(second, fresh.revision_id)
    url = f"/editor/revisions/{fresh.revision_id}/edit"

    form_one["summary"] = "第一位编辑改写的说明"
    assert first.post(url, data=form_one).status_code == 302

    form_two["name"] = "第二位编辑改的名称"
    form_two["change_summary"] = "改名称"
    conflict = second.post(url, data=form_two)
    assert conflict.status_code == 409
    page = parse(conflict.data)
    assert "conflict" in page.ids
    assert "第一位编辑改写的说明" in page.text and "第二位编辑改的名称" in page.text
    choices = form_values(conflict.data, "merge-form")
    # Each keeps what they changed: the other's summary, my name and change summary.
    assert (choices["take:summary"], choices["take:name"]) == ("theirs", "mine")
    assert choices["take:change_summary"] == "mine"

    merged = second.post(f"/editor/revisions/{fresh.revision_id}/merge", data=choices)
    assert merged.status_code == 200
    merged_form = form_values(merged.data, "revision-form")
    assert merged_form["version"] == "2"
    assert second.post(url, data=merged_form).status_code == 302

    revision = saved(app, fresh.revision_id)
    assert revision.content["summary"] == "第一位编辑改写的说明"
    assert revision.content["name"] == "第二位编辑改的名称"
    assert (revision.change_summary, revision.version) == ("改名称", 3)


def test_a_minor_change_to_a_fee_cannot_be_sent_for_review(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = signed_in(app, accounts, "editor")
    form = edit_form(client, fresh.revision_id)
    form["fees[0].pricing.tiers[1].price"] = "7.20"
    del form["is_major"]
    client.post(f"/editor/revisions/{fresh.revision_id}/edit", data=form)
    response = client.post(f"/editor/revisions/{fresh.revision_id}/submit", data={"version": "2"})
    assert response.status_code == 409
    assert "minor change cannot alter fees" in parse(response.data).text


def classes(page, tag: str) -> set[str]:
    return {c for element in page.find_all(tag) for c in element.get("class") or []}


def test_a_change_goes_from_draft_to_review_to_a_published_future_date(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    editor, reviewer = signed_in(app, accounts, "editor"), signed_in(app, accounts, "reviewer")
    revision_url = f"/editor/revisions/{fresh.revision_id}"
    form = edit_form(editor, fresh.revision_id)
    form["fees[0].pricing.tiers[2].price"] = "9.90"
    editor.post(f"{revision_url}/edit", data=form)
    assert editor.post(f"{revision_url}/submit", data={"version": "2"}).status_code == 302

    assert revision_url in parse(reviewer.get("/editor/review").data).links
    assert "is-fee" in classes(parse(reviewer.get(revision_url).data), "tr")
    review = form_values(reviewer.get(revision_url).data, "review-form") | {"comment": "同意"}
    assert reviewer.post(f"{revision_url}/approve", data=review).status_code == 302
    on = (today() + timedelta(days=30)).isoformat()
    assert reviewer.post(f"{revision_url}/publish", data={"effective_from": on}).status_code == 302

    kiosk = parse(app.test_client().get(fresh.kiosk_url).data)
    assert "upcoming-heading" in kiosk.ids and "¥9.90" in kiosk.text
    assert saved(app, fresh.revision_id).status == RevisionStatus.PUBLISHED


def test_publishing_in_the_past_is_refused_on_the_page(app, accounts, tariff):
    fresh = tariff(RevisionStatus.APPROVED)
    yesterday = (today() - timedelta(days=1)).isoformat()
    response = signed_in(app, accounts, "reviewer").post(
        f"/editor/revisions/{fresh.revision_id}/publish", data={"effective_from": yesterday}
    )
    assert response.status_code == 409 and "problem" in parse(response.data).ids


def test_the_preview_shows_the_draft_as_the_kiosk_would(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = signed_in(app, accounts, "reviewer")
    page = parse(client.get(f"/editor/revisions/{fresh.revision_id}/preview").data)
    assert "preview-banner" in page.ids and "fees-heading" in page.ids
    assert "fee-1-tiers" in page.ids


@pytest.mark.parametrize("role", ["other_editor", "reviewer"])
def test_a_forbidden_page_says_so_in_words(app, accounts, tariff, role):
    fresh = tariff(None)
    response = signed_in(app, accounts, role).post(f"/editor/items/{fresh.item_id}/drafts")
    page = parse(response.data)
    assert response.status_code == 403 and "forbidden" in page.ids and page.title


def test_users_and_audit_from_the_command_line(app, accounts):
    runner = app.test_cli_runner()
    with app.app_context():
        slug = db.session.get(User, accounts["editor"]).utility.slug
    name = unique("cli")
    result = runner.invoke(
        args=["users", "create", name, "--role", "editor", "--utility", slug],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    try:
        assert result.exit_code == 0, result.output
        assert f"created editor {name} of {slug}" in result.output
        refused = runner.invoke(
            args=["users", "create", name + "x", "--role", "editor"],
            input=f"{PASSWORD}\n{PASSWORD}\n",
        )
        assert refused.exit_code != 0 and "utility" in refused.output
        verified = runner.invoke(args=["audit", "verify"])
        assert verified.exit_code == 0 and "audit chain OK" in verified.output
    finally:
        with app.app_context():
            db.session.execute(delete(User).where(User.username == name))
            db.session.commit()


def test_audit_verify_exits_non_zero_when_a_row_was_tampered_with(app):
    runner = app.test_cli_runner()
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
        event_id, original = event.id, event.actor
        db.session.execute(
            update(AuditEvent).where(AuditEvent.id == event_id).values(actor="someone else")
        )
        db.session.commit()
    try:
        result = runner.invoke(args=["audit", "verify"])
        assert result.exit_code == 1
        assert f"altered: event {event_id}" in result.output
    finally:
        with app.app_context():
            db.session.execute(
                update(AuditEvent).where(AuditEvent.id == event_id).values(actor=original)
            )
            db.session.commit()
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_the_daily_settle_command_marks_a_replaced_revision_superseded(
    app, accounts, tariff, monkeypatch
):
    fresh = tariff(RevisionStatus.APPROVED)
    starts = today() + timedelta(days=3)
    with app.app_context():
        revision = db.session.get(Revision, fresh.revision_id)
        revision.content = revision.content | {"summary": "新的说明"}
        revisions.publish(revision, db.session.get(User, accounts["reviewer"]), starts)
        db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["revisions", "settle"]).exit_code == 0
    assert saved(app, fresh.published_id).status == RevisionStatus.PUBLISHED  # not yet due
    monkeypatch.setenv("GONGSHI_FAKE_NOW", f"{starts.isoformat()}T00:05:00")
    result = runner.invoke(args=["revisions", "settle"])
    assert result.exit_code == 0 and "superseded 1 revision(s)" in result.output
    old = saved(app, fresh.published_id)
    assert (old.status, old.effective_to) == (RevisionStatus.SUPERSEDED, starts - timedelta(days=1))


def sheet_of(app, item_id: int, fmt: str = "csv") -> bytes:
    with app.app_context():
        return export_fee_sheet(fmt, db.session.get(Item, item_id).utility)


def upload(client, data: bytes, name: str = "fees.csv", **fields):
    return client.post("/editor/fees/import", data={"sheet": (io.BytesIO(data), name), **fields})


def test_an_imported_sheet_becomes_a_draft_and_nothing_more(app, accounts, tariff):
    fresh = tariff(None)
    client = signed_in(app, accounts, "editor")
    sheet = sheet_of(app, fresh.item_id).replace(b",7.00,", b",7.30,")
    assert b",7.30," in sheet
    response = upload(client, sheet)
    assert (response.status_code, response.location) == (302, "/editor/")
    with app.app_context():
        draft = db.session.scalar(
            select(Revision).where(Revision.item_id == fresh.item_id, Revision.number == 2)
        )
        assert draft.status == RevisionStatus.DRAFT
        assert draft.content["fees"][0]["pricing"]["tiers"][1]["price"] == "7.30"
    assert "¥7.30" not in parse(app.test_client().get(fresh.kiosk_url).data).text


def test_a_sheet_with_a_mistake_names_its_row_and_column_and_changes_nothing(app, accounts, tariff):
    fresh = tariff(None)
    client = signed_in(app, accounts, "editor")
    sheet = sheet_of(app, fresh.item_id).replace(b",7.00,", b",-7.00,")
    response = upload(client, sheet)
    assert response.status_code == 422
    page = parse(response.data)
    assert "import-errors" in page.ids and "-7.00" in page.text
    with app.app_context():
        assert len(db.session.get(Item, fresh.item_id).revisions) == 1


def test_checking_a_sheet_only_shows_what_it_would_change(app, accounts, tariff):
    fresh = tariff(None)
    client = signed_in(app, accounts, "admin")
    response = upload(client, sheet_of(app, fresh.item_id), check_only="y")
    page = parse(response.data)
    assert response.status_code == 200 and "import-plan" in page.ids
    with app.app_context():
        assert len(db.session.get(Item, fresh.item_id).revisions) == 1


def test_the_blank_template_downloads_as_a_workbook(app, accounts):
    response = signed_in(app, accounts, "reviewer").get("/editor/fees/template.xlsx")
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.data[:2] == b"PK" and "attachment" in response.headers["Content-Disposition"]


def test_an_expired_session_sends_htmx_to_the_sign_in_page_rather_than_into_a_panel(app, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    response = app.test_client().post(
        f"/editor/revisions/{fresh.revision_id}/check",
        headers={"HX-Request": "true", "HX-Target": "problems"},
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/editor/login?next=")


def test_the_changes_name_a_cited_document_by_its_number_not_its_code(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    with app.app_context():
        from tests.factories import make_legal_basis

        code = make_legal_basis(doc_number="澄价〔2026〕9号").code
        revision = db.session.get(Revision, fresh.revision_id)
        content = dict(revision.content)
        content["fees"] = [dict(content["fees"][0], basis=[{"code": code}])]
        revision.content = content
        db.session.commit()
    client = signed_in(app, accounts, "editor")
    page = parse(client.get(f"/editor/revisions/{fresh.revision_id}").data)
    changes = page.text_of("revision-changes")
    assert "澄价〔2026〕9号" in changes
    assert code not in changes and "test-price-doc" not in changes


@pytest.mark.parametrize(
    ("field", "value", "said"),
    [
        (
            "fees[0].pricing.tiers[1].price",
            "-5",
            "须为金额（元）：不小于 0 的数字",
        ),
        ("name", "", "此项必填。"),
        ("change_summary", "", "请用一句话说明改了什么"),
    ],
)
def test_a_problem_is_worded_for_the_editor_not_in_the_checkers_terms(
    app, accounts, tariff, field, value, said
):
    fresh = tariff(RevisionStatus.DRAFT)
    client = signed_in(app, accounts, "editor")
    form = edit_form(client, fresh.revision_id)
    form[field] = value
    url = f"/editor/revisions/{fresh.revision_id}/check"
    headers = {"HX-Request": "true", "HX-Target": "problems"}
    problems = parse(client.post(url, data=form, headers=headers).data)
    shown = problems.by_id("problems")
    assert shown["data-field"] == field
    assert said in shown.get_text() and "does not match" not in shown.get_text()
    assert "non-empty" not in shown.get_text() and "describe the change" not in shown.get_text()


def test_saving_a_draft_not_yet_fit_for_review_says_so(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = signed_in(app, accounts, "editor")
    form = edit_form(client, fresh.revision_id)
    form["name"] = ""
    response = client.post(f"/editor/revisions/{fresh.revision_id}/edit", data=form)
    page = parse(client.get(response.location).data)
    assert "提交审核前还需按下方提示修改" in page.text and "已保存。" not in page.text
    assert page.by_id("problems")["data-field"] == "name"


def test_every_field_the_schema_refuses_is_shown_at_once(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT)
    client = signed_in(app, accounts, "editor")
    form = edit_form(client, fresh.revision_id)
    form["name"] = ""
    form["fees[0].pricing.tiers[1].price"] = "-5"
    response = client.post(f"/editor/revisions/{fresh.revision_id}/edit", data=form)
    page = parse(client.get(response.location).data)
    listed = [a["href"] for a in page.select("#problems .problem-list a")]
    assert listed == ["#f-name", "#f-fees-0-pricing-tiers-1-price"]
    marked = page.select(".has-problem .field-problem")
    assert {p.get_text() for p in marked} == {"此项必填。", SAID_MONEY}
