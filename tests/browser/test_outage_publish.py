"""An editor of the power company publishes a planned cut with less than seven days' notice:
the editor is warned before publishing, and the kiosk's start screen shows the cut at the top
with the late notice marked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services import clock
from services.db import db
from services.models import Role, Sector
from tests.factories import PASSWORD, make_user, make_utility

pytestmark = pytest.mark.browser


@pytest.fixture
def power_editor(app) -> str:
    with app.app_context():
        power = make_utility(sector=Sector.POWER, name="澄州供电公司", short_name="澄州供电")
        username = make_user(Role.EDITOR, power).username
        db.session.commit()
        return username


def test_a_late_planned_power_cut_is_warned_then_shown_on_the_kiosk_marked_late(
    desk, kiosk_page, live_server, power_editor
):
    base = live_server.url
    page = desk
    page.goto(base + "/editor/")
    page.fill("#username", power_editor)
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#dashboard")

    page.click("#editor-bar a[href='/editor/outages']")
    page.click("#new-outage")
    starts = (clock.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    page.check("#kind-0")
    page.fill("#area", "龙城街道和平街1号至50号")
    page.fill("#districts", "龙城区")
    page.fill("#streets", "和平街")
    page.fill("#starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#ends_at", (starts + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#reason", "线路检修")
    page.fill("#advice", "请提前关闭电器")
    page.click("#publish-outage")

    # Not published yet: the editor is told how short the notice is, and may go on.
    warning = page.locator("#short-notice-warning")
    assert "应提前 168 小时" in warning.inner_text()
    assert "仅提前 71 小时" in warning.inner_text() or "仅提前 72 小时" in warning.inner_text()
    page.check("#accept_short_notice")
    page.click("#publish-outage")
    page.wait_for_selector(".flashes")
    assert page.locator(".outage-late").count() == 1
    outage_id = page.url.rsplit("/", 1)[-1]

    kiosk = kiosk_page
    kiosk.goto(base + "/")
    banner = kiosk.locator("#outages-banner")
    assert banner.is_visible()
    card = kiosk.locator(f"#outage-{outage_id}")
    assert "停电" in card.inner_text() and "龙城街道和平街1号至50号" in card.inner_text()
    assert "提前公告时间不足" in kiosk.locator(f"#outage-{outage_id}-late").inner_text()
    # The banner stands above the providers' tiles.
    assert banner.bounding_box()["y"] < kiosk.locator("ul.tiles").bounding_box()["y"]

    # A tap opens the outage's permanent page, with its update log.
    kiosk.click(f"#outage-{outage_id} .outage-title a")
    kiosk.wait_for_selector("#outage-detail")
    assert "已发布" in kiosk.locator("#outage-log").inner_text()
