"""The notice a planned outage owes residents, and whether it was given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Hours of notice owed before planned work, by sector; a city configures its own
# (OUTAGE_NOTICE_HOURS). Water: 24 h under the local supply regulations; power: 7 days,
# 电力供应与使用条例 Art. 28; gas: 48 h, 城镇燃气管理条例 Art. 24; heating: 24 h, as the
# local heating rules commonly ask. The count is in clock hours: holidays neither add
# to it nor shorten it.
DEFAULT_NOTICE_HOURS = {"water": 24, "power": 7 * 24, "gas": 48, "heating": 24}


@dataclass(frozen=True)
class NoticeCheck:
    """The notice owed and given, in whole hours; `required` None when none is owed."""

    required: int | None
    given: int

    @property
    def is_short(self) -> bool:
        return self.required is not None and self.given < self.required


def given_hours(published_at: datetime, starts_at: datetime) -> int:
    """Whole hours from publishing to the start (never less than 0)."""
    return max(0, int((starts_at - published_at).total_seconds() // 3600))


def check_notice(
    planned: bool,
    sector: str,
    published_at: datetime,
    starts_at: datetime,
    notice_hours: dict[str, int] | None = None,
) -> NoticeCheck:
    """How much notice an outage published at `published_at` gives, and how much it owes."""
    hours = DEFAULT_NOTICE_HOURS | (notice_hours or {})
    required = hours.get(sector) if planned else None
    return NoticeCheck(required, given_hours(published_at, starts_at))
