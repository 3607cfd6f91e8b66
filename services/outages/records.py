"""Outages as open data: plain dictionaries for the API (no personal data is held)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.open_data.records import utc_text
from services.outages.models import Outage
from services.outages.queries import state_at


def outage_data(outage: Outage, now: datetime) -> dict[str, Any]:
    """One outage as the API gives it; times are RFC 3339 UTC."""
    return {
        "id": outage.id,
        "utility": outage.utility.slug,
        "sector": outage.utility.sector.value,
        "kind": outage.kind.value,
        "state": state_at(outage, now).value,
        "area": outage.area,
        "districts": list(outage.districts or []),
        "streets": list(outage.streets or []),
        "starts_at": utc_text(outage.starts_at),
        "ends_at": utc_text(outage.ends_at),
        "published_at": utc_text(outage.published_at),
        "cancelled_at": utc_text(outage.cancelled_at),
        "reason": outage.reason,
        "advice": outage.advice,
        "channel": outage.channel.code if outage.channel else None,
        "required_notice_hours": outage.required_notice_hours,
        "given_notice_hours": outage.given_notice_hours,
        "is_short_notice": outage.is_short_notice,
        "updates": [
            {
                "kind": update.kind.value,
                "occurred_at": utc_text(update.occurred_at),
                "ends_at": utc_text(update.ends_at),
                "note": update.note,
            }
            for update in outage.updates
        ],
    }
