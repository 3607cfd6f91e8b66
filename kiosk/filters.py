"""Jinja filters that format money, dates, time limits and translated names for the reader."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask
from flask_babel import format_currency, format_date, format_decimal
from markupsafe import Markup, escape

from kiosk.glossary import component, unit
from kiosk.i18n import active_locale, gettext, install_gettext, ngettext
from kiosk.labels import fee_badge, label
from services import clock
from services.content.localize import (
    FallbackText,
    bcp47,
    has_converted,
    has_fallback,
    localized_content,
    localized_field,
    localized_name,
    localized_summary,
    to_traditional,
)


def money(value: str | Decimal) -> str:
    """¥1,234.50 in the reader's locale."""
    # currency_digits=False: unit prices such as ¥0.5283/kWh keep all their digits.
    text = format_currency(Decimal(value), "CNY", format="¤#,##0.00##", currency_digits=False)
    # CLDR's English symbol is "CN¥"; residents read "¥" in every language.
    return text.replace("CN¥", "¥")


def quantity(value: str | Decimal | None) -> str:
    """A tier bound or usage figure without trailing zeros."""
    if value is None:
        return ""
    return format_decimal(Decimal(value), format="#,##0.####")


def long_date(value: date | str | None) -> str:
    """2027年1月1日 / January 1, 2027."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return format_date(value, format="long")


def city_time(value: datetime | None) -> str:
    """A moment in the city's time: 2027年1月1日 08:30 / January 1, 2027 08:30 (naive = UTC)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(clock.city_zone())
    return f"{format_date(local.date(), format='long')} {local:%H:%M}"


def city_date(moment: datetime) -> date:
    """The city's date of a moment stored as naive UTC."""
    return moment.replace(tzinfo=UTC).astimezone(clock.city_zone()).date()


def time_limit(limit: dict[str, Any] | None) -> str:
    """A time limit in words: 当场办结, 5 个工作日, 3 calendar days."""
    if not limit:
        return ""
    value, unit = limit["value"], limit["unit"]
    if unit == "on_the_spot":
        return gettext("On the spot")
    if unit == "working_days":
        return ngettext("%(num)d working day", "%(num)d working days", value)
    if unit == "calendar_days":
        return ngettext("%(num)d calendar day", "%(num)d calendar days", value)
    if unit == "minutes":
        return ngettext("%(num)d minute", "%(num)d minutes", value)
    return ngettext("%(num)d hour", "%(num)d hours", value)


def due_moment(due: Any) -> str:
    """A due date (calendar.DueDate) as shown: its date, or for a limit in hours or minutes
    its time of day, with the date unless it is today."""
    if due.at is None:
        return long_date(due.on)
    if due.at.date() == clock.today():
        return f"{due.at:%H:%M}"
    return f"{long_date(due.at.date())} {due.at:%H:%M}"


def translated(obj: Any, field: str) -> str:
    """A model field in the reader's language: its translation, converted Traditional, or
    itself (marked as a fallback, see lang_attr)."""
    return localized_field(obj, field, str(active_locale()))


def change_summary(revision: Any) -> str:
    """A revision's change summary in the reader's language (marked as content texts are)."""
    return localized_summary(revision.content, revision.change_summary, str(active_locale()))


def lang_attr(value: Any) -> Markup:
    """The attributes an element showing `value` needs: `lang="zh-Hans"` when its text is
    Simplified Chinese shown for want of a translation, `data-converted` when it was
    converted to Traditional automatically; nothing otherwise."""
    if has_fallback(value):
        return Markup(' lang="zh-Hans"')
    if has_converted(value):
        return Markup(" data-converted")
    return Markup("")


def marked(value: Any) -> Markup:
    """`value` as HTML, inside its own `<span lang="zh-Hans">` when it fell back to
    Simplified Chinese (for text that has no element of its own)."""
    if isinstance(value, FallbackText):
        return Markup('<span lang="zh-Hans">%s</span>') % value
    return escape(value)


def weekdays(days: list[int]) -> str:
    """[1, 2, 3, 4, 5] → 周一至周五 / Mon–Fri; single days and lists otherwise."""
    names = [
        gettext("Mon"),
        gettext("Tue"),
        gettext("Wed"),
        gettext("Thu"),
        gettext("Fri"),
        gettext("Sat"),
        gettext("Sun"),
    ]
    days = sorted(days)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return gettext("%(first)s–%(last)s", first=names[days[0] - 1], last=names[days[-1] - 1])
    return gettext(", ").join(names[d - 1] for d in days)


def localized(content: dict[str, Any]) -> dict[str, Any]:
    """Revision content in the reader's language (see services.content.localize)."""
    return localized_content(content, str(active_locale()))[0]


def name_of(content: dict[str, Any]) -> str:
    """A revision's name in the reader's language (see services.content.localize)."""
    return localized_name(content, str(active_locale()))


def percent(value: Any) -> str:
    """A percentage such as 97.5%, or a dash where there was nothing to count."""
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0.0") + "%"


def category_label(category: str, utility: Any = None) -> str:
    """An item category in the reader's language, from the utility's translations."""
    locale = str(active_locale())
    if utility is not None:
        own = (utility.translations or {}).get(locale, {}).get("categories", {}).get(category)
        if own:
            return own
    return to_traditional(category) if locale == "zh_Hant" else category


def chinese_text(text: str) -> str:
    """Text entered in Chinese (a district's name), in Traditional characters for zh_Hant."""
    return to_traditional(text) if str(active_locale()) == "zh_Hant" else text


def doc_number(text: str) -> Markup:
    """A document's 文号 as residents read it: in Traditional characters on zh_Hant pages,
    and on pages in other languages marked as Chinese, so that it is read out as such. It is
    an identifier, not text awaiting translation: its class says so."""
    locale = str(active_locale())
    lang = "" if locale.startswith("zh") else Markup(' lang="zh-Hans"')
    shown = to_traditional(text) if locale == "zh_Hant" else text
    return Markup('<span class="doc-number"%s>%s</span>') % (lang, shown)


def filesize(size: int) -> str:
    """A file's size as people read it: 812 KB, 4.2 MB."""
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)))} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


def init_app(app: Flask) -> None:
    install_gettext(app.jinja_env)
    for fn in (
        money,
        quantity,
        long_date,
        city_time,
        chinese_text,
        doc_number,
        city_date,
        time_limit,
        due_moment,
        translated,
        weekdays,
        unit,
        component,
        bcp47,
        percent,
        filesize,
        change_summary,
        lang_attr,
        marked,
    ):
        app.add_template_filter(fn)
    app.add_template_global(label)
    app.add_template_global(fee_badge)
    app.add_template_global(localized)
    app.add_template_global(name_of)
    app.add_template_global(category_label)
    app.add_template_global(lambda sector: label("sector", sector), "sector_label")
