"""What each kind of item may hold: a service guide's fields, or a price notice's.

A tariff (价格公示) is not something a resident applies for: it has no processing time,
no materials, steps or visits. Older published tariffs may still carry such fields; they
stay valid as stored and are simply not shown (`kind_fields`).
"""

from __future__ import annotations

from typing import Any

from services.content.schema import ContentError
from services.models import ItemKind, Sector

# Fields of a service guide (办事指南) that mean nothing on a price notice.
SERVICE_ONLY = ("time_limits", "conditions", "materials", "steps", "visits", "result")
TARIFF_ONLY = ("price_notice",)


class KindError(ContentError):
    """A field the item's kind does not have, or lacks; `code` names the rule broken."""

    def __init__(self, field: str, code: str):
        super().__init__(field, KIND_PROBLEMS[code])
        self.code = code


KIND_PROBLEMS = {
    "service_only": "belongs to a service guide; a price notice has no such field, remove it",
    "tariff_only": "belongs to a price notice; a service does not have it",
    "time_limits_required": "a service states its statutory and promised time limits",
    "disclosure_rule": "is not a disclosure rule this utility's sector is bound by",
    "disclosure_value": "differs from the time the cited rule sets",
}


# 公开时限 of price information, by the 文号 of the rule that sets it, with the sectors it
# binds: 建城规〔2021〕4号 covers water, gas and heating companies (not power, telecoms,
# transport, hospitals or schools), which publish within 20 working days of a change.
DISCLOSURE_RULES: dict[str, tuple[frozenset[Sector], int, str]] = {
    "建城规〔2021〕4号": (
        frozenset({Sector.WATER, Sector.GAS, Sector.HEATING}),
        20,
        "working_days",
    ),
}


def check_kind(
    content: dict[str, Any],
    kind: ItemKind,
    sector: Sector | None,
    doc_numbers: dict[str, str],
) -> None:
    """Raise KindError unless the content holds the fields of its kind and no others.

    `doc_numbers` maps basis codes to their 文号, to tell which rule a disclosure cites.
    """
    if kind == ItemKind.TARIFF:
        for key in SERVICE_ONLY:
            if key in content:
                raise KindError(key, "service_only")
        disclosure = content.get("price_notice", {}).get("disclosure")
        if disclosure:
            _check_disclosure(disclosure, sector, doc_numbers)
        return
    for key in TARIFF_ONLY:
        if key in content:
            raise KindError(key, "tariff_only")
    if "time_limits" not in content:
        raise KindError("time_limits", "time_limits_required")


def _check_disclosure(
    disclosure: dict[str, Any], sector: Sector | None, doc_numbers: dict[str, str]
) -> None:
    field = "price_notice.disclosure"
    rule = DISCLOSURE_RULES.get(doc_numbers.get(disclosure["basis"]["code"], ""))
    if rule is None or sector not in rule[0]:
        raise KindError(f"{field}.basis.code", "disclosure_rule")
    if (disclosure["value"], disclosure["unit"]) != rule[1:]:
        raise KindError(f"{field}.value", "disclosure_value")


def kind_fields(content: dict[str, Any], kind: ItemKind) -> dict[str, Any]:
    """The content with the fields of its kind only: a tariff's leftover service fields (of
    an old published version) left out, as residents see it and as a new draft starts."""
    if kind != ItemKind.TARIFF:
        return content
    return {key: value for key, value in content.items() if key not in SERVICE_ONLY}
