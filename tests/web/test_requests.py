"""Information requests (依申请公开) on the kiosk and phones, in the editor, in the annual
report, its exports and API, and the purge of applicants' contacts."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
from sqlalchemy import delete, select

from kiosk.extensions import limiter
from services.calendar import working_days as calendar
from services.clock import city_zone
from services.db import db
from services.models import AuditEvent, Holiday, Role, Setting
from services.requests import handling
from services.requests.models import InfoRequest, InfoRequestContact, Outcome, Requester
from tests.factories import committed, make_info_request, make_user, make_utility
from tests.html import parse
from tests.web.editor_pages import sign_in

TUESDAY = datetime(2026, 9, 15, 10, 0, tzinfo=city_zone())
NAME, CONTACT = "李四光", "13912345678"


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def seeded(app):
    """The official 2026 calendar, committed and removed after the test."""
    with app.app_context():
        calendar.seed_holidays(first_year=2026)
        db.session.commit()
    yield
    with app.app_context():
        db.session.execute(delete(Holiday))
        db.session.execute(delete(Setting).where(Setting.key == calendar.KNOWN_UNTIL_KEY))
        db.session.commit()


@pytest.fixture
def tuesday(monkeypatch, seeded):
    monkeypatch.setenv("GONGSHI_FAKE_NOW", TUESDAY.isoformat())


@pytest.fixture
def utility(app) -> str:
    return committed(app, lambda: make_utility().slug)


def form(utility: str, **overrides) -> dict:
    fields = {
        "utility": utility,
        "requester": "person",
        "name": NAME,
        "contact": CONTACT,
        "description": "2025年供水成本监审报告",
        "reply_form": "electronic",
    }
    fields.update(overrides)
    return fields


def file(client, utility: str, **overrides) -> str:
    """File a request through the form; returns the receipt's address."""
    response = client.post("/requests/new", data=form(utility, **overrides))
    assert response.status_code == 302, response.data[:2000]
    return response.location


def test_the_utility_page_links_to_the_guide_which_names_the_deadline(client, utility):
    page = parse(client.get(f"/u/{utility}", query_string={"lang": "zh_Hans"}).data)
    guide_url = page.by_id("request-guide-link")["href"]
    guide = parse(client.get(guide_url).data)
    assert "20" in guide.text_of("request-deadline") and "第三十三条" in guide.text
    assert "/requests/new?utility=" in guide.by_id("request-new-link")["href"]
    home = parse(client.get("/").data)
    assert home.by_id("ask-link")["href"] == "/requests/new"


def test_a_resident_files_a_request_and_looks_it_up_without_anything_personal(
    app, client, utility, tuesday
):
    new = parse(client.get("/requests/new", query_string={"utility": utility}).data)
    assert new.by_id("request-form") is not None
    assert len(new.select("[data-keyboard-follows-focus]")) == 1  # one keyboard, for every field
    receipt_url = file(client, utility)
    receipt = parse(client.get(receipt_url).data)
    number = receipt.text_of("tracking-number")
    assert len(number) == 14 and number.count("-") == 2
    lookup = client.get(f"/requests/{number.lower()}", query_string={"lang": "zh_Hans"})
    assert lookup.status_code == 200 and "no-store" in lookup.headers["Cache-Control"]
    page = parse(lookup.data)
    text = page.text
    assert NAME not in text and CONTACT not in text
    assert "收到申请" in page.text_of("request-status")
    # Received on Tuesday 15 September 2026; 20 working days run past National Day.
    assert "2026年10月19日" in page.text_of("request-due")
    with app.app_context():
        filed = db.session.scalar(select(InfoRequest))
        assert db.session.get(InfoRequestContact, filed.id).name == NAME
    found = client.get("/requests", query_string={"number": number.replace("-", " ")})
    assert found.status_code == 302 and found.location.endswith(f"/requests/{number}")


def test_unknown_numbers_and_bad_input(client, utility):
    assert client.get("/requests/AAAA-BBBB-CCCC").status_code == 404
    assert client.get("/requests/AAAA-BBBB-CCCC/receipt.pdf").status_code == 404
    missing = client.get("/requests", query_string={"number": "AAAA-BBBB-CCCC"})
    assert missing.status_code == 404 and parse(missing.data).by_id("request-not-found")
    control = client.post("/requests/new", data=form(utility, description="信息\x07"))
    assert control.status_code == 422
    assert parse(control.data).by_id("request-problem") is not None
    empty = client.post("/requests/new", data=form(utility, name=""))
    assert empty.status_code == 400


