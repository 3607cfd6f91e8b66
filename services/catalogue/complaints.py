"""The complaint routes that head a utility's fee list: its own hotline, the price-complaint
line, the sector regulator's route and the route to its competent department (主管部门)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.models import Channel, ChannelKind, ChannelRole, Utility

HOTLINE_KINDS = {ChannelKind.COMPLAINT.value, ChannelKind.CONSULT.value}


@dataclass(frozen=True)
class ComplaintRoutes:
    """Where a resident takes a question or a complaint about a utility's fees."""

    hotlines: list[Channel]  # the utility's own service lines (95598)
    price_lines: list[Channel]  # city-wide price complaints (12315)
    regulators: list[Channel]  # the sector's regulator (power: 12398)
    competent: list[Channel]  # the utility's 主管部门 (政府信息公开条例 Art. 55)

    @property
    def first(self) -> list[Channel]:
        """What every fee list starts with: the utility's hotline and the price line."""
        return [*self.hotlines, *self.price_lines]

    @property
    def is_empty(self) -> bool:
        return not (self.hotlines or self.price_lines or self.regulators or self.competent)


def _serves(channel: Channel, utility: Utility) -> bool:
    # A utility's own route wins; a sector's route serves every utility of the sector.
    if channel.utility_id is not None:
        return channel.utility_id == utility.id
    return channel.sector == utility.sector


def complaint_routes(utility: Utility, channels: Iterable[Channel]) -> ComplaintRoutes:
    """The routes for `utility` among `channels` (every channel, in code order)."""
    channels = sorted(channels, key=lambda c: c.code)
    plain = [c for c in channels if c.role is None]
    by_role = {
        role: [c for c in channels if c.role == role and _serves(c, utility)]
        for role in ChannelRole
    }
    competent = by_role[ChannelRole.COMPETENT_DEPARTMENT]
    own_department = [c for c in competent if c.utility_id == utility.id]
    return ComplaintRoutes(
        hotlines=[
            c for c in plain if c.utility_id == utility.id and HOTLINE_KINDS & set(c.kinds or [])
        ],
        price_lines=[
            c for c in plain if c.utility_id is None and ChannelKind.PRICE.value in (c.kinds or [])
        ],
        regulators=by_role[ChannelRole.REGULATOR],
        competent=own_department or competent,
    )
