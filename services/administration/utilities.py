"""Utilities (实施主体) as the transparency office adds and edits them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from services.administration.changes import note_change
from services.administration.problems import Refused, columns
from services.db import db
from services.models import Nature, Sector, Utility
from services.publishing import audit

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
WEB_ADDRESS = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
TRANSLATED = ("name", "short_name", "address")
AUDITED = ("slug", "name", "short_name", "sector", "nature", "address", "website", "position")
# Shown on the utility's page and in every item's header.
PUBLIC = ("name", "short_name", "sector", "nature", "address", "website", "translations")


@dataclass
class UtilityData:
    """What the utility form holds, already typed."""

    slug: str
    name: str
    short_name: str
    sector: Sector
    nature: Nature
    address: str = ""
    website: str = ""
    position: int = 0
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


def is_web_address(text: str) -> bool:
    """True for an http or https address; other schemes (javascript:, ftp:) are refused."""
    return bool(WEB_ADDRESS.fullmatch(text))


def all_utilities() -> list[Utility]:
    """Every utility in display order."""
    return list(db.session.scalars(select(Utility).order_by(Utility.position, Utility.id)))


def _clean_translations(raw: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    # Blank translations are left out, so a reader falls back to the Chinese text.
    kept = {}
    for lang, texts in raw.items():
        present = {key: value.strip() for key, value in texts.items() if value and value.strip()}
        if present:
            kept[lang] = present
    return kept


def _check(data: UtilityData, utility: Utility | None) -> None:
    if not SLUG.fullmatch(data.slug):
        raise Refused("bad_slug", "slug")
    taken = db.session.scalar(select(Utility.id).where(Utility.slug == data.slug))
    if taken is not None and (utility is None or taken != utility.id):
        raise Refused("slug_taken", "slug", slug=data.slug)
    if data.website and not is_web_address(data.website):
        raise Refused("bad_web_address", "website")


def _describe(utility: Utility) -> dict[str, Any]:
    return columns(utility, AUDITED) | {"translations": utility.translations}


def save_utility(data: UtilityData, actor: str, utility: Utility | None = None) -> Utility:
    """Create a utility, or update `utility`, after checking the slug and the website."""
    _check(data, utility)
    before = _describe(utility) if utility else None
    public_before = {key: getattr(utility, key) for key in PUBLIC} if utility else None
    if utility is None:
        utility = Utility(slug=data.slug)
        db.session.add(utility)
    utility.slug = data.slug
    utility.name = data.name.strip()
    utility.short_name = data.short_name.strip()
    utility.sector = data.sector
    utility.nature = data.nature
    utility.address = data.address.strip()
    utility.website = data.website.strip()
    utility.position = data.position
    utility.translations = _clean_translations(data.translations)
    db.session.flush()
    after = _describe(utility)
    action = "utility.create" if before is None else "utility.update"
    audit.record(actor, action, "utility", utility.id, before, after)
    changed = [
        key for key in PUBLIC if public_before and public_before[key] != getattr(utility, key)
    ]
    if before is None or changed:
        note_change(
            "utility",
            utility.id,
            "created" if before is None else "changed",
            utility.name,
            link={"utility": utility.slug},
            fields=changed,
        )
    return utility