def test_bursts_from_one_address_are_throttled(app, utility):
    app.config["REQUEST_RATE_LIMIT"] = "2 per minute"
    try:
        answers = [
            app.test_client().post("/requests/new", data=form(utility)).status_code
            for _ in range(3)
        ]
    finally:
        app.config["REQUEST_RATE_LIMIT"] = "5 per minute;20 per hour"
    assert answers == [302, 302, 429]


def test_the_receipt_prints_with_a_qr_code_to_the_lookup(app, client, utility, tuesday):
    from tests.services.test_notices import first_page_image, pdf_text, read_qr

    receipt = parse(client.get(file(client, utility)).data)
    number = receipt.text_of("tracking-number")
    pdf_url = receipt.by_id("receipt-print")["href"]
    response = client.get(pdf_url, query_string={"lang": "zh_Hans"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert read_qr(first_page_image(response.data)).text == (
        f"{base}/requests/{number}?lang=zh_Hans"
    )
    text = pdf_text(response.data)
    assert number in text and NAME not in text and CONTACT not in text
    assert "2026年10月19日" in text


def staff_and_request(app, **fields) -> dict:
    """A request filed on TUESDAY to a new utility, with its staff, a reviewer, an other
    utility's editor and an admin; committed."""

    def make():
        filed = make_info_request(now=TUESDAY, name=NAME, contact=CONTACT, **fields)
        return {
            "id": filed.id,
            "number": handling.grouped(filed.tracking),
            "utility": filed.utility.slug,
            "staff": make_user(Role.EDITOR, filed.utility).id,
            "other": make_user(Role.EDITOR, make_utility()).id,
            "reviewer": make_user(Role.REVIEWER).id,
            "admin": make_user(Role.ADMIN).id,
        }

    return committed(app, make)


def version_of(app, request_id: int) -> int:
    with app.app_context():
        return db.session.get(InfoRequest, request_id).version


def step(client, app, made: dict, name: str, **data):
    data.setdefault("version", version_of(app, made["id"]))
    return client.post(f"/editor/requests/{made['id']}/{name}", data=data)


def at(monkeypatch, day: str) -> None:
    moment = datetime.fromisoformat(day + "T10:00").replace(tzinfo=city_zone())
    monkeypatch.setenv("GONGSHI_FAKE_NOW", moment.isoformat())


def test_staff_stop_the_clock_extend_once_and_close_and_the_lookup_follows(
    app, client, tuesday, monkeypatch
):
    made = staff_and_request(app)
    sign_in(client, made["staff"])
    detail = parse(client.get(f"/editor/requests/{made['id']}").data)
    assert NAME in detail.text_of("request-contact")
    assert step(client, app, made, "acknowledge").status_code == 302
    at(monkeypatch, "2026-09-18")
    assert step(client, app, made, "clarify", text="请说明年份").status_code == 302
    public = parse(client.get(f"/requests/{made['number']}", query_string={"lang": "zh_Hans"}).data)
    assert public.by_id("request-stopped") is not None and "请说明年份" in public.text
    at(monkeypatch, "2026-09-24")
    assert step(client, app, made, "answer", text="2025年").status_code == 302
    at(monkeypatch, "2026-10-20")
    stale = step(client, app, made, "extend", text="需调取档案", version=1)
    assert stale.status_code == 409 and parse(stale.data).by_id("request-problem")
    assert step(client, app, made, "extend", text="需调取档案").status_code == 302
    again = step(client, app, made, "extend", text="再延长")
    assert again.status_code == 409
    public = parse(client.get(f"/requests/{made['number']}", query_string={"lang": "zh_Hans"}).data)
    assert "2026年11月23日" in public.text_of("request-due")
    history = public.text_of("request-history")
    assert "2026年10月19日" in history and "2026年10月26日" in history
    assert "需调取档案" in public.text_of("request-extended")
    refused = step(client, app, made, "close", outcome="refused", text="")
    assert refused.status_code == 422
    assert step(client, app, made, "reply", text="相关数据见附表").status_code == 302
    assert (
        step(client, app, made, "close", outcome="partly", text="部分涉及商业秘密").status_code
        == 302
    )
    public = parse(client.get(f"/requests/{made['number']}", query_string={"lang": "zh_Hans"}).data)
    assert "相关数据见附表" in public.text_of("request-reply")
    assert "部分公开" in public.text_of("request-outcome")
    assert NAME not in public.text and CONTACT not in public.text
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "info_request")
        ).all()
    for action in ("acknowledged", "clarification_asked", "extended", "replied", "closed"):
        assert f"request.{action}" in actions
    assert "request.contact_read" in actions


