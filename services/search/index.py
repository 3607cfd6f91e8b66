"""Catalogue search: an index row per item, and ranked, grouped, highlighted results.

Matching is plain substring tests on the folded columns (services.search.matching), so
SQLite and PostgreSQL behave the same without extensions (an FTS5 trigram index silently
finds nothing for one- and two-character queries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup
from sqlalchemy import func, select

from services.catalogue import queries as catalogue
from services.clock import today
from services.content.localize import bcp47, to_traditional
from services.db import db
from services.models import (
    Item,
    ItemKind,
    ItemStatus,
    Revision,
    RevisionStatus,
    SearchEntry,
    Utility,
)
from services.search.matching import BODY, SearchIndex, best_matches, load_search_index
from services.search.text import (
    Folded,
    Query,
    annotate,
    find_spans,
    fold,
    highlight,
    parse_query,
)

SNIPPET_BEFORE, SNIPPET_AFTER = 12, 36


def searchable_body(item: Item, content: dict[str, Any]) -> str:
    """The text besides the name that a resident may search for, one line per piece."""
    lines = [item.category, content.get("summary", ""), content.get("result", "")]
    lines += content.get("conditions", [])
    lines += [m["name"] for m in content.get("materials", [])]
    lines += [s["title"] for s in content.get("steps", [])]
    for fee in content.get("fees", []):
        lines += [fee["name"], fee.get("customer_class", "")]
    lines += [qa["question"] for qa in content.get("faq", [])]
    return "\n".join(line for line in lines if line)


def _names(content: dict[str, Any]) -> dict[str, str]:
    translations = content.get("translations", {})
    return {
        "zh_Hans": content["name"],
        "zh_Hant": translations.get("zh_Hant", {}).get("name", ""),
        "en": translations.get("en", {}).get("name", ""),
    }


def _fill(entry: SearchEntry, item: Item, revision: Revision | None, refresh_on: date | None):
    if item.status != ItemStatus.ACTIVE:
        revision = None  # suspended and retired items are not found
    entry.utility_id = item.utility_id
    entry.revision_id = revision.id if revision else None
    entry.refresh_on = refresh_on
    if revision is None:
        names, name, body = {}, annotate(""), annotate("")
    else:
        names = _names(revision.content)
        name = annotate("\n".join(n for n in (names["zh_Hans"], names["en"]) if n))
        body = annotate(searchable_body(item, revision.content))
    entry.names = names
    entry.name, entry.name_initials = name.text, name.initials
    entry.name_pinyin, entry.name_pinyin_spaced = name.pinyin, name.pinyin_spaced
    entry.body, entry.body_initials = body.text, body.initials
    entry.body_pinyin_spaced = body.pinyin_spaced


def _next_dates(item_ids: list[int], on: date) -> dict[int, date]:
    """For each item, the date its next scheduled revision takes effect."""
    query = (
        select(Revision.item_id, func.min(Revision.effective_from))
        .where(
            Revision.item_id.in_(item_ids),
            Revision.status == RevisionStatus.PUBLISHED,
            Revision.effective_from > on,
        )
        .group_by(Revision.item_id)
    )
    return {item_id: on_date for item_id, on_date in db.session.execute(query)}


def _index(items: list[Item], on: date) -> int:
    current = catalogue.current_revisions(items, on)
    upcoming = _next_dates([i.id for i in items], on)
    entries = {
        e.item_id: e
        for e in db.session.scalars(
            select(SearchEntry).where(SearchEntry.item_id.in_([i.id for i in items]))
        )
    }
    for item in items:
        entry = entries.get(item.id)
        if entry is None:
            entry = SearchEntry(item_id=item.id)
            db.session.add(entry)
        _fill(entry, item, current.get(item.id), upcoming.get(item.id))
    db.session.flush()
    return len(items)


def index_item(item: Item, on: date | None = None) -> None:
    """Bring the item's search entry up to date; call when a revision is published or
    becomes current, and when the item's status changes."""
    _index([item], on or today())


def rebuild_search_index(on: date | None = None) -> int:
    """Rebuild every item's search entry; returns how many items were indexed."""
    on = on or today()
    items = list(db.session.scalars(select(Item).order_by(Item.id)))
    # Chunks keep the IN lists under every database's parameter limit.
    return sum(_index(items[n : n + 500], on) for n in range(0, len(items), 500))


def refresh_due_entries(on: date | None = None) -> int:
    """Re-index items whose scheduled revision has taken effect; returns how many."""
    on = on or today()
    due = list(
        db.session.scalars(
            select(Item)
            .join(SearchEntry, SearchEntry.item_id == Item.id)
            .where(SearchEntry.refresh_on <= on)
        )
    )
    return _index(due, on) if due else 0


@dataclass(frozen=True)
class SearchHit:
    utility_slug: str
    item_slug: str
    kind: ItemKind
    rank: int
    name_html: Markup
    # The Chinese name, shown beside an English one that carries no mark.
    original_html: Markup | None
    snippet_html: Markup | None
    snippet_lang: str


