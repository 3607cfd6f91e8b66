"""A resident rates a service at a kiosk (好差评) in each language; a bad review with a reason
reaches the utility's editor with its due date, is put right and closed, and the kiosk then
shows what was put right and the month's results. The idle reset drops a half-finished one."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.db import db
from services.models import Item, Role
from services.ratings.models import Rating, RectificationCase
from tests.browser.device_setup import register_device_fixture  # noqa: F401  (fixture)
from tests.browser.staff import sign_in
from tests.factories import (
    committed,
    make_hall,
    make_item,
    make_revision,
    make_user,
    service_content,
)
from tests.web.editor_pages import accounts_fixture  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser

LABELS = {"zh_Hans": "满意", "zh_Hant": "滿意", "en": "Satisfied"}
THANKS = {"zh_Hans": "感谢您的评价", "zh_Hant": "感謝您的評價", "en": "Thank you for your answer"}


@pytest.fixture
def service(app) -> dict:
    """A published service of a new utility, and a hall that shows it."""

    def make():
        item = make_revision(make_item(), content=service_content(name="自来水报装")).item
        hall = make_hall([item.utility])
        return {
            "item_id": item.id,
            "url": f"/u/{item.utility.slug}/{item.slug}",
            "hall": hall.slug,
            "utility_id": item.utility_id,
        }

    return committed(app, make)


@pytest.fixture
def kiosk(kiosk_page, register_device, service):
    """The kiosk page, registered as a kiosk of the service's hall."""
    register_device(kiosk_page, service["hall"], "kiosk")
    kiosk_page.wait_for_function("() => localStorage.getItem('gongshi.device') !== null")
    return kiosk_page


def ratings(app, item_id: int) -> list[tuple[int, str, list[str]]]:
    with app.app_context():
        rows = db.session.scalars(
            select(Rating).where(Rating.item_id == item_id).order_by(Rating.id)
        )
        return [(r.level, r.channel, list(r.reasons)) for r in rows]


def live_choices(page):
    """The five answers once htmx has brought the live form in place of the links."""
    page.locator("#rating button[name=level]").first.wait_for()
    return page.locator("#rating button[name=level]")


@pytest.mark.parametrize("lang", ["zh_Hans", "zh_Hant", "en"])
def test_a_resident_rates_a_service_at_the_kiosk_in_each_language(
    app, kiosk, live_server, service, lang
):
    page = kiosk
    page.goto(f"{live_server.url}{service['url']}?lang={lang}")
    choices = live_choices(page)
    assert choices.count() == 5
    satisfied = page.locator("#rating button[value='4']")
    assert satisfied.inner_text().strip() == LABELS[lang]
    box = satisfied.bounding_box()
    assert box["height"] >= 60 and box["width"] >= 120  # large enough to tap
    satisfied.tap()
    page.locator(".rate-thanks").wait_for()
    assert THANKS[lang] in page.locator("#rating").inner_text()
    assert ratings(app, service["item_id"]) == [(4, "kiosk", [])]
    # The same session cannot rate the item again.
    page.reload()
    page.locator("#rating .rate-thanks").wait_for()
    assert page.locator("#rating button[name=level]").count() == 0


