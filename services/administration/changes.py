"""The public log of changes residents can see that are not new revisions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from services.db import db
from services.models import CatalogueChange


def note_change(
    subject: str,
    subject_id: int,
    action: str,
    name: str,
    *,
    link: dict[str, str] | None = None,
    fields: list[str] | None = None,
    note: str = "",
) -> CatalogueChange:
    """Add one entry to the public log; the caller commits."""
    change = CatalogueChange(
        subject=subject,
        subject_id=subject_id,
        action=action,
        name=name[:300],
        link=link or {},
        fields=fields or [],
        note=note,
    )
    db.session.add(change)
    db.session.flush()
    return change


def changes_since(since: datetime, limit: int = 200) -> list[CatalogueChange]:
    """Entries from `since` (naive UTC) on, newest first."""
    return list(
        db.session.scalars(
            select(CatalogueChange)
            .where(CatalogueChange.occurred_at >= since)
            .order_by(CatalogueChange.occurred_at.desc(), CatalogueChange.id.desc())
            .limit(limit)
        )
    )
