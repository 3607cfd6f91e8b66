"""Query parameters of the API, read strictly: a value the OpenAPI document forbids is a 400."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from flask import abort, request, url_for

from kiosk.api.openapi import MAX_PAGE, MAX_PER_PAGE
from services.clock import city_zone, today
from services.open_data.records import Page

DEFAULT_PER_PAGE = 50
DIGITS = re.compile(r"[0-9]{1,9}")
DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# RFC 3339 date-time; a leap second (":60") is read as the second before it.
MOMENT = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})?"
)


def single(name: str) -> str | None:
    """The one value of query parameter `name`; giving it twice is an error."""
    values = request.args.getlist(name)
    if len(values) > 1:
        abort(400, description=f"Give the parameter '{name}' at most once.")
    return values[0] if values else None


def integer(name: str, default: int, lowest: int, highest: int) -> int:
    raw = single(name)
    if raw is None:
        return default
    if not DIGITS.fullmatch(raw) or not lowest <= int(raw) <= highest:
        abort(400, description=f"'{name}' must be a whole number from {lowest} to {highest}.")
    return int(raw)


def paging() -> tuple[int, int]:
    """The requested page number and page size."""
    return (
        integer("page", 1, 1, MAX_PAGE),
        integer("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    )


def parse_day(raw: str, name: str) -> date:
    match = DAY.fullmatch(raw)
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass  # 2024-02-30 and the like: reported below
    abort(400, description=f"'{name}' must be a date written YYYY-MM-DD, not '{raw[:60]}'.")


def day(name: str = "on") -> date:
    """A date parameter (YYYY-MM-DD); today in the city when absent."""
    raw = single(name)
    return today() if raw is None else parse_day(raw, name)


def moment(name: str) -> datetime | None:
    """A date or RFC 3339 date-time parameter as naive UTC (a bare date or time is city time)."""
    raw = single(name)
    if raw is None:
        return None
    match = MOMENT.fullmatch(raw)
    if match is None:
        if DAY.fullmatch(raw):
            return _as_utc(datetime.combine(parse_day(raw, name), datetime.min.time()), None)
        abort(400, description=f"'{name}' must be a date or RFC 3339 date-time, not '{raw[:60]}'.")
    on, hour, minute, second, fraction, offset = match.groups()
    start = datetime.combine(parse_day(on, name), datetime.min.time())
    if int(hour) > 23 or int(minute) > 59 or int(second) > 60:
        abort(400, description=f"'{name}' has an impossible time of day: '{raw[:60]}'.")
    micro = int(((fraction or ".0")[1:] + "000000")[:6])
    local = start.replace(hour=int(hour), minute=int(minute), second=min(int(second), 59))
    return _as_utc(local.replace(microsecond=micro), offset)


def _as_utc(local: datetime, offset: str | None) -> datetime:
    if offset is None:
        zone = city_zone()
    elif offset in ("Z", "z"):
        zone = UTC
    else:
        sign = -1 if offset[0] == "-" else 1
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        if hours > 23 or minutes > 59:
            abort(400, description=f"The time zone offset '{offset}' is not possible.")
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        return local.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    except OverflowError:  # within a day of year 1 or 9999: clamp to the ends of time
        return datetime.min if local.year < 5000 else datetime.max


def choice(name: str, allowed: tuple[str, ...]) -> str | None:
    raw = single(name)
    if raw is not None and raw not in allowed:
        abort(400, description=f"'{name}' must be one of: {', '.join(allowed)}.")
    return raw


def link_to(page: int) -> str:
    """This request's URL with another page number."""
    args: dict[str, Any] = request.args.to_dict() | {"page": page}
    return url_for(request.endpoint, **(request.view_args or {}), **args, _external=True)


def listing(result: Page, data: list[dict[str, Any]]):
    """A page of a list: the rows, where it stands, and links to its neighbours.

    The same links go in an RFC 8288 Link header for clients that follow those.
    """
    links = {
        "self": link_to(result.page),
        "first": link_to(1),
        "last": link_to(result.pages),
        "next": link_to(result.page + 1) if result.page < result.pages else None,
        "prev": link_to(min(result.page - 1, result.pages)) if result.page > 1 else None,
    }
    body = {
        "data": data,
        "meta": {
            "page": result.page,
            "per_page": result.per_page,
            "total": result.total,
            "pages": result.pages,
        },
        "links": links,
    }
    header = ", ".join(
        f'<{url}>; rel="{rel}"' for rel, url in links.items() if url and rel != "self"
    )
    return body, 200, {"Link": header}
