"""Which index entries a query matches, and how well: substring tests on a copy in memory.

Testing the folded columns in the database costs 20–40 ms a query at 10,000 items (every
body is read and searched character by character); the same tests on each column held as
one string, searched with str.find, take a millisecond or two. The copy is read in one
query and kept by the caller while the catalogue is unchanged (kiosk.caching.remembered);
at 10,000 items it takes about 25 MB.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from sqlalchemy import func, select

from services.db import db
from services.models import Item, SearchEntry, Utility
from services.search.text import Query, whole_syllables

# Letters search bodies only from three letters, and as pinyin only from two whole
# syllables: "sf", "shui" or "ying y" match nearly every body (是否, 水, 税, 睡, 营业, 应用...)
# and would bury the names people meant under noise.
MIN_BODY_LETTERS = 3
MIN_BODY_SYLLABLES = 2
NAME_PREFIX, NAME_CONTAINS, BODY = 0, 1, 2
# Between two entries' values in a column: folded text never holds it, so no match spans two.
SEPARATOR = "\x00"
COLUMNS = (
    "name",
    "name_initials",
    "name_pinyin",
    "name_pinyin_spaced",
    "body",
    "body_initials",
    "body_pinyin_spaced",
)


@dataclass(frozen=True)
class Column:
    """One column of every entry as a single string: SEPARATOR before each value."""

    text: str
    starts: tuple[int, ...]  # where each entry's value begins

    @classmethod
    def of(cls, values: list[str]) -> Column:
        starts, position = [], 1
        for value in values:
            starts.append(position)
            position += len(value) + 1
        return cls(SEPARATOR + SEPARATOR.join(values), tuple(starts))

    def holding(self, part: str) -> set[int]:
        """The positions of the entries whose value contains `part`."""
        found: set[int] = set()
        starts, text = self.starts, self.text
        at = text.find(part) if part else -1
        while at != -1:
            n = bisect_right(starts, at) - 1
            found.add(n)
            # On to the next entry: one match is enough for this one.
            at = text.find(part, starts[n + 1]) if n + 1 < len(starts) else -1
        return found

    def holding_among(self, part: str, positions: set[int]) -> set[int]:
        """Those of the entries at `positions` whose value contains `part`."""
        starts, text, last = self.starts, self.text, len(self.starts) - 1
        return {
            n
            for n in positions
            if text.find(part, starts[n], starts[n + 1] if n < last else len(text)) != -1
        }

    def starting(self, part: str) -> set[int]:
        """The positions of the entries whose value starts with `part`."""
        # A match of SEPARATOR + part is counted to the entry before the one it starts.
        return {n + 1 for n in self.holding(SEPARATOR + part)} if part else set()


@dataclass(frozen=True)
class SearchIndex:
    """Every entry with a current revision, in the order equal matches are listed (shorter
    names first, then by utility and item position): their ids and folded columns."""

    entry_ids: tuple[int, ...]
    columns: dict[str, Column]


def load_search_index() -> SearchIndex:
    """The searchable text of every entry that has a current revision."""
    # A column at a time, in the same order: all of them at once would hold every row's
    # strings and their joined copies together, twice the memory the index keeps.
    query = (
        select(SearchEntry.id)
        .join(Item, Item.id == SearchEntry.item_id)
        .join(Utility, Utility.id == SearchEntry.utility_id)
        .where(SearchEntry.revision_id.is_not(None))
        .order_by(func.length(SearchEntry.name), Utility.position, Item.position, Item.id)
    )
    entry_ids = tuple(db.session.scalars(query))
    columns = {
        name: Column.of(
            list(db.session.scalars(query.with_only_columns(getattr(SearchEntry, name))))
        )
        for name in COLUMNS
    }
    return SearchIndex(entry_ids, columns)


def _ranked(index: SearchIndex, query: Query) -> tuple[set[int], set[int], set[int]]:
    """The positions of the entries matching by name prefix, in the name, and in the body."""
    column = index.columns
    text, letters = query.text, query.letters
    prefix = column["name"].starting(text)
    anywhere = column["name"].holding(text)
    if not letters:
        return prefix, anywhere, column["body"].holding(text)
    prefix |= column["name_initials"].starting(letters) | column["name_pinyin"].starting(letters)
    anywhere |= column["name_initials"].holding(letters)
    for reading in query.readings:
        anywhere |= column["name_pinyin_spaced"].holding(" " + reading)
    body: set[int] = set()
    if len(letters) >= MIN_BODY_LETTERS:
        body = column["body_initials"].holding(letters)
        reading = query.readings[0] if query.readings else ""
        if whole_syllables(reading) >= MIN_BODY_SYLLABLES:
            # The initials column is a quarter of the pinyin column's length: it tells which
            # few bodies are worth reading as pinyin.
            initials = "".join(p[0] for p in reading.split())
            candidates = column["body_initials"].holding(initials) - body - prefix - anywhere
            body |= column["body_pinyin_spaced"].holding_among(" " + reading, candidates)
    return prefix, anywhere, body


def best_matches(index: SearchIndex, query: Query, limit: int) -> tuple[list[tuple[int, int]], int]:
    """The best `limit` (entry id, rank) pairs, best first, and how many entries match."""
    prefix, anywhere, body = _ranked(index, query)
    anywhere -= prefix
    body -= prefix | anywhere
    ranked = [
        (index.entry_ids[n], rank)
        for rank, positions in enumerate((prefix, anywhere, body))
        for n in sorted(positions)
    ]
    return ranked[:limit], len(ranked)
