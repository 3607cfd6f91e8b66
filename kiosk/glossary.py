"""English for the fixed vocabulary inside fee tables: units and tariff components.

Editors write units and components in Chinese from a closed list (see services.fees.sheet),
so English readers get them translated here instead of waiting for every revision's
translation; anything not in the list is shown as written.
"""

from __future__ import annotations

import re

from flask_babel import get_locale

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