def test_reviewers_read_without_the_contact_and_others_are_refused(app, client):
    made = staff_and_request(app)
    sign_in(client, made["reviewer"])
    page = client.get(f"/editor/requests/{made['id']}")
    assert page.status_code == 200 and NAME not in page.get_data(as_text=True)
    assert step(client, app, made, "acknowledge").status_code == 403
    sign_in(client, made["other"])
    assert client.get(f"/editor/requests/{made['id']}").status_code == 403
    sign_in(client, made["admin"])
    assert NAME in client.get(f"/editor/requests/{made['id']}").get_data(as_text=True)


def test_the_list_flags_overdue_and_due_soon(app, client, seeded, monkeypatch):
    def make():
        utility = make_utility()
        late = make_info_request(utility, now=TUESDAY)
        soon = make_info_request(utility, now=datetime(2026, 9, 28, 9, 0, tzinfo=city_zone()))
        later = make_info_request(utility, now=datetime(2026, 10, 30, 9, 0, tzinfo=city_zone()))
        staff = make_user(Role.EDITOR, utility)
        return late.id, soon.id, later.id, staff.id

    late, soon, later, staff = committed(app, make)
    # 27 October: the first was due on 19 October, the second is due on 30 October.
    at(monkeypatch, "2026-10-27")
    sign_in(client, staff)
    page = parse(client.get("/editor/requests").data)
    rows = [row["id"] for row in page.select("#requests tbody tr")]
    assert rows == [f"request-{late}", f"request-{soon}", f"request-{later}"]
    assert "overdue" in page.by_id(f"request-{late}")["class"]
    assert "due-soon" in page.by_id(f"request-{soon}")["class"]
    assert not page.by_id(f"request-{later}").get("class")


def test_the_annual_report_page_exports_and_api_count_without_personal_data(app, client):
    def make():
        utility = make_utility()
        staff = make_user(Role.EDITOR, utility)
        old = make_info_request(utility, now=datetime(2025, 12, 10, 9, 0, tzinfo=city_zone()))
        on_time = make_info_request(utility, now=TUESDAY, name="=HYPERLINK(1)")
        late = make_info_request(utility, now=TUESDAY, requester=Requester.ORGANISATION)
        make_info_request(utility, now=datetime(2026, 12, 20, 9, 0, tzinfo=city_zone()))
        handling.close(old, staff, Outcome.DISCLOSED, "", date(2026, 1, 5))
        handling.close(on_time, staff, Outcome.NOT_EXIST, "", date(2026, 9, 20))
        handling.close(late, staff, Outcome.REFUSED, "商业秘密", date(2026, 12, 1))
        return utility.slug

    slug = committed(app, make)
    page = parse(
        client.get(
            f"/u/{slug}/requests/report", query_string={"year": 2026, "lang": "zh_Hans"}
        ).data
    )
    assert page.text_of("report-carried-in") == "1"
    assert page.text_of("report-received") == "3"
    assert page.text_of("report-answered") == "3"
    assert page.text_of("report-refused") == "1"
    assert page.text_of("report-on-time") == "2"
    assert page.text_of("report-carried-over") == "1"
    assert client.get(f"/u/{slug}/requests/report", query_string={"year": "x"}).status_code == 404
    api = client.get("/api/v1/requests/report", query_string={"utility": slug, "year": 2026})
    (row,) = api.get_json()["data"]["utilities"]
    assert row["received"] == 3 and row["outcome_not_exist"] == 1 and row["carried_over"] == 1
    assert client.get("/api/v1/requests/report", query_string={"year": "1999"}).status_code == 400
    csv = client.get("/api/v1/exports/requests-report.csv", query_string={"utility": slug})
    text = csv.get_data(as_text=True)
    assert "received" in text and "HYPERLINK" not in text and NAME not in text
    xlsx = client.get("/api/v1/exports/requests-report.xlsx", query_string={"utility": slug})
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_purge_command_deletes_contacts_past_their_retention(app, monkeypatch):
    def make():
        filed = make_info_request(now=TUESDAY)
        handling.close(filed, make_user(Role.ADMIN), Outcome.DISCLOSED, "", date(2026, 1, 5))
        return filed.id

    request_id = committed(app, make)
    runner = app.test_cli_runner()
    at(monkeypatch, "2026-05-01")
    kept = runner.invoke(args=["requests", "purge"])
    assert kept.exit_code == 0 and "(kept 180 days)" in kept.output
    with app.app_context():
        assert db.session.get(InfoRequestContact, request_id) is not None
    at(monkeypatch, "2026-09-30")
    purged = runner.invoke(args=["requests", "purge"])
    assert purged.exit_code == 0 and "Deleted the names and contacts of" in purged.output
    with app.app_context():
        assert db.session.get(InfoRequestContact, request_id) is None
        assert db.session.get(InfoRequest, request_id).contact_purged_at is not None


