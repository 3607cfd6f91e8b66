"""Outage notices on the kiosk, a phone, the board, the feed, the API and in the editor."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from sqlalchemy import select

from services.clock import city_zone
from services.db import db
from services.models import Outage, Role, Sector
from tests.factories import committed, make_hall, make_outage, make_user, make_utility
from tests.html import parse
from tests.web.editor_pages import sign_in

MONDAY = datetime(2031, 3, 3, 10, 0, tzinfo=city_zone())  # the test hall is open then
ATOM = "{http://www.w3.org/2005/Atom}"


def at(monkeypatch, moment: datetime) -> None:
    """Move the city's clock to `moment`."""
    monkeypatch.setenv("GONGSHI_FAKE_NOW", moment.isoformat())


@pytest.fixture
def monday(monkeypatch):
    at(monkeypatch, MONDAY)


def publish(app, sector: Sector = Sector.WATER, **fields) -> dict:
    """A new utility of `sector` and an outage of it published on MONDAY, starting two days
    later unless told otherwise; committed."""
    fields.setdefault("starts_at", MONDAY + timedelta(days=2))
    with app.app_context():
        utility = make_utility(sector=sector)
        outage = make_outage(utility, now=MONDAY, **fields)
        db.session.commit()
        return {"id": outage.id, "utility": utility.slug, "utility_id": utility.id}


def test_the_start_screen_shows_a_late_power_outage_at_the_top(app, client, monday):
    late = publish(app, Sector.POWER, starts_at=MONDAY + timedelta(days=2))
    page = parse(client.get("/", query_string={"lang": "zh_Hans"}).data)
    banner = page.by_id("outages-banner")
    assert banner is not None
    card = page.by_id(f"outage-{late['id']}")
    assert "停电" in card.get_text() and "龙城街道幸福路" in card.get_text()
    assert "仅提前 48 小时，应提前 168 小时" in page.text_of(f"outage-{late['id']}-late")
    # It stands above the providers' tiles.
    tiles = page.find_all("ul", class_="tiles")[0]
    assert banner.sourceline < tiles.sourceline


def test_an_outage_beyond_the_coming_week_is_not_on_the_start_screen(app, client, monday):
    far = publish(app, starts_at=MONDAY + timedelta(days=8))
    page = parse(client.get("/").data)
    assert page.by_id(f"outage-{far['id']}") is None
    assert f"/outages/{far['id']}" in client.get("/outages").get_data(as_text=True)


def test_a_cached_start_screen_does_not_outlive_the_outages_start_or_end(app, client, monkeypatch):
    at(monkeypatch, MONDAY)
    soon = publish(app, starts_at=MONDAY + timedelta(hours=1))
    card = f"outage-{soon['id']}"
    coming = parse(client.get("/").data).by_id(card)
    assert "outage-coming" in coming["class"]
    at(monkeypatch, MONDAY + timedelta(hours=1, seconds=1))
    ongoing = parse(client.get("/").data).by_id(card)
    assert "outage-ongoing" in ongoing["class"]
    at(monkeypatch, MONDAY + timedelta(hours=9, seconds=1))
    assert parse(client.get("/").data).by_id(card) is None


def test_a_utilitys_page_shows_its_own_outages_only(app, client, monday):
    mine, other = publish(app), publish(app)
    page = parse(client.get(f"/u/{mine['utility']}").data)
    assert page.by_id(f"outage-{mine['id']}") is not None
    assert page.by_id(f"outage-{other['id']}") is None


def test_the_outage_list_filters_by_district_and_keeps_the_history(app, client, monkeypatch):
    at(monkeypatch, MONDAY)
    here = publish(app, districts=["龙城区"], starts_at=MONDAY + timedelta(hours=1))
    there = publish(app, districts=["澄江区"])
    page = parse(client.get("/outages", query_string={"district": "澄江区"}).data)
    assert page.by_id(f"outage-{there['id']}") is not None
    assert page.by_id(f"outage-{here['id']}") is None
    options = [o["value"] for o in page.select("#district option")]
    assert {"龙城区", "澄江区"} <= set(options)

    at(monkeypatch, MONDAY + timedelta(days=1))
    current = parse(client.get("/outages").data)
    assert current.by_id(f"outage-{here['id']}") is None
    history = parse(client.get("/outages", query_string={"state": "ended"}).data)
    assert "outage-ended" in history.by_id(f"outage-{here['id']}")["class"]


def test_the_permanent_page_shows_each_change_with_its_time(app, client, monday):
    made = publish(app, starts_at=MONDAY + timedelta(hours=1))
    with app.app_context():
        from services.outages import publishing

        outage = db.session.get(Outage, made["id"])
        new_end = MONDAY + timedelta(hours=12)
        later = MONDAY + timedelta(hours=2)
        publishing.extend_outage(outage, new_end, "管道破损较重", "ed", later, outage.version)
        db.session.commit()
    page = parse(client.get(f"/outages/{made['id']}", query_string={"lang": "zh_Hans"}).data)
    log = page.text_of("outage-log")
    assert "已延长" in log and "管道破损较重" in log
    assert "2031年3月3日 12:00" in log and "2031年3月3日 22:00" in log


