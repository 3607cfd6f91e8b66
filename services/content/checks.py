"""Whole-content checks before a revision is saved: the schema, then the rules it cannot say."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.content.kinds import check_kind
from services.content.schema import ContentError, validate_content
from services.content.text import check_text
from services.content.time_limits import check_time_limits, source_refs
from services.db import db
from services.fees.tariffs import check_fees
from services.models import Channel, ItemKind, LegalBasis, Sector


def basis_refs(content: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every legal-basis reference in the content, with the field it sits in."""
    refs = [(f"basis[{i}]", ref) for i, ref in enumerate(content.get("basis", []))]
    notice = content.get("price_notice", {})
    if "document" in notice:
        refs.append(("price_notice.document", notice["document"]))
    if "disclosure" in notice:
        refs.append(("price_notice.disclosure.basis", notice["disclosure"]["basis"]))
    for f, fee in enumerate(content.get("fees", [])):
        refs += [(f"fees[{f}].basis[{i}]", ref) for i, ref in enumerate(fee["basis"])]
        refs += [
            (f"fees[{f}].display_basis[{i}]", ref)
            for i, ref in enumerate(fee.get("display_basis", []))
        ]
        for r, reduction in enumerate(fee.get("reductions", [])):
            refs += [
                (f"fees[{f}].reductions[{r}].basis[{i}]", ref)
                for i, ref in enumerate(reduction.get("basis", []))
            ]
    return refs + source_refs(content)


def check_content(
    content: dict[str, Any], kind: ItemKind = ItemKind.SERVICE, sector: Sector | None = None
) -> None:
    """Raise ContentError naming the field unless the content may be saved for an item of
    this kind in this sector."""
    check_text(content)  # first: a hidden character is why a pattern fails
    validate_content(content)
    check_fees(content)
    check_time_limits(content)
    doc_numbers = {
        code: number
        for code, number in db.session.execute(select(LegalBasis.code, LegalBasis.doc_number))
    }
    for field, ref in basis_refs(content):
        if ref["code"] not in doc_numbers:
            raise ContentError(f"{field}.code", f"unknown legal basis {ref['code']!r}")
    check_kind(content, kind, sector, doc_numbers)
    known_channels = set(db.session.scalars(select(Channel.code)))
    for i, code in enumerate(content["channels"]):
        if code not in known_channels:
            raise ContentError(f"channels[{i}]", f"unknown channel {code!r}")