def test_a_utility_sets_its_own_limits_from_the_command_line(app, client, utility):
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["requests", "limits", utility, "0", "20"])
    assert refused.exit_code != 0 and "1 to 60" in refused.output
    done = runner.invoke(args=["requests", "limits", utility, "15", "10"])
    assert done.exit_code == 0
    guide = parse(client.get(f"/u/{utility}/requests", query_string={"lang": "en"}).data)
    assert "Within 15 working days" in guide.text_of("request-deadline")
    assert "at most 10 working days" in guide.text_of("request-deadline")


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_files_go_with_the_reply_and_only_the_number_holder_downloads_them(app, client, tuesday):
    made = staff_and_request(app)
    sign_in(client, made["staff"])
    refused = client.post(
        f"/editor/requests/{made['id']}/reply",
        data={
            "version": version_of(app, made["id"]),
            "text": "见附件",
            "files": [(BytesIO(PDF), "附表.pdf"), (BytesIO(b"MZ\x90\x00"), "setup.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert "setup.pdf" in parse(refused.data).text_of("request-problem")
    with app.app_context():
        assert db.session.get(InfoRequest, made["id"]).reply_text == ""  # nothing half-done

    sent = client.post(
        f"/editor/requests/{made['id']}/reply",
        data={
            "version": version_of(app, made["id"]),
            "text": "见附件",
            "files": [(BytesIO(PDF), "../2025 管网漏损.pdf"), (BytesIO(PNG), "照片.jpeg")],
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    public = parse(client.get(f"/requests/{made['number']}").data)
    links = public.by_id("reply-files").find_all("a")
    assert [a.text for a in links] == ["2025 管网漏损.pdf", "照片.png"]
    download = client.get(links[0]["href"])
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    assert "no-store" in download.headers["Cache-Control"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    other = staff_and_request(app)
    stray = links[0]["href"].replace(made["number"].replace("-", ""), other["number"])
    assert client.get(stray).status_code == 404
    own = client.get(f"/editor/requests/{made['id']}")
    editor_link = parse(own.data).by_id("reply-files").find("a")["href"]
    assert client.get(editor_link).data == PDF
    sign_in(client, made["other"])
    assert client.get(editor_link).status_code == 403
    with app.app_context():
        audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "request.files"))
        assert [f["name"] for f in audit.after["files"]] == ["2025 管网漏损.pdf", "照片.png"]


def test_the_provider_list_is_in_the_readers_language(app, client):
    english = {"en": {"name": "Chengzhou Test Water Co.", "short_name": "Test Water"}}
    slug = committed(app, lambda: make_utility(translations=english).slug)
    page = parse(client.get("/requests/new", query_string={"lang": "en"}).data)
    option = page.soup.select_one(f"#utility option[value={slug}]")
    assert option.get_text() == "Chengzhou Test Water Co."
