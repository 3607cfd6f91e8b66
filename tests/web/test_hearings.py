"""Price hearings on the kiosk and phones, in the editor, on the board, in the feed and API."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from services.clock import city_zone
from services.db import db
from services.hearings import comments, publishing
from services.models import Hearing, HearingComment, Item, ItemKind, Role
from tests.factories import make_hall, make_hearing, make_item, make_revision, make_user
from tests.html import parse
from tests.web.editor_pages import sign_in

MONDAY = datetime(2031, 3, 3, 10, 0, tzinfo=city_zone())
ATOM = "{http://www.w3.org/2005/Atom}"


def at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setenv("GONGSHI_FAKE_NOW", moment.isoformat())


@pytest.fixture
def monday(monkeypatch):
    at(monkeypatch, MONDAY)


def announce(app, **fields) -> dict:
    """A hearing announced on MONDAY on a new utility's water tariff; committed."""
    with app.app_context():
        item = make_item(kind=ItemKind.TARIFF)
        make_revision(item)
        hearing = make_hearing(item, now=MONDAY, **fields)
        db.session.commit()
        return {"id": hearing.id, "item": item.id, "utility": item.utility_id}


def test_the_announcement_shows_both_tariffs_and_typical_bills(app, client, monday):
    made = announce(app)
    page = parse(client.get(f"/hearings/{made['id']}", query_string={"lang": "zh_Hans"}).data)
    assert "¥5.00" in page.text_of("tariff-current") and "¥5.50" in page.text_of("tariff-draft")
    assert page.by_id("now-fee-chart") is not None and page.by_id("draft-fee-chart") is not None
    bills = page.text_of("bill-comparison")
    assert "180 立方米" in bills and "¥900.00" in bills and "¥990.00" in bills and "+10" in bills
    assert "价格法" in page.text and "澄州市民中心三楼会议室" in page.text
    assert page.by_id("comment-form") is not None


def test_a_resident_comments_and_only_the_utilitys_staff_see_the_contact(app, client, monday):
    made = announce(app)
    response = client.post(
        f"/hearings/{made['id']}/comments",
        data={"body": "建议分两年调整", "name": "赵六", "contact": "13700000000"},
    )
    assert response.status_code == 302
    thanks = parse(client.get(response.location).data)
    assert thanks.by_id("thanks") is not None
    assert "13700000000" not in thanks.text
    with app.app_context():
        from services.models import Utility

        utility = db.session.get(Utility, made["utility"])
        own, other = make_user(Role.EDITOR, utility), make_user(Role.EDITOR)
        reviewer = make_user(Role.REVIEWER)
        db.session.commit()
        ids = {"own": own.id, "other": other.id, "reviewer": reviewer.id}
    staff = app.test_client()
    sign_in(staff, ids["own"])
    assert "13700000000" in parse(staff.get(f"/editor/hearings/{made['id']}").data).text
    looker = app.test_client()
    sign_in(looker, ids["reviewer"])
    page = looker.get(f"/editor/hearings/{made['id']}")
    assert page.status_code == 200 and "13700000000" not in page.get_data(as_text=True)
    outsider = app.test_client()
    sign_in(outsider, ids["other"])
    assert outsider.get(f"/editor/hearings/{made['id']}").status_code == 403
    for public in (f"/api/v1/hearings/{made['id']}", "/hearings.atom", "/api/v1/hearings"):
        assert "13700000000" not in client.get(public).get_data(as_text=True)


def test_a_comment_outside_the_window_is_refused_with_a_message(app, client, monkeypatch):
    at(monkeypatch, MONDAY)
    made = announce(app)
    at(monkeypatch, MONDAY + timedelta(days=15))
    page = client.get(f"/hearings/{made['id']}")
    assert parse(page.data).by_id("comment-form") is None
    response = client.post(f"/hearings/{made['id']}/comments", data={"body": "迟到"})
    assert response.status_code == 422
    assert "只在征求意见期间接收意见" in parse(response.data).text_of("problem")


def test_comments_from_one_place_are_throttled(app, client, monday, monkeypatch):
    made = announce(app)
    monkeypatch.setitem(app.config, "HEARING_COMMENTS_PER_HOUR", 2)
    url = f"/hearings/{made['id']}/comments"
    kiosk = {"User-Agent": "hall kiosk 7"}
    for n in range(2):
        assert client.post(url, data={"body": f"意见{n}"}, headers=kiosk).status_code == 302
    refused = client.post(url, data={"body": "第三条"}, headers=kiosk)
    assert refused.status_code == 429
    assert "一小时内从此处提交的意见过多" in parse(refused.data).text_of("problem")
    phone = {"User-Agent": "a phone"}
    assert client.post(url, data={"body": "另一部手机"}, headers=phone).status_code == 302


