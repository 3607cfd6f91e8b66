"""Legal bases: added and edited by the transparency office, proposed by a utility's editor
from a draft, approved by a reviewer, and never deleted while a published revision cites them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from services.administration.changes import note_change
from services.administration.problems import Refused, columns
from services.administration.utilities import SLUG, is_web_address
from services.catalogue.queries import PUBLIC_STATUSES, current_revisions
from services.clock import today
from services.content.checks import basis_refs
from services.db import db
from services.models import BasisStatus, Item, LegalBasis, Revision, User, Utility
from services.publishing import audit

RANKS = (1, 2, 3, 4, 5)
AUDITED = (
    "code",
    "title",
    "doc_number",
    "issuer",
    "issued_on",
    "effective_on",
    "repealed_on",
    "version_in_force",
    "url",
    "articles",
    "rank",
    "status",
)


@dataclass
class BasisData:
    """What the legal-basis form holds, already typed."""

    code: str
    title: str
    doc_number: str = ""
    issuer: str = ""
    issued_on: date | None = None
    effective_on: date | None = None
    repealed_on: date | None = None
    version_in_force: str = ""
    url: str = ""
    articles: str = ""
    rank: int = 5
    translations: dict[str, Any] = field(default_factory=dict)


def all_bases() -> list[LegalBasis]:
    """Every legal basis, proposals first, then by rank and code."""
    return list(
        db.session.scalars(
            select(LegalBasis).order_by(
                LegalBasis.status != BasisStatus.PROPOSED, LegalBasis.rank, LegalBasis.code
            )
        )
    )


def _check(data: BasisData, basis: LegalBasis | None) -> None:
    if not SLUG.fullmatch(data.code):
        raise Refused("bad_slug", "code")
    taken = db.session.scalar(select(LegalBasis.id).where(LegalBasis.code == data.code))
    if taken is not None and (basis is None or taken != basis.id):
        raise Refused("code_taken", "code", code=data.code)
    if data.url and not is_web_address(data.url):
        raise Refused("bad_web_address", "url")
    if data.rank not in RANKS:
        raise Refused("bad_rank", "rank")
    if data.issued_on and data.effective_on and data.effective_on < data.issued_on:
        raise Refused("effective_before_issued", "effective_on")
    if data.repealed_on and data.effective_on and data.repealed_on < data.effective_on:
        raise Refused("repealed_before_effective", "repealed_on")


def _describe(basis: LegalBasis) -> dict[str, Any]:
    return columns(basis, AUDITED)


def _fill(basis: LegalBasis, data: BasisData) -> None:
    basis.code = data.code
    basis.title = data.title.strip()
    basis.doc_number = data.doc_number.strip()
    basis.issuer = data.issuer.strip()
    basis.issued_on = data.issued_on
    basis.effective_on = data.effective_on
    basis.repealed_on = data.repealed_on
    basis.version_in_force = data.version_in_force.strip()
    basis.url = data.url.strip()
    basis.articles = data.articles.strip()
    basis.rank = data.rank
    basis.translations = data.translations


def save_basis(data: BasisData, actor: str, basis: LegalBasis | None = None) -> LegalBasis:
    """Create an approved basis, or update `basis`; a repeal is noted publicly."""
    _check(data, basis)
    before = _describe(basis) if basis else None
    was_repealed = basis.repealed_on if basis else None
    if basis is None:
        basis = LegalBasis(code=data.code, status=BasisStatus.APPROVED)
        db.session.add(basis)
    _fill(basis, data)
    db.session.flush()
    action = "basis.create" if before is None else "basis.update"
    audit.record(actor, action, "legal_basis", basis.id, before, _describe(basis))
    if basis.status == BasisStatus.APPROVED and basis.repealed_on and not was_repealed:
        note_change("basis", basis.id, "repealed", basis.title, fields=["repealed_on"])
    return basis


def next_proposal_code(doc_number: str) -> str:
    """A free code for a proposed basis: "proposed-" and a number."""
    del doc_number  # 文号 hold brackets and CJK, so they make no code of their own
    n = 1
    existing = set(
        db.session.scalars(select(LegalBasis.code).where(LegalBasis.code.like("proposed-%")))
    )
    while f"proposed-{n}" in existing:
        n += 1
    return f"proposed-{n}"


def propose_basis(data: BasisData, editor: User, utility: Utility) -> LegalBasis:
    """A basis an editor needs and the catalogue lacks; only drafts of `utility` may cite
    it until a reviewer approves it."""
    _check(data, None)
    basis = LegalBasis(code=data.code, status=BasisStatus.PROPOSED)
    _fill(basis, data)
    basis.proposed_by_id = editor.id
    basis.proposed_for_id = utility.id
    db.session.add(basis)
    db.session.flush()
    audit.record(editor.username, "basis.propose", "legal_basis", basis.id, None, _describe(basis))
    return basis


def approve_basis(basis: LegalBasis, reviewer: User) -> LegalBasis:
    """Make a proposed basis part of the catalogue, citable by all and shown publicly."""
    if basis.status != BasisStatus.PROPOSED:
        raise Refused("not_proposed")
    if basis.proposed_by_id == reviewer.id:
        raise Refused("own_proposal")
    before = _describe(basis)
    basis.status = BasisStatus.APPROVED
    db.session.flush()
    audit.record(
        reviewer.username, "basis.approve", "legal_basis", basis.id, before, _describe(basis)
    )
    return basis


def cited_codes(content: dict[str, Any]) -> set[str]:
    """The codes of every legal basis a revision's content cites."""
    return {ref["code"] for _, ref in basis_refs(content)}


