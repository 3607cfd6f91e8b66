"""Time limits: where each comes from, the rules the checks add, and the due dates they give
per case, in days or to the minute."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from services.calendar import due_dates
from services.calendar import working_days as calendar
from services.content.checks import check_content
from services.content.schema import ContentError, validate_content
from services.content.time_limits import TimeLimitError, check_time_limits, stated_durations
from tests.factories import ensure_test_refs, service_content

LAW = {"kind": "law", "code": "test-price-doc", "article": "第十条"}
PROMISE = {"kind": "promise"}


def limits(statutory=None, promised=None) -> dict:
    out = {"promised": promised or {"value": 5, "unit": "working_days", "source": PROMISE}}
    if statutory is not None:
        out["statutory"] = statutory
    return out


def content(statutory=None, promised=None, **overrides) -> dict:
    return service_content(time_limits=limits(statutory, promised), **overrides)


def refusal(data: dict) -> TimeLimitError:
    with pytest.raises(TimeLimitError) as caught:
        check_time_limits(data)
    return caught.value


@pytest.fixture
def seeded(ctx):
    """The official 2026 calendar and the estimate beyond it."""
    return calendar.seed_holidays(first_year=2026)


def test_a_statutory_limit_without_its_law_is_refused_at_its_source(ctx):
    error = refusal(content({"value": 20, "unit": "working_days"}))
    assert (error.field, error.code) == ("time_limits.statutory.source", "statutory_without_basis")


def test_a_company_promise_cannot_sit_in_the_statutory_slot(ctx):
    error = refusal(content({"value": 20, "unit": "working_days", "source": PROMISE}))
    assert error.code == "statutory_without_basis"


def test_a_law_needs_its_basis_and_its_article(ctx):
    no_article = {"value": 20, "unit": "working_days", "source": {"kind": "law", "code": "x"}}
    assert refusal(content(no_article)).field == "time_limits.statutory.source.article"
    no_code = {"value": 20, "unit": "working_days", "source": {"kind": "law", "article": "第3条"}}
    assert refusal(content(no_code)).field == "time_limits.statutory.source.code"


def test_a_promise_cites_no_legal_basis(ctx):
    step = {"title": "到场", "time_limit": {"value": 2, "unit": "hours", "source": LAW | PROMISE}}
    error = refusal(content(steps=[step]))
    assert (error.field, error.code) == ("steps[0].time_limit.source.code", "promise_with_basis")


def test_an_unknown_legal_basis_is_refused_by_the_content_check(ctx):
    ensure_test_refs()
    unknown = {"value": 20, "unit": "working_days", "source": LAW | {"code": "no-such-law"}}
    with pytest.raises(ContentError) as caught:
        check_content(content(unknown))
    assert caught.value.field == "time_limits.statutory.source.code"


def test_a_limit_with_its_law_and_a_promise_pass_every_check(ctx):
    ensure_test_refs()
    check_content(content({"value": 20, "unit": "working_days", "source": LAW}))
    check_content(content())  # no statutory limit at all: no law sets one


def test_old_content_without_sources_stays_valid_for_the_schema(ctx):
    old = service_content()
    old["time_limits"] = {
        "statutory": {"value": 20, "unit": "working_days", "note": "旧版说明"},
        "promised": {"value": 5, "unit": "working_days"},
    }
    validate_content(old)


@pytest.mark.parametrize(
    ("note", "value", "unit", "refused"),
    [
        ("15个工作日", 20, "working_days", True),
        ("承诺二十个工作日内办结", 20, "working_days", False),
        ("十五个工作日", 20, "working_days", True),
        ("城区45分钟内到达", 1, "hours", True),
        ("60分钟内到达", 1, "hours", False),
        ("一般在24小时内告知", 24, "hours", False),
        ("within 3 working days", 5, "working_days", True),
        ("12月1日起执行", 5, "working_days", False),  # a date, not a duration
        ("挂失满24小时后补卡", 0, "on_the_spot", True),
    ],
)
def test_a_note_may_not_state_another_figure_than_the_limit(ctx, note, value, unit, refused):
    promised = {"value": value, "unit": unit, "note": note, "source": PROMISE}
    data = content(promised=promised)
    if refused:
        error = refusal(data)
        assert (error.field, error.code) == ("time_limits.promised.note", "note_contradicts")
        assert error.params["stated"] in note
    else:
        check_time_limits(data)


def test_a_note_may_name_the_figures_of_its_cases(ctx):
    promised = {
        "value": 2,
        "unit": "hours",
        "note": "城区45分钟、农村90分钟、边远地区2小时",
        "source": PROMISE,
        "cases": [
            {"label": "城区", "value": 45, "unit": "minutes"},
            {"label": "农村", "value": 90, "unit": "minutes"},
            {"label": "边远地区", "value": 2, "unit": "hours"},
        ],
    }
    check_time_limits(content(promised=promised))


def test_with_cases_the_value_is_that_of_the_longest_case(ctx):
    promised = {
        "value": 3,
        "unit": "working_days",
        "source": PROMISE,
        "cases": [
            {"label": "无外线工程", "value": 3, "unit": "working_days"},
            {"label": "有外线工程", "value": 10, "unit": "working_days"},
        ],
    }
    error = refusal(content(promised=promised))
    assert (error.field, error.code) == ("time_limits.promised.value", "not_longest_case")
    promised["value"] = 10
    check_time_limits(content(promised=promised))


def test_stated_durations_read_digits_chinese_numerals_and_english():
    assert [(v, u) for _w, v, u in stated_durations("二十个工作日；两小时；3 days")] == [
        (20, "working_days"),
        (2, "hours"),
        (3, "calendar_days"),
    ]


def line_dates(lines) -> list[tuple]:
    def moment(due):
        if due is None:
            return None
        return due.at.strftime("%Y-%m-%d %H:%M") if due.at else due.on.isoformat()

    return [(line.label, moment(line.promised), moment(line.statutory)) for line in lines]


def test_both_due_dates_skip_the_national_day_holiday_and_follow_the_cut_off(seeded):
    data = content({"value": 20, "unit": "working_days", "source": LAW})
    before = due_dates.due_lines(data, datetime(2026, 9, 30, 16, 59))
    assert line_dates(before) == [(None, "2026-10-13", "2026-11-03")]
    after = due_dates.due_lines(data, datetime(2026, 9, 30, 17, 0))  # received on 8 October
    assert line_dates(after) == [(None, "2026-10-14", "2026-11-04")]


def test_minutes_and_hours_run_through_the_night_and_the_holiday_to_the_minute(seeded):
    repair = {"value": 45, "unit": "minutes", "source": PROMISE}
    law = {"value": 2, "unit": "hours", "source": LAW}
    lines = due_dates.due_lines(content(law, repair), datetime(2026, 10, 1, 23, 40, 30))
    assert line_dates(lines) == [(None, "2026-10-02 00:25", "2026-10-02 01:40")]
    assert lines[0].made_at == datetime(2026, 10, 1, 23, 40, tzinfo=lines[0].made_at.tzinfo)
    assert lines[0].is_clock_time and not lines[0].promised.is_estimate


def test_each_case_has_its_own_due_date_beside_the_one_statutory_limit(seeded):
    promised = {
        "value": 8,
        "unit": "working_days",
        "source": PROMISE,
        "cases": [
            {"label": "无外线工程", "value": 3, "unit": "working_days"},
            {"label": "有外线工程", "value": 8, "unit": "working_days"},
        ],
    }
    law = {"value": 13, "unit": "working_days", "source": LAW}
    lines = due_dates.due_lines(content(law, promised), datetime(2026, 2, 13, 10))
    # Received Friday 13 February; the Spring Festival runs 15–23 February, 14 and 28 are
    # worked (调休).
    assert line_dates(lines) == [
        ("无外线工程", "2026-02-25", "2026-03-10"),
        ("有外线工程", "2026-03-03", "2026-03-10"),
    ]


def test_statutory_cases_pair_with_a_promise_that_has_none(seeded):
    law = {
        "value": 240,
        "unit": "minutes",
        "source": LAW,
        "cases": [
            {"label": "城区", "value": 60, "unit": "minutes"},
            {"label": "边远地区", "value": 240, "unit": "minutes"},
        ],
    }
    promised = {"value": 45, "unit": "minutes", "source": PROMISE}
    lines = due_dates.due_lines(content(law, promised), datetime(2026, 3, 2, 15, 20))
    assert line_dates(lines) == [
        ("城区", "2026-03-02 16:05", "2026-03-02 16:20"),
        ("边远地区", "2026-03-02 16:05", "2026-03-02 19:20"),
    ]


def test_a_service_done_on_the_spot_has_no_due_date(seeded):
    now = {"value": 0, "unit": "on_the_spot"}
    data = content({"value": 5, "unit": "working_days", "source": LAW}, now)
    assert due_dates.due_lines(data, datetime(2026, 3, 2, 10)) == []
    assert due_dates.due_lines_change_at(content(promised=now), datetime(2026, 3, 2, 10)) is None


def test_due_lines_change_at_the_next_minute_when_a_limit_is_in_minutes(seeded):
    data = content(
        {"value": 20, "unit": "working_days", "source": LAW},
        {"value": 45, "unit": "minutes", "source": PROMISE},
    )
    start = datetime(2026, 3, 2, 10, 15, 40)
    later = due_dates.due_lines_change_at(data, start)
    assert later == datetime(2026, 3, 2, 10, 16, tzinfo=later.tzinfo)
    days_only = content({"value": 20, "unit": "working_days", "source": LAW})
    assert due_dates.due_lines_change_at(days_only, start).hour == 17


def test_an_estimated_statutory_date_is_marked_beyond_the_published_calendar(seeded):
    data = content({"value": 20, "unit": "working_days", "source": LAW})
    (line,) = due_dates.due_lines(data, datetime(2026, 12, 10, 10))
    assert not line.promised.is_estimate
    assert line.statutory.is_estimate and line.statutory.known_until == date(2026, 12, 31)


def test_the_api_names_no_basis_that_is_only_proposed(ctx):
    from services.models import BasisStatus
    from services.open_data.records import time_limit_sources
    from tests.factories import make_legal_basis

    proposed = make_legal_basis(status=BasisStatus.PROPOSED, title="尚未批准的规定")
    approved = make_legal_basis()
    content = {
        "time_limits": {
            "statutory": {
                "value": 20,
                "unit": "working_days",
                "source": {"kind": "law", "code": proposed.code, "article": "第一条"},
            },
            "promised": {
                "value": 5,
                "unit": "working_days",
                "source": {"kind": "law", "code": approved.code, "article": "第二条"},
            },
        }
    }
    listed = {row["field"]: row for row in time_limit_sources(content)}
    assert listed["time_limits.statutory"]["title"] is None
    assert listed["time_limits.promised"]["title"] == approved.title
