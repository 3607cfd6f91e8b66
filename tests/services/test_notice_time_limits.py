"""The printed notice names where each time limit comes from and lists the cases, read back
from the PDF."""

from __future__ import annotations

from tests.factories import make_legal_basis, make_revision, service_content
from tests.services import test_notices
from tests.services.test_notices import pdf_text, render_notice

# The notice module's fixtures: render processes, and a printer with a cache of its own.
presses = test_notices.presses
printer = test_notices.printer


def test_the_notice_shows_each_limit_with_its_law_or_as_a_promise_and_its_cases(printer):
    basis = make_legal_basis(
        code="notice-rule", title="《测试城市供气规章》", doc_number="测试令第7号"
    )
    limits = {
        "statutory": {
            "value": 4,
            "unit": "hours",
            "source": {"kind": "law", "code": basis.code, "article": "第二十一条"},
        },
        "promised": {
            "value": 2,
            "unit": "hours",
            "source": {"kind": "promise"},
            "cases": [
                {"label": "中心城区", "value": 40, "unit": "minutes"},
                {"label": "远郊", "value": 2, "unit": "hours"},
            ],
        },
    }
    revision = make_revision(content=service_content(time_limits=limits))
    text = pdf_text(render_notice(printer, revision, "zh_Hans", "A4"))
    for expected in (
        "4小时",
        "依据《测试城市供气规章》（测试令第7号）第二十一条",
        "中心城区：40分钟",
        "远郊：2小时",
        "本单位承诺",
    ):
        assert expected in text, expected


def test_an_old_notice_without_sources_shows_the_limits_without_a_source_line(printer):
    old = {
        "statutory": {"value": 20, "unit": "working_days"},
        "promised": {"value": 5, "unit": "working_days"},
    }
    text = pdf_text(
        render_notice(
            printer, make_revision(content=service_content(time_limits=old)), "zh_Hans", "A4"
        )
    )
    limits = text[text.index("法定办结时限") : text.index("收费标准")]
    assert "20个工作日" in limits and "5个工作日" in limits
    assert "依据" not in limits and "本单位承诺" not in limits