def test_the_editor_publishes_the_summary_after_the_window(app, client, monkeypatch):
    at(monkeypatch, MONDAY)
    made = announce(app)
    client.post(f"/hearings/{made['id']}/comments", data={"body": "请照顾低收入家庭"})
    with app.app_context():
        from services.models import Utility

        editor = make_user(Role.EDITOR, db.session.get(Utility, made["utility"])).id
        db.session.commit()
    sign_in(client, editor)
    summary = {"points": "多数意见关注低收入家庭", "accepted": "低保户每月免费5立方米"}
    early = client.post(f"/editor/hearings/{made['id']}/summary", data=summary | {"version": "1"})
    assert early.status_code == 422
    at(monkeypatch, MONDAY + timedelta(days=15))
    done = client.post(f"/editor/hearings/{made['id']}/summary", data=summary | {"version": "1"})
    assert done.status_code == 302
    public = parse(client.get(f"/hearings/{made['id']}").data)
    assert "共收到 1 条意见" in public.text_of("summary-count")
    assert "低保户每月免费5立方米" in public.text_of("hearing-summary")
    api = client.get(f"/api/v1/hearings/{made['id']}").json["data"]
    assert api["stage"] == "concluded" and api["summary"]["comments"] == 1


def test_the_later_tariff_revision_links_back_to_its_hearing(app, client, monkeypatch):
    at(monkeypatch, MONDAY)
    made = announce(app)
    later = MONDAY + timedelta(days=15)
    with app.app_context():
        hearing = db.session.get(Hearing, made["id"])
        publishing.publish_summary(hearing, "要点", "", "", "ed", later, hearing.version)
        item = db.session.get(Item, made["item"])
        revision = make_revision(item, effective_from=(MONDAY + timedelta(days=30)).date())
        db.session.commit()
        url, revision_id = f"/u/{item.utility.slug}/{item.slug}", revision.id
    at(monkeypatch, MONDAY + timedelta(days=31))
    page = parse(client.get(f"/r/{revision_id}").data)
    link = page.by_id(f"hearing-link-{made['id']}")
    assert link is not None and link.a["href"] == f"/hearings/{made['id']}"
    assert parse(client.get(url).data).by_id(f"hearing-link-{made['id']}") is not None


def test_the_list_feed_board_and_api_carry_upcoming_hearings(app, client, monday):
    made = announce(app)
    listing = parse(client.get("/hearings").data)
    assert listing.by_id(f"hearing-{made['id']}") is not None
    feed = ElementTree.fromstring(client.get("/hearings.atom").data)
    ids = [e.find(f"{ATOM}id").text for e in feed.iter(f"{ATOM}entry")]
    assert any(i.endswith(f"/hearings/{made['id']}") for i in ids)
    rows = client.get("/api/v1/hearings").json["data"]
    row = next(r for r in rows if r["id"] == made["id"])
    assert row["stage"] == "open" and row["draft_tiers"][0]["price"] == "5.50"
    assert client.get("/api/v1/hearings/999999").status_code == 404
    with app.app_context():
        from services.models import Utility

        hall = make_hall([db.session.get(Utility, made["utility"])])
        db.session.commit()
        slug = hall.slug
    board = parse(client.get(f"/board/{slug}").data)
    assert board.by_id(f"board-hearing-{made['id']}") is not None


def test_the_editor_announces_a_hearing_from_the_tiers_in_force(app, client, monday):
    with app.app_context():
        item = make_item(kind=ItemKind.TARIFF)
        make_revision(item)
        editor = make_user(Role.EDITOR, item.utility).id
        db.session.commit()
        item_id = item.id
    sign_in(client, editor)
    form_page = parse(client.get(f"/editor/hearings/new?item={item_id}").data)
    assert form_page.by_id("draft_tiers").text.strip().splitlines()[0] == "0-180 5.00"
    data = {
        "kind": "consultation",
        "title": "阶梯水价调整征求意见",
        "draft_tiers": "0-180 5.20\n180-260 7.30\n260- 9.40",
        "comments_open_at": "2031-03-03T10:00",
        "comments_close_at": "2031-03-20T17:00",
    }
    bad = client.post(f"/editor/hearings/new?item={item_id}", data=data | {"draft_tiers": "x"})
    assert bad.status_code == 422 and "第 1 行" in parse(bad.data).text_of("problem")
    done = client.post(f"/editor/hearings/new?item={item_id}", data=data)
    assert done.status_code == 302
    with app.app_context():
        hearing = db.session.scalar(select(Hearing).where(Hearing.item_id == item_id))
        assert hearing.draft_content["fees"][0]["pricing"]["tiers"][2]["price"] == "9.40"


