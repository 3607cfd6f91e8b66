"""Channels for enquiries, complaints, supervision and repairs: the city's and each utility's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from services.administration.changes import note_change
from services.administration.problems import Refused, columns
from services.administration.utilities import SLUG, is_web_address
from services.db import db
from services.models import Channel, ChannelKind, ChannelRole, Sector, Utility
from services.publishing import audit

# 区号-号码 (0519-88881234), service numbers (12345, 95598), 400/800 lines, mobiles.
PHONE = re.compile(r"[0-9][0-9 \-]{2,30}[0-9](?:[,，、/][0-9][0-9 \-]{2,30}[0-9])*")
PUBLIC = ("kinds", "name", "phone", "url", "hours", "utility_id", "translations", "role", "sector")


@dataclass
class ChannelData:
    """What the channel form holds, already typed."""

    code: str
    name: str
    kinds: list[ChannelKind]
    phone: str = ""
    url: str = ""
    hours: str = ""
    utility: Utility | None = None
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    # A regulator's or 主管部门's route, for one sector or (with `utility`) one utility.
    role: ChannelRole | None = None
    sector: Sector | None = None


def all_channels() -> list[Channel]:
    """The city's channels first, then each utility's, by code."""
    return list(
        db.session.scalars(
            select(Channel).order_by(
                Channel.utility_id.is_not(None), Channel.utility_id, Channel.code
            )
        )
    )


def _check(data: ChannelData, channel: Channel | None) -> None:
    if not SLUG.fullmatch(data.code):
        raise Refused("bad_slug", "code")
    taken = db.session.scalar(select(Channel.id).where(Channel.code == data.code))
    if taken is not None and (channel is None or taken != channel.id):
        raise Refused("code_taken", "code", code=data.code)
    if not data.kinds:
        raise Refused("no_kind", "kinds")
    if not data.phone and not data.url:
        raise Refused("phone_or_url", "phone")
    if data.phone and not PHONE.fullmatch(data.phone):
        raise Refused("bad_phone", "phone")
    if data.url and not is_web_address(data.url):
        raise Refused("bad_web_address", "url")
    if data.role is not None and data.sector is None and data.utility is None:
        # Else the route would head no fee list: say whose regulator or department it is.
        raise Refused("role_needs_sector", "route_sector")


def _describe(channel: Channel) -> dict[str, Any]:
    return columns(channel, ("code", *PUBLIC))


def save_channel(data: ChannelData, actor: str, channel: Channel | None = None) -> Channel:
    """Create a channel, or update `channel`; what residents see of it goes to the public log."""
    _check(data, channel)
    before = _describe(channel) if channel else None
    if channel is None:
        channel = Channel(code=data.code)
        db.session.add(channel)
    channel.code = data.code
    channel.name = data.name.strip()
    channel.kinds = [kind.value for kind in dict.fromkeys(data.kinds)]
    channel.phone = data.phone.strip()
    channel.url = data.url.strip()
    channel.hours = data.hours.strip()
    channel.utility = data.utility
    channel.role = data.role
    channel.sector = data.sector
    channel.translations = {
        lang: {"name": texts["name"].strip()}
        for lang, texts in data.translations.items()
        if texts.get("name", "").strip()
    }
    db.session.flush()
    after = _describe(channel)
    audit.record(
        actor,
        "channel.create" if before is None else "channel.update",
        "channel",
        channel.id,
        before,
        after,
    )
    changed = [key for key in PUBLIC if before and before[key] != after[key]]
    if before is None or changed:
        link = {"utility": channel.utility.slug} if channel.utility else {}
        note_change(
            "channel",
            channel.id,
            "created" if before is None else "changed",
            f"{channel.name} {channel.phone}".strip(),
            link=link,
            fields=changed,
        )
    return channel