def test_traditional_text_is_converted_and_english_marks_the_chinese(app, client, monday):
    made = publish(app, area="龙城街道幸福路")
    hant = parse(client.get(f"/outages/{made['id']}", query_string={"lang": "zh_Hant"}).data)
    assert "龍城街道幸福路" in hant.text and "自動轉換" in hant.text
    en = parse(client.get(f"/outages/{made['id']}", query_string={"lang": "en"}).data)
    marked = [span for span in en.find_all("span", lang="zh-Hans") if "幸福路" in span.text]
    assert marked and "Water outage" in en.text


def test_an_unknown_outage_is_not_found(client):
    assert client.get("/outages/999999999").status_code == 404


def test_the_feed_lists_outages_with_their_late_marker(app, client, monday):
    late = publish(app, Sector.POWER, starts_at=MONDAY + timedelta(days=3))
    response = client.get("/outages.atom", query_string={"lang": "zh_Hans"})
    assert response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    entries = {e.find(f"{ATOM}id").text.rsplit("/", 1)[-1]: e for e in feed.iter(f"{ATOM}entry")}
    summary = entries[str(late["id"])].find(f"{ATOM}summary").text
    assert "仅提前 72 小时，应提前 168 小时" in summary


def test_the_api_lists_filters_and_describes_outages(app, client, monday):
    made = publish(app, districts=["澄江区"], starts_at=MONDAY + timedelta(days=2))
    listed = client.get("/api/v1/outages", query_string={"district": "澄江区", "state": "coming"})
    assert listed.status_code == 200
    ids = [row["id"] for row in listed.json["data"]]
    assert made["id"] in ids
    ongoing = client.get("/api/v1/outages", query_string={"state": "ongoing"}).json["data"]
    assert made["id"] not in [row["id"] for row in ongoing]
    one = client.get(f"/api/v1/outages/{made['id']}").json["data"]
    assert one["state"] == "coming" and one["starts_at"] == "2031-03-05T02:00:00Z"
    assert one["updates"][0]["kind"] == "published"
    assert one["links"]["page"].endswith(f"/outages/{made['id']}")
    assert client.get("/api/v1/outages", query_string={"state": "soon"}).status_code == 400
    assert client.get("/api/v1/outages/999999").status_code == 404
    index = client.get("/api/v1/").json["data"]
    assert index["collections"]["outages"].endswith("/api/v1/outages")


def test_search_finds_an_outage_by_its_street(app, client, monday):
    made = publish(app, streets=["幸福路", "和平街"])
    page = parse(client.get("/search", query_string={"q": "和平街"}).data)
    assert page.by_id(f"outage-{made['id']}") is not None
    assert page.by_id("search-empty-heading") is None


def test_the_board_of_a_hall_showing_the_utility_opens_with_the_outage(app, client, monday):
    made = publish(app, starts_at=MONDAY + timedelta(hours=2))
    with app.app_context():
        from services.models import Utility

        showing = make_hall([db.session.get(Utility, made["utility_id"])])
        elsewhere = make_hall()
        db.session.commit()
        showing, elsewhere = showing.slug, elsewhere.slug
    page = parse(client.get(f"/board/{showing}").data)
    slides = page.select("#board-screen section.slide")
    assert slides[0]["data-key"] == "outages-1"
    assert page.by_id(f"board-outage-{made['id']}") is not None
    other = parse(client.get(f"/board/{elsewhere}").data)
    assert other.by_id(f"board-outage-{made['id']}") is None


def test_the_board_poll_changes_when_an_outage_is_published(app, client, monday):
    with app.app_context():
        utility = make_utility()
        hall = make_hall([utility])
        db.session.commit()
        slug, utility_id = hall.slug, utility.id
    etag = client.get(f"/board/{slug}/poll").headers["ETag"]
    with app.app_context():
        from services.models import Utility

        soon = MONDAY + timedelta(hours=1)
        make_outage(db.session.get(Utility, utility_id), now=MONDAY, starts_at=soon)
        db.session.commit()
    changed = client.get(f"/board/{slug}/poll", headers={"If-None-Match": etag})
    assert changed.status_code == 200


@pytest.fixture
def power_editor(app):
    with app.app_context():
        utility = make_utility(sector=Sector.POWER)
        editor = make_user(Role.EDITOR, utility)
        db.session.commit()
        return {"user": editor.id, "utility": utility.id}


def outage_form(starts: datetime, **extra: str) -> dict[str, str]:
    return {
        "kind": "planned",
        "area": "龙城街道和平街1号至50号",
        "districts": "龙城区",
        "streets": "和平街，幸福路",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "reason": "线路检修",
        "advice": "请关闭电器",
        "channel": "0",
        **extra,
    }