@dataclass
class SearchGroup:
    utility: Utility
    hits: list[SearchHit] = field(default_factory=list)


@dataclass
class SearchResults:
    query: str
    total: int = 0
    groups: list[SearchGroup] = field(default_factory=list)
    # Entries re-indexed first because a scheduled revision took effect: commit them.
    refreshed: int = 0

    @property
    def shown(self) -> int:
        return sum(len(g.hits) for g in self.groups)


def _display_name(names: dict[str, str], locale: str) -> str:
    if locale == "zh_Hant":
        return names.get("zh_Hant") or to_traditional(names["zh_Hans"])
    if locale == "en":
        return names.get("en") or names["zh_Hans"]
    return names["zh_Hans"]


def _name_lines(entry: SearchEntry) -> list[Folded]:
    """The stored folded name, one Folded per line (Chinese, then English if any)."""
    folded = Folded(entry.name, entry.name_initials, entry.name_pinyin_spaced)
    if not folded.is_aligned:
        return []
    syllables = entry.name_pinyin_spaced.split(" ")[1:]
    lines, start = [], 0
    for line in entry.name.split("\n"):
        end = start + len(line)
        spaced = "".join(" " + s for s in syllables[start:end])
        lines.append(Folded(line, entry.name_initials[start:end], spaced))
        start = end + 1
    return lines


def _marked(text: str, query: Query, stored: list[Folded]) -> tuple[Markup, bool]:
    # The index already holds the name folded and read as pinyin; fold it again (which
    # needs pypinyin's dictionaries) only for a name it does not hold, such as an own
    # Traditional translation.
    folded = fold(text)
    known = next((line for line in stored if line.text == folded), None)
    spans = find_spans(known or annotate(text), query)
    return highlight(text, spans), bool(spans)


def _snippet(entry: SearchEntry, query: Query, locale: str) -> Markup | None:
    """The line of the body where the query matched, cut short around the match."""
    folded = Folded(entry.body, entry.body_initials, entry.body_pinyin_spaced)
    spans = find_spans(folded, query) if folded.is_aligned else []
    if not spans:
        return None
    first, last = spans[0]
    line_start = entry.body.rfind("\n", 0, first) + 1
    line_end = entry.body.find("\n", last)
    line_end = len(entry.body) if line_end == -1 else line_end
    start = max(line_start, first - SNIPPET_BEFORE)
    end = min(line_end, last + SNIPPET_AFTER)
    text = entry.body[start:end]
    if locale == "zh_Hant" and len(converted := to_traditional(text)) == len(text):
        text = converted
    shifted = [(a - start, b - start) for a, b in spans if a >= start and b <= end]
    lead = "…" if start > line_start else ""
    tail = "…" if end < line_end else ""
    return Markup(lead) + highlight(text, shifted) + Markup(tail)


def _hit(
    entry: SearchEntry, item: Item, utility: Utility, rank: int, query: Query, locale: str
) -> SearchHit:
    stored = _name_lines(entry)
    name_html, marked = _marked(_display_name(entry.names, locale), query, stored)
    original_html = None
    if not marked and locale == "en" and entry.names.get("en"):
        original_html = _marked(entry.names["zh_Hans"], query, stored)[0]
    return SearchHit(
        utility_slug=utility.slug,
        item_slug=item.slug,
        kind=item.kind,
        rank=rank,
        name_html=name_html,
        original_html=original_html,
        snippet_html=_snippet(entry, query, locale) if rank == BODY else None,
        snippet_lang=bcp47("zh_Hant" if locale == "zh_Hant" else "zh_Hans"),
    )


def search_catalogue(
    raw_query: str, locale: str, limit: int = 30, index: SearchIndex | None = None
) -> SearchResults:
    """Items whose current text matches the query, best first, grouped by utility.

    Ranks: the name starts with the query, then the name contains it, then the rest of
    the text does. Due entries are refreshed first; the caller commits when any were.
    `index` is the in-memory copy of the entries (matching.load_search_index) when the
    caller keeps one; it is read afresh when not given or when entries were refreshed.
    """
    refreshed = refresh_due_entries()
    query = parse_query(raw_query)
    if query is None:
        return SearchResults(query="", refreshed=refreshed)
    if index is None or refreshed:
        index = load_search_index()
    matches, total = best_matches(index, query, limit)
    top = dict(matches)
    rows = db.session.execute(
        select(SearchEntry, Item, Utility)
        .join(Item, Item.id == SearchEntry.item_id)
        .join(Utility, Utility.id == Item.utility_id)
        .where(SearchEntry.id.in_(list(top)))
    ).all()
    by_id = {entry.id: (entry, item, utility) for entry, item, utility in rows}
    results = SearchResults(query=query.text, total=total, refreshed=refreshed)
    groups: dict[int, SearchGroup] = {}
    for entry_id, entry_rank in top.items():
        entry, item, utility = by_id[entry_id]
        group = groups.get(utility.id)
        if group is None:
            group = groups[utility.id] = SearchGroup(utility)
            results.groups.append(group)
        group.hits.append(_hit(entry, item, utility, entry_rank, query, locale))
    return results
