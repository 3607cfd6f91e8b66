"""At the kiosk a resident sees the flow chart of a service's steps and downloads its blank
form, in real Chromium."""

from pathlib import Path

import pytest

from tests.factories import (
    blank_pdf,
    committed,
    make_item,
    make_revision,
    service_content,
    store_form,
)

pytestmark = pytest.mark.browser


def test_the_kiosk_shows_the_flow_chart_and_downloads_the_blank_form(app, kiosk_page, live_server):
    blank = blank_pdf("用电申请表")

    def guide() -> str:
        content = service_content(name="低压居民新装")
        content["steps"][0]["branches"] = ["correction", "refusal"]
        content["materials"][1] |= {"blank_form": store_form(app, blank)}
        revision = make_revision(make_item(), content=content)
        return f"/u/{revision.item.utility.slug}/{revision.item.slug}"

    path = committed(app, guide)
    page = kiosk_page
    page.goto(f"{live_server.url}{path}?lang=zh_Hans")

    chart = page.locator("svg#flowchart")
    chart.scroll_into_view_if_needed()
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 400 and box["height"] > 200
    assert box["x"] + box["width"] <= 1080  # fits the portrait screen
    assert chart.locator("text", has_text="补正材料（一次性告知）").is_visible()
    assert chart.locator("text", has_text="不予受理（书面说明理由）").is_visible()
    assert page.locator("ol.steps > li").count() == 3  # the steps stay a list as well

    link = page.locator("#form-2-blank_form")
    assert link.inner_text() == "空白表格（PDF）"
    with page.expect_download() as waiting:
        link.tap()
    download = waiting.value
    assert download.suggested_filename == "不动产权证书-空白表格.pdf"
    assert Path(download.path()).read_bytes() == blank