def proposed_in(content: dict[str, Any]) -> list[LegalBasis]:
    """The bases a revision cites that are still only proposed."""
    codes = cited_codes(content)
    if not codes:
        return []
    return list(
        db.session.scalars(
            select(LegalBasis).where(
                LegalBasis.code.in_(codes), LegalBasis.status == BasisStatus.PROPOSED
            )
        )
    )


def _display_order(item: Item) -> tuple:
    return (item.utility.position, item.utility_id, item.position, item.id)


def citing_items(basis: LegalBasis) -> list[Item]:
    """Items with a published revision (current, upcoming or superseded) citing the basis,
    by utility and position."""
    found: dict[int, Item] = {}
    revisions = db.session.scalars(
        select(Revision).where(
            Revision.status.in_(PUBLIC_STATUSES), Revision.effective_from.is_not(None)
        )
    )
    for revision in revisions:
        if basis.code in cited_codes(revision.content):
            found[revision.item_id] = revision.item
    return sorted(found.values(), key=_display_order)


def delete_basis(basis: LegalBasis, actor: str) -> None:
    """Delete a basis nobody's published revision cites; otherwise refuse, naming the items."""
    citing = citing_items(basis)
    if citing:
        raise Refused("basis_cited", items=citing)
    before = _describe(basis)
    db.session.delete(basis)
    db.session.flush()
    audit.record(actor, "basis.delete", "legal_basis", before["code"], before, None)


@dataclass(frozen=True)
class RepealedCitation:
    basis: LegalBasis
    items: list[Item]


def repealed_citations(on: date | None = None) -> list[RepealedCitation]:
    """Repealed bases still cited by a revision in force, with those items; one pass over
    the revisions in force, however many bases were repealed."""
    on = on or today()
    repealed = {
        basis.code: basis
        for basis in db.session.scalars(
            select(LegalBasis).where(
                LegalBasis.repealed_on.is_not(None), LegalBasis.repealed_on <= on
            )
        )
    }
    if not repealed:
        return []
    items = list(db.session.scalars(select(Item)))
    current = current_revisions(items, on)
    citing: dict[str, list[Item]] = {}
    for item in items:
        if item.id in current:
            for code in cited_codes(current[item.id].content) & repealed.keys():
                citing.setdefault(code, []).append(item)
    return [
        RepealedCitation(repealed[code], sorted(found, key=_display_order))
        for code, found in sorted(citing.items())
    ]


def proposed_bases() -> list[LegalBasis]:
    """Bases waiting for a reviewer's approval."""
    return list(
        db.session.scalars(
            select(LegalBasis)
            .where(LegalBasis.status == BasisStatus.PROPOSED)
            .order_by(LegalBasis.id)
        )
    )