def test_a_bad_review_is_put_right_in_the_editor_and_published_on_the_kiosk(
    app, kiosk, desk, live_server, service
):
    page, base = kiosk, live_server.url
    page.goto(base + service["url"])
    live_choices(page)
    page.locator("#rating button[value='1']").tap()
    reason = page.locator(".rate-reason", has_text="材料与实际要求不符")
    reason.wait_for()
    assert page.locator("#rating button[name=level]").count() == 0
    reason.tap()
    for key in "cailiao":
        page.locator(f'#rating .keyboard-letters button[data-key="{key}"]').tap()
    for key in "13800138000":
        page.locator(f'#rating .keyboard-numbers button[data-key="{key}"]').tap()
    assert page.locator("#rate-comment").input_value() == "cailiao"
    assert page.locator("#rate-phone").input_value() == "13800138000"
    page.locator("#rating .rate-send").tap()
    page.locator(".rate-thanks").wait_for()
    thanks = page.locator("#rating").inner_text()
    assert "10 个工作日" in thanks and "国办发〔2019〕51号" in thanks
    assert ratings(app, service["item_id"]) == [(1, "kiosk", ["materials_differ"])]

    with app.app_context():
        case = db.session.scalar(
            select(RectificationCase).where(RectificationCase.item_id == service["item_id"])
        )
        case_id, due = case.id, case.due_on
        utility = db.session.get(Item, service["item_id"]).utility
        editor = make_user(username="h11-editor-" + str(case_id), utility=utility)
        reviewer = make_user(Role.REVIEWER)
        db.session.commit()
        editor_name, reviewer_name = editor.username, reviewer.username
        utility_slug = utility.slug

    # The utility's editor finds it among the open cases, with its due date.
    sign_in(desk, base, editor_name)
    desk.click("#editor-bar a[href='/editor/cases']")
    row = desk.locator("#open-cases tr", has_text="自来水报装")
    assert f"{due.year}年{due.month}月{due.day}日" in row.inner_text()
    row.locator("a").click()
    desk.wait_for_selector("#case-detail")
    desk.click("#show-phone")
    assert desk.locator("#phone").inner_text() == "13800138000"
    desk.go_back()
    desk.check("#verify-form input[value=valid]")
    desk.click("#verify-form button[type=submit]")
    desk.wait_for_selector("#action-form")
    desk.fill("#call-back-form textarea", "已电话回访")
    desk.click("#call-back-form button[type=submit]")
    desk.wait_for_selector("#action-form")
    desk.fill("#action-form textarea", "指南已写明需核验不动产权证书原件")
    desk.click("#action-form button[type=submit]")
    desk.wait_for_selector("#case-action")
    desk.click(".editor-logout button")

    # A reviewer closes it.
    sign_in(desk, base, reviewer_name)
    desk.goto(f"{base}/editor/cases/{case_id}")
    desk.click("#close-case")
    desk.wait_for_selector("#case-state")
    assert (
        "办结" in desk.locator("#case-state").inner_text()
        or "Closed" in desk.locator("#case-state").inner_text()
    )

    # The kiosk shows what was put right, and the month's results count it.
    page.goto(base + service["url"])
    published = page.locator("#rectifications")
    published.wait_for()
    assert "指南已写明需核验不动产权证书原件" in published.inner_text()
    assert "材料与实际要求不符" in published.inner_text()
    assert "cailiao" not in page.content() and "13800138000" not in page.content()
    page.goto(f"{base}/u/{utility_slug}/results")
    summary = page.locator("#results-summary").inner_text()
    assert "0.0%" in summary  # one rating, a bad one
    line = page.locator("#items-table tbody tr", has_text="自来水报装").inner_text()
    assert line.split()[-9:][:5] == ["1", "0.0%", "1", "1", "0"]
    assert page.locator("#satisfaction-chart rect").count() == 1


def test_the_idle_reset_drops_a_half_finished_rating(
    app, kiosk_page, live_server, register_device, service
):
    page = kiosk_page
    page.clock.install()
    register_device(page, service["hall"], "kiosk")
    page.wait_for_function("() => localStorage.getItem('gongshi.device') !== null")
    page.goto(live_server.url + service["url"])
    live_choices(page)
    page.locator("#rating button[value='2']").tap()
    page.locator(".rate-reason", has_text="服务态度").tap()
    page.locator('#rating .keyboard-letters button[data-key="a"]').tap()
    page.clock.run_for(92_000)  # the default 90 s, and the 10 s warning inside it
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + service["url"])
    live_choices(page)
    assert page.locator("#rating .rate-reason").count() == 0
    assert page.locator("#rate-comment").count() == 0
    assert ratings(app, service["item_id"]) == []
