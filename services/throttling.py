"""Counting what one place (a kiosk, a phone) sends, without knowing who or where it is:
a keyed digest of its address and browser, and how many rows it left lately."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

from sqlalchemy import func, select

from services.db import db


def source_digest(secret: str, *parts: str) -> str:
    """A keyed, irreversible digest of where a request came from: enough to count what one
    place sent, never enough to tell who or where it was."""
    message = "\x1f".join(parts).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sent_since(model: type, source: str, since: datetime) -> int:
    """How many rows of `model` (with `source_hash` and `created_at`) this source left since
    `since` (naive UTC)."""
    query = select(func.count(model.id)).where(
        model.source_hash == source, model.created_at > since
    )
    return db.session.scalar(query)
