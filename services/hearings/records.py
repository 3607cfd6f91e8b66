"""Hearings as open data: the announcement, the window and the summary; never a comment's
text or anyone's contact."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from services.hearings.models import Hearing
from services.hearings.queries import stage_at
from services.open_data.records import utc_text


def hearing_data(hearing: Hearing, now: datetime) -> dict[str, Any]:
    """One hearing as the API gives it; times are RFC 3339 UTC."""
    pricing = hearing.draft_content["fees"][hearing.fee_index]["pricing"]
    summary = None
    if hearing.summary_published_at is not None:
        summary = {
            "published_at": utc_text(hearing.summary_published_at),
            "comments": hearing.summary_comment_count or 0,
            "main_points": hearing.summary_points,
            "accepted": hearing.summary_accepted,
            "not_accepted": hearing.summary_not_accepted,
        }
    return {
        "id": hearing.id,
        "utility": hearing.utility.slug,
        "item": hearing.item.code,
        "kind": hearing.kind.value,
        "stage": stage_at(hearing, now).value,
        "title": hearing.title,
        "proposal": hearing.proposal,
        "reasons": hearing.reasons,
        "basis": hearing.basis,
        "held_at": utc_text(hearing.held_at),
        "place": hearing.place,
        "how_to_take_part": hearing.how_to_take_part,
        "comments_open_at": utc_text(hearing.comments_open_at),
        "comments_close_at": utc_text(hearing.comments_close_at),
        "signup_close_at": utc_text(hearing.signup_close_at),
        "signup_places": hearing.signup_places,
        "published_at": utc_text(hearing.published_at),
        "draft_tiers": [
            {"lower": t["lower"], "upper": t.get("upper"), "price": t["price"]}
            for t in pricing["tiers"]
        ],
        "summary": summary,
    }