def outages_of(app, utility_id: int) -> list[Outage]:
    with app.app_context():
        return list(db.session.scalars(select(Outage).where(Outage.utility_id == utility_id)))


def test_an_editor_publishing_late_is_warned_first_and_then_may_publish(
    app, client, monday, power_editor
):
    sign_in(client, power_editor["user"])
    form = outage_form(MONDAY + timedelta(days=3))
    first = client.post("/editor/outages/new", data=form)
    assert first.status_code == 200
    warning = parse(first.data).text_of("short-notice-warning")
    assert "72" in warning and "168" in warning
    assert outages_of(app, power_editor["utility"]) == []

    published = client.post("/editor/outages/new", data=form | {"accept_short_notice": "y"})
    assert published.status_code == 302
    (outage,) = outages_of(app, power_editor["utility"])
    assert (outage.given_notice_hours, outage.required_notice_hours) == (72, 168)
    assert outage.streets == ["和平街", "幸福路"]
    detail = parse(client.get(published.location).data)
    assert detail.by_id(f"outage-{outage.id}-late") is not None


def test_an_editor_publishing_in_time_sees_no_warning(app, client, monday, power_editor):
    sign_in(client, power_editor["user"])
    response = client.post("/editor/outages/new", data=outage_form(MONDAY + timedelta(days=8)))
    assert response.status_code == 302
    (outage,) = outages_of(app, power_editor["utility"])
    assert not outage.is_short_notice


def test_an_end_before_the_start_is_refused_with_a_message(app, client, monday, power_editor):
    sign_in(client, power_editor["user"])
    starts = MONDAY + timedelta(days=8)
    form = outage_form(starts) | {"ends_at": (starts - timedelta(hours=1)).isoformat()[:16]}
    response = client.post("/editor/outages/new", data=form)
    assert response.status_code == 422
    assert "预计恢复时间必须晚于开始时间" in parse(response.data).text_of("problem")
    assert outages_of(app, power_editor["utility"]) == []


def test_an_editor_extends_and_then_ends_an_outage(app, client, monkeypatch, power_editor):
    at(monkeypatch, MONDAY)
    sign_in(client, power_editor["user"])
    client.post(
        "/editor/outages/new",
        data=outage_form(MONDAY + timedelta(hours=1), kind="emergency"),
    )
    (outage,) = outages_of(app, power_editor["utility"])
    extend = {"ends_at": "2031-03-03T20:00", "note": "抢修延长", "version": str(outage.version)}
    assert client.post(f"/editor/outages/{outage.id}/extend", data=extend).status_code == 302
    stale = client.post(f"/editor/outages/{outage.id}/extend", data=extend)
    assert stale.status_code == 409
    at(monkeypatch, MONDAY + timedelta(hours=3))
    end = {"note": "已恢复供电", "version": str(outage.version + 1)}
    assert client.post(f"/editor/outages/{outage.id}/end", data=end).status_code == 302
    public = parse(client.get(f"/outages/{outage.id}").data)
    log = public.text_of("outage-log")
    assert "抢修延长" in log and "已恢复供电" in log and "已恢复供应" in log
    assert "outage-ended" in public.by_id("outage-detail")["class"]
    assert parse(client.get("/").data).by_id(f"outage-{outage.id}") is None


def test_the_wall_notice_carries_a_qr_code_to_the_outages_page(app, client, monday):
    from tests.services.test_notices import first_page_image, pdf_text, read_qr

    late = publish(app, Sector.POWER, starts_at=MONDAY + timedelta(days=2))
    response = client.get(f"/print/outages/{late['id']}.pdf", query_string={"lang": "zh_Hans"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    code = read_qr(first_page_image(response.data))
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert code.text == f"{base}/outages/{late['id']}?lang=zh_Hans"
    text = pdf_text(response.data)
    assert "停电" in text and "仅提前48小时，应提前168小时" in text
    again = client.get(
        f"/print/outages/{late['id']}.pdf",
        query_string={"lang": "zh_Hans"},
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304
    english = client.get(f"/print/outages/{late['id']}.pdf", query_string={"lang": "en"})
    text = pdf_text(english.data)
    assert "Poweroutage" in text and "Lessnoticethanrequired:48hinsteadof168h" in text
    assert "龙城街道幸福路" in text  # entered in Chinese, printed as written


def test_the_contact_offered_for_an_outage_serves_the_utilitys_sector(app, client, power_editor):
    from tests.factories import make_channel

    def make():
        ids = {}
        for name, sector in (
            ("供电监管", Sector.POWER),
            ("电信申诉", Sector.TELECOM),
            ("热线", None),
        ):
            ids[name] = make_channel(name=name, sector=sector).id
        return ids

    ids = committed(app, make)
    sign_in(client, power_editor["user"])
    page = parse(client.get("/editor/outages/new").data)
    offered = {int(option["value"]) for option in page.soup.select("select#channel option")}
    assert ids["供电监管"] in offered and ids["热线"] in offered
    assert ids["电信申诉"] not in offered