def test_the_purge_command_erases_contacts_past_their_retention(app, monkeypatch):
    at(monkeypatch, MONDAY)
    made = announce(app)
    with app.app_context():
        hearing = db.session.get(Hearing, made["id"])
        comments.add_comment(hearing, "意见", "钱七", "13500000000", "src-purge", MONDAY, 10)
        db.session.commit()
    runner = app.test_cli_runner()
    kept = runner.invoke(args=["hearings", "purge-contacts"])
    assert kept.exit_code == 0 and "of 0 comments" in kept.output
    at(monkeypatch, MONDAY + timedelta(days=14 + 181))
    purged = runner.invoke(args=["hearings", "purge-contacts"])
    assert purged.exit_code == 0 and "Purged the contact details of" in purged.output
    with app.app_context():
        comment = db.session.scalar(
            select(HearingComment).where(HearingComment.source_hash == "src-purge")
        )
        assert (comment.name, comment.contact) == ("", "")


def test_traditional_readers_get_the_announcement_converted(app, client, monday):
    made = announce(app)
    page = parse(client.get(f"/hearings/{made['id']}", query_string={"lang": "zh_Hant"}).data)
    assert "居民生活用水價格調整聽證會" in page.text and "自動轉換" in page.text
    english = parse(client.get(f"/hearings/{made['id']}", query_string={"lang": "en"}).data)
    assert english.find_all("h1", lang="zh-Hans")


def test_the_start_screen_leads_to_the_hearings(client):
    page = parse(client.get("/").data)
    assert page.by_id("hearings-link")["href"] == "/hearings"


def test_a_resident_signs_up_to_attend_and_only_the_utilitys_staff_see_who(app, client, monday):
    made = announce(app, signup_places=20)
    page = parse(client.get(f"/hearings/{made['id']}", query_string={"lang": "zh_Hans"}).data)
    assert page.text_of("signup-until") == "2031年3月10日 10:00" and "20" in page.text
    refused = client.post(
        f"/hearings/{made['id']}/signups",
        data={"signup_role": "participant", "signup_name": "", "signup_contact": ""},
    )
    assert refused.status_code == 400
    response = client.post(
        f"/hearings/{made['id']}/signups",
        data={
            "signup_role": "observer",
            "signup_name": "吴十",
            "signup_contact": "13800000001",
            "signup_represents": "三元里社区",
        },
    )
    assert response.status_code == 302 and response.location.endswith("signed=1#signed")
    after = parse(client.get(response.location).data)
    assert after.by_id("signed") is not None and "13800000001" not in after.text
    assert "13800000001" not in client.get(f"/api/v1/hearings/{made['id']}").get_data(True)
    with app.app_context():
        from services.models import Utility

        own = make_user(Role.EDITOR, db.session.get(Utility, made["utility"]))
        reviewer = make_user(Role.REVIEWER)
        db.session.commit()
        ids = {"own": own.id, "reviewer": reviewer.id}
    staff = app.test_client()
    sign_in(staff, ids["own"])
    listed = parse(staff.get(f"/editor/hearings/{made['id']}?lang=zh_Hans").data)
    assert "吴十" in listed.text_of("signups") and "三元里社区" in listed.text_of("signups")
    assert "0 人参加，1 人旁听" in listed.text_of("signup-count")
    looker = app.test_client()
    sign_in(looker, ids["reviewer"])
    assert "13800000001" not in looker.get(f"/editor/hearings/{made['id']}").get_data(True)


def test_signup_closes_before_the_meeting_and_the_page_says_so(app, client, monkeypatch):
    at(monkeypatch, MONDAY)
    made = announce(app)
    at(monkeypatch, MONDAY + timedelta(days=8))
    page = parse(client.get(f"/hearings/{made['id']}").data)
    assert page.by_id("signup-form") is None and page.by_id("signup-note") is not None
    late = client.post(
        f"/hearings/{made['id']}/signups",
        data={"signup_role": "participant", "signup_name": "郑一", "signup_contact": "1"},
    )
    assert late.status_code == 422 and parse(late.data).by_id("signup-problem") is not None
    assert (
        client.get(f"/api/v1/hearings/{made['id']}")
        .get_json()["data"]["signup_close_at"]
        .startswith("2031-03-10T02:00:00")
    )


def test_a_consultation_page_has_no_signup(app, client, monday):
    made = announce(app, kind=publishing.HearingKind.CONSULTATION, held_at=None, place="")
    page = parse(client.get(f"/hearings/{made['id']}").data)
    assert page.by_id("signup") is None and page.by_id("comment-form") is not None
