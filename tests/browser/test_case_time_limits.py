"""A resident at the kiosk reads a time limit that depends on the case: one line and one
due date for each case, and where each limit comes from."""

import pytest

from services.db import db
from tests.factories import (
    make_item,
    make_legal_basis,
    make_revision,
    make_utility,
    service_content,
    unique,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def connection(app) -> str:
    """A power connection whose promise depends on external works; committed. Its address."""
    with app.app_context():
        basis = make_legal_basis(
            code=unique("rule"), title="《测试供电监管规章》", doc_number="测试令第3号"
        )
        limits = {
            "statutory": {
                "value": 13,
                "unit": "working_days",
                "source": {"kind": "law", "code": basis.code, "article": "第十二条"},
            },
            "promised": {
                "value": 8,
                "unit": "working_days",
                "source": {"kind": "promise"},
                "cases": [
                    {"label": "无外线工程", "value": 3, "unit": "working_days"},
                    {"label": "有外线工程", "value": 8, "unit": "working_days"},
                ],
            },
        }
        utility = make_utility(name="澄州测试供电公司")
        item = make_revision(
            make_item(utility), content=service_content(name="低压用电报装", time_limits=limits)
        ).item
        db.session.commit()
        return f"/u/{utility.slug}/{item.slug}"


def test_each_case_shows_its_own_due_date_beside_the_statutory_one(
    kiosk_page, live_server, connection, monkeypatch
):
    # The server runs in this process: its clock is the one the page counts from.
    monkeypatch.setenv("GONGSHI_FAKE_NOW", "2026-03-02T10:00:00")
    page = kiosk_page
    page.goto(live_server.url + connection)
    lines = page.locator("#due-date li.due-line")
    assert lines.count() == 2
    first, second = lines.nth(0), lines.nth(1)
    assert first.is_visible() and second.is_visible()
    assert first.locator(".due-case").inner_text() == "无外线工程"
    assert second.locator(".due-case").inner_text() == "有外线工程"
    assert first.locator("#due-1-promised").get_attribute("datetime") == "2026-03-05"
    assert second.locator("#due-2-promised").get_attribute("datetime") == "2026-03-12"
    for line in (first, second):
        assert "法定最迟" in line.inner_text()
        assert line.locator("time").last.get_attribute("datetime") == "2026-03-19"
    statutory = page.locator("#limit-statutory")
    assert "《测试供电监管规章》（测试令第3号） 第十二条" in statutory.inner_text()
    # The basis opens in the panel beside the fees, as every basis link does.
    statutory.locator("a.basis-link").tap()
    page.wait_for_selector("#basis-panel :text('测试令第3号')")
    promised = page.locator("#limit-promised")
    assert promised.locator("li").all_inner_texts() == [
        "无外线工程：3 个工作日",
        "有外线工程：8 个工作日",
    ]
    assert "本单位承诺" in promised.inner_text()
