"""English for fixed vocabulary written in Chinese: units and tariff components in fee
tables, and the names of the official holiday calendar.

Editors write units and components in Chinese from a closed list (see services.fees.sheet),
and the holiday calendar names its days as the State Council's notice does, so English
readers get them translated here instead of waiting for every revision's translation;
anything not in the lists is shown as written.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import format_date, get_locale, gettext

from services.content.localize import to_traditional

UNIT_PARTS_EN = {
    "元": "yuan",
    "立方米": "m³",
    "吨": "t",
    "千瓦时": "kWh",
    "千伏安": "kVA",
    "千瓦": "kW",
    "平方米": "m²",
    "采暖季": "heating season",
    "吉焦": "GJ",
    "户": "household",
    "月": "month",
    "年": "year",
    "日": "day",
    "小时": "hour",
    "分钟": "minute",
    "次": "time",
    "人次": "person-time",
    "人": "person",
    "生": "student",
    "学期": "term",
    "餐": "meal",
    "学生": "student",
    "处": "site",
    "只": "item",
    "个": "item",
    "套": "set",
    "台": "unit",
    "件": "piece",
    "张": "sheet",
    "页": "page",
}

COMPONENTS_EN = {
    "水费": "water charge",
    "水资源费": "water resource fee",
    "污水处理费": "sewage treatment fee",
}


def unit(text: str) -> str:
    """A price unit such as 元/立方米 in the reader's language (yuan/m³)."""
    locale = str(get_locale())
    if locale == "zh_Hant":
        return to_traditional(text)
    if locale != "en":
        return text
    parts = re.split(r"([/·])", text)
    if all(p in UNIT_PARTS_EN or p in "/·" for p in parts):
        return "".join(UNIT_PARTS_EN.get(p, p) for p in parts)
    return text


def component(text: str) -> str:
    """A tariff component such as 水费 in the reader's language."""
    locale = str(get_locale())
    if locale == "zh_Hant":
        return to_traditional(text)
    return COMPONENTS_EN.get(text, text) if locale == "en" else text


HOLIDAYS_EN = {
    "元旦": "New Year's Day",
    "农历除夕": "Chinese New Year's Eve",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
}
# How services.calendar.working_days and the holidays package name swapped days.
_OBSERVED = re.compile(r"(.+)（补假）")
_DAY_OFF = re.compile(r"休息日（由 (\d{4}-\d{2}-\d{2}) 调休）")
_WORKDAY = re.compile(r"调休上班(?:（(\d{4}-\d{2}-\d{2}) 休息）)?")


def holiday_name_en(name: str) -> str | None:
    """An official calendar day's name in English, or None for a name set locally."""
    if name in HOLIDAYS_EN:
        return HOLIDAYS_EN[name]
    if (match := _OBSERVED.fullmatch(name)) and match[1] in HOLIDAYS_EN:
        return gettext("%(holiday)s (day in lieu)", holiday=HOLIDAYS_EN[match[1]])
    if match := _DAY_OFF.fullmatch(name):
        day = format_date(date.fromisoformat(match[1]), "long")
        return gettext("Day off, worked instead on %(date)s", date=day)
    if match := _WORKDAY.fullmatch(name):
        if match[1] is None:
            return gettext("Adjusted workday")
        day = format_date(date.fromisoformat(match[1]), "long")
        return gettext("Working day, in exchange for %(date)s off", date=day)
    return None
