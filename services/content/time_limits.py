"""Time limits in revision content: where each sits, its cases, and the rules the schema
cannot say (a statutory limit cites its law, a case split names its longest figure, a note
states no other figure than the one the due date is counted from)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from services.content.schema import ContentError

# Clock units run around the clock, nights and holidays included: a repair promised within
# 2 hours of a call at 23:00 is due at 01:00.
CLOCK_UNITS = ("hours", "minutes")
# Roughly how long each unit lasts, in minutes, only to tell which case is the longest (a
# working day is counted as 7/5 of a calendar day: 5 of them never take less than a week).
_ROUGH_MINUTES = {
    "on_the_spot": 0,
    "minutes": 1,
    "hours": 60,
    "calendar_days": 24 * 60,
    "working_days": 24 * 60 * 7 / 5,
}
# A duration written in a note: "15个工作日", "二十日", "45 分钟", "3 working days".
_NUMBER = r"\d+|[零〇一二两三四五六七八九十]+"
_UNIT_WORDS = {
    "工作日": "working_days",
    "自然日": "calendar_days",
    "日": "calendar_days",
    "天": "calendar_days",
    "小时": "hours",
    "分钟": "minutes",
    "working day": "working_days",
    "calendar day": "calendar_days",
    "day": "calendar_days",
    "hour": "hours",
    "minute": "minutes",
}
_STATED = re.compile(
    rf"(?<![月\d])({_NUMBER})\s*(?:个)?\s*"
    rf"({'|'.join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True))})s?",
    re.IGNORECASE,
)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


class TimeLimitError(ContentError):
    """A time limit that breaks a rule; `code` names the rule, `params` fill its message."""

    def __init__(self, field: str, code: str, **params: str):
        super().__init__(field, PROBLEMS[code] % params if params else PROBLEMS[code])
        self.code = code
        self.params = params


PROBLEMS = {
    "statutory_without_basis": "a statutory time limit must cite the law that sets it "
    "(choose “set by law” and the legal basis); a promise goes in the promised limit",
    "basis_missing": "choose the legal basis that sets this time limit",
    "article_missing": "give the article that sets this time limit",
    "promise_with_basis": "a promise cites no legal basis; choose “set by law” or clear it",
    "not_longest_case": "with cases, the value and unit are those of the longest case",
    "note_contradicts": "states “%(stated)s”, which is not the figure the due date is "
    "counted from; correct the note, or list each figure as a case",
}


def limits_of(content: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every time limit in the content: (field path, slot, limit); the slot is "statutory",
    "promised" or "step"."""
    limits = content.get("time_limits") or {}
    for slot in ("statutory", "promised"):
        if isinstance(limits.get(slot), dict):
            yield f"time_limits.{slot}", slot, limits[slot]
    for i, step in enumerate(content.get("steps") or []):
        if isinstance(step.get("time_limit"), dict):
            yield f"steps[{i}].time_limit", "step", step["time_limit"]


def source_refs(content: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The legal bases time limits cite, as basis references with the field they sit in."""
    return [
        (f"{path}.source", {"code": limit["source"]["code"]})
        for path, _slot, limit in limits_of(content)
        if (limit.get("source") or {}).get("code")
    ]


def cases_of(limit: dict[str, Any]) -> list[tuple[str | None, dict[str, Any]]]:
    """(label, limit) for each case of a limit; one unlabelled case if it has none."""
    cases = limit.get("cases") or []
    return [(case["label"], case) for case in cases] if cases else [(None, limit)]


def _rough(limit: dict[str, Any]) -> float:
    return limit["value"] * _ROUGH_MINUTES[limit["unit"]]


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _ten, ones = text.partition("十")
        return _DIGITS.get(tens, 1) * 10 + _DIGITS.get(ones, 0)
    return int("".join(str(_DIGITS[ch]) for ch in text))


def _minutes_or_days(value: int, unit: str) -> tuple[int, str]:
    # Hours and minutes are one measure; the day units are each their own.
    return (value * 60, "minutes") if unit == "hours" else (value, unit)


def stated_durations(note: str) -> Iterator[tuple[str, int, str]]:
    """Every duration a note states: (the words as written, value, unit)."""
    for match in _STATED.finditer(note):
        yield match[0], _number(match[1]), _UNIT_WORDS[match[2].lower()]


def check_time_limits(content: dict[str, Any]) -> None:
    """Raise TimeLimitError for the first time limit that breaks a rule."""
    for path, slot, limit in limits_of(content):
        source = limit.get("source") or {}
        if slot == "statutory" and source.get("kind") != "law":
            raise TimeLimitError(f"{path}.source", "statutory_without_basis")
        if source.get("kind") == "law":
            if not source.get("code"):
                raise TimeLimitError(f"{path}.source.code", "basis_missing")
            if not (source.get("article") or "").strip():
                raise TimeLimitError(f"{path}.source.article", "article_missing")
        elif source.get("code"):
            raise TimeLimitError(f"{path}.source.code", "promise_with_basis")
        cases = limit.get("cases") or []
        if cases:
            longest = max(_rough(case) for case in cases)
            own = (limit["value"], limit["unit"])
            if own not in {(c["value"], c["unit"]) for c in cases} or _rough(limit) < longest:
                raise TimeLimitError(f"{path}.value", "not_longest_case")
        figures = {_minutes_or_days(c["value"], c["unit"]) for _label, c in cases_of(limit)}
        figures.add(_minutes_or_days(limit["value"], limit["unit"]))
        for words, value, unit in stated_durations(limit.get("note") or ""):
            if _minutes_or_days(value, unit) not in figures:
                raise TimeLimitError(f"{path}.note", "note_contradicts", stated=words)
