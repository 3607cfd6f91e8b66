"""An editor changes a fee, a reviewer publishes it for a later date, and the kiosk follows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import format_date

from services.clock import today
from services.db import db
from services.models import User
from tests.browser.staff import sign_in
from tests.web.editor_pages import accounts_fixture, tariff_fixture  # noqa: F401

pytestmark = pytest.mark.browser


def test_an_editor_publishes_a_future_fee_change_that_the_kiosk_announces_then_applies(
    app, accounts, tariff, desk, kiosk_page, live_server, monkeypatch
):
    fresh = tariff(None)
    with app.app_context():
        editor = db.session.get(User, accounts["editor"]).username
        reviewer = db.session.get(User, accounts["reviewer"]).username
    base = live_server.url
    page = desk

    # The editor opens the tariff and starts a draft.
    sign_in(page, base, editor)
    page.click(f"#worklist a[href='/editor/items/{fresh.item_id}']")
    page.click("#start-draft")
    page.wait_for_selector("#revision-form")
    page.fill('[name="fees[0].pricing.tiers[1].price"]', "7.60")
    page.fill('[name="change_summary"]', "第二阶梯水价调整为7.60元")

    # A row added by mistake is flagged inline, then removed; htmx swaps the form in place.
    page.click('button[value="add:fees[0].pricing.tiers"]')
    page.wait_for_selector('[name="fees[0].pricing.tiers[3].lower"]')
    assert "tiers[3]" in page.get_attribute("#problems", "data-field")
    page.click('button[value="remove:fees[0].pricing.tiers[3]"]')
    page.wait_for_selector('[name="fees[0].pricing.tiers[3].lower"]', state="detached")
    page.wait_for_selector("#problems .ready")
    assert page.input_value('[name="fees[0].pricing.tiers[1].price"]') == "7.60"

    page.click("#save")
    page.wait_for_selector(".flashes")
    revision_url = page.url.removesuffix("/edit")
    page.goto(revision_url)
    page.click("#submit-form button")
    page.wait_for_selector("#revision-state.state-in_review")
    page.click(".editor-logout button")
    page.wait_for_selector("#login-form")

    # The reviewer approves it and publishes it for a date three weeks away.
    sign_in(page, base, reviewer)
    page.goto(base + "/editor/review")
    page.click(f"#review-queue a[href='{revision_url.removeprefix(base)}']")
    page.fill("#comment", "价格文件已核对")
    page.click("#approve")
    page.wait_for_selector("#publish-form")
    starts = today() + timedelta(days=21)
    page.fill("#effective_from", starts.isoformat())
    page.click("#publish")
    page.wait_for_selector("#revision-state.state-upcoming")

    # The kiosk announces the new rate beside the current one.
    with app.test_request_context("/?lang=zh_Hans"):
        spoken_date = format_date(starts, format="long")
    kiosk = kiosk_page
    kiosk.goto(base + fresh.kiosk_url)
    heading = kiosk.locator("#upcoming-heading")
    assert heading.inner_text() == f"从{spoken_date}起执行新标准"
    assert "¥7.60" in kiosk.locator("#next-fee-1").inner_text()
    assert "¥7.00" in kiosk.locator("#now-fee-1").inner_text()
    assert "¥7.00" in kiosk.locator("#fee-1-tiers").inner_text()

    # On the date, with nobody acting, the new rate is the one in force...
    monkeypatch.setenv("GONGSHI_FAKE_NOW", f"{starts.isoformat()}T08:00:00")
    kiosk.goto(base + fresh.kiosk_url)
    assert kiosk.locator("#upcoming-heading").count() == 0
    assert "¥7.60" in kiosk.locator("#fee-1-tiers").inner_text()

    # ...and the old version's permanent address says it was superseded.
    kiosk.goto(f"{base}/r/{fresh.published_id}")
    notice = kiosk.locator("section.superseded")
    assert notice.is_visible() and "此版本已不再执行" in notice.inner_text()


def test_the_edit_form_fits_a_desk_screen_and_the_bar_says_where_one_is(
    app, accounts, tariff, desk, live_server
):
    with app.app_context():
        from tests.factories import make_legal_basis

        # A real basis title can run to a hundred characters.
        make_legal_basis(
            title="《关于进一步完善城镇居民用水阶梯价格制度并推进非居民用水超定额累进加价"
            "工作、加快建立健全有利于节约用水的价格机制的指导意见》"
        )
        editor = db.session.get(User, accounts["editor"]).username
        db.session.commit()
    fresh = tariff(None)
    page = desk
    sign_in(page, live_server.url, editor)
    page.goto(f"{live_server.url}/editor/items/{fresh.item_id}")
    page.click("#start-draft")
    page.wait_for_selector("#revision-form")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert page.locator("#editor-bar a[aria-current=page]").all_inner_texts() == ["编辑"]
    page.goto(f"{live_server.url}/editor/outages")
    assert page.locator("#editor-bar a[aria-current=page]").all_inner_texts() == ["停水停电公告"]
