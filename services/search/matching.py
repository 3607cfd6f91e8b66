"""Which index entries a query matches, and how well: substring tests on a copy in memory.

Testing the folded columns in the database costs 20–40 ms a query at 10,000 items (every
body is read and searched character by character); the same tests on each column held as
one string, searched with str.find, take a millisecond or two. The copy is read in one
query and kept by the caller while the catalogue is unchanged (kiosk.caching.remembered);
at 10,000 items it takes about 25 MB.

Scanning a whole column still costs 1–2 ms for the body alone, and a common character
matches thousands of entries, each one found, looked up and counted in Python. So each
column also knows, as a bit mask over the entries, which ones hold each character and each
pair of neighbouring characters (Grams): a query of one or two characters is answered by a
mask, a longer one by the masks of its pairs and a str.find in the few entries they leave.
Ranks, the total and the entries shown are taken from the masks without a loop per match.
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

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
# The columns with Grams, and whether they are searched within (or only from the start).
GRAMS = {
    "name": True,
    "name_initials": True,
    "name_pinyin": False,
    "body": True,
    "body_initials": True,
}


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

    def holding_among(self, part: str, positions: Iterable[int]) -> set[int]:
        """Those of the entries at `positions` whose value contains `part`."""
        starts, text, last = self.starts, self.text, len(self.starts) - 1
        return {
            n
            for n in positions
            if text.find(part, starts[n], starts[n + 1] if n < last else len(text)) != -1
        }

    def starting_among(self, part: str, positions: Iterable[int]) -> set[int]:
        """Those of the entries at `positions` whose value starts with `part`."""
        starts, text = self.starts, self.text
        return {n for n in positions if text.startswith(part, starts[n])}


def _positions() -> array:
    return array("I")


def _mask(positions: Iterable[int], size: int) -> int:
    """The bit mask with bit n set for each n in `positions`."""
    bits = bytearray((size + 7) // 8)
    for n in positions:
        bits[n >> 3] |= 1 << (n & 7)
    return int.from_bytes(bits, "little")


def positions_in(mask: int) -> Iterator[int]:
    """The bits set in `mask`, lowest first."""
    bits = bin(mask)[:1:-1]
    at = bits.find("1")
    while at != -1:
        yield at
        at = bits.find("1", at + 1)


@dataclass(frozen=True)
class Grams:
    """For one column, which entries hold each character and each pair of neighbouring
    characters (`within`), and which begin with them (`leading`)."""

    size: int
    # A mask, or for a gram few entries hold, their positions: 4 bytes each instead of
    # a bit for every entry.
    within: dict[str, int | array]
    leading: dict[str, int | array]

    @classmethod
    def of(cls, values: list[str], within: bool = True) -> Grams:
        inside: dict[str, array] = defaultdict(_positions)
        first: dict[str, array] = defaultdict(_positions)
        for n, value in enumerate(values):
            if within:
                for gram in {*value, *map(str.__add__, value, value[1:])}:
                    inside[gram].append(n)
            for gram in {value[:1], value[:2]} - {""}:
                first[gram].append(n)
        size = len(values)
        return cls(size, cls._packed(inside, size), cls._packed(first, size))

    @classmethod
    def of_syllables(cls, values: list[str]) -> Grams:
        """Which entries of a spaced pinyin column hold each syllable."""
        inside: dict[str, array] = defaultdict(_positions)
        for n, value in enumerate(values):
            for syllable in set(value.split()):
                inside[syllable].append(n)
        return cls(len(values), cls._packed(inside, len(values)), {})

    @staticmethod
    def _packed(found: dict[str, array], size: int) -> dict[str, int | array]:
        # Positions gathered as arrays: lists would take twice the memory while building.
        return {gram: ns if len(ns) * 32 < size else _mask(ns, size) for gram, ns in found.items()}

    def syllable(self, syllable: str) -> int:
        """The entries holding `syllable` (Grams.of_syllables)."""
        return self._get(self.within, syllable)

    def _get(self, table: dict[str, int | array], gram: str) -> int:
        held = table.get(gram, 0)
        return held if isinstance(held, int) else _mask(held, self.size)

    def holding(self, part: str) -> int:
        """The entries that may hold `part`: exactly those when it is one or two characters."""
        if len(part) <= 2:
            return self._get(self.within, part) if part else 0
        mask = -1
        for n in range(len(part) - 1):
            mask &= self._get(self.within, part[n : n + 2])
            if not mask:
                break
        return mask

    def starting(self, part: str) -> int:
        """The entries that may start with `part`: exactly those when it is one or two long."""
        return self._get(self.leading, part[:2]) if part else 0


@dataclass(frozen=True)
class SearchIndex:
    """Every entry with a current revision, in the order equal matches are listed (shorter
    names first, then by utility and item position): their ids, folded columns, and Grams.
    Bit n of every mask is the entry at position n."""

    entry_ids: tuple[int, ...]
    columns: dict[str, Column]
    grams: dict[str, Grams]

    def holding(self, name: str, part: str, among: int = -1) -> int:
        """The mask of the entries (of those in `among`) whose `name` column holds `part`."""
        mask = self.grams[name].holding(part) & among
        if len(part) <= 2 or not mask:
            return mask
        found = self.columns[name].holding_among(part, positions_in(mask))
        return _mask(found, len(self.entry_ids))

    def starting(self, name: str, part: str) -> int:
        """The mask of the entries whose `name` column starts with `part`."""
        mask = self.grams[name].starting(part)
        if len(part) <= 2 or not mask:
            return mask
        found = self.columns[name].starting_among(part, positions_in(mask))
        return _mask(found, len(self.entry_ids))

    def holding_reading(self, prefix: str, reading: str, among: int = -1) -> int:
        """The mask of the entries (of those in `among`) whose `prefix`_pinyin_spaced column
        holds the spaced `reading`."""
        # Each syllable of the reading starts with its character's initial: the initials
        # column, far shorter, tells which few entries are worth reading as pinyin.
        pieces = reading.split()
        mask = self.holding(prefix + "_initials", "".join(p[0] for p in pieces), among)
        name = prefix + "_pinyin_spaced"
        # Every piece but the last, which may be half typed, is a whole syllable held.
        for piece in pieces[:-1]:
            mask &= self.grams[name].syllable(piece)
        if not mask:
            return 0
        spaced = self.columns[name]
        found = spaced.holding_among(" " + reading, positions_in(mask))
        return _mask(found, len(self.entry_ids))


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
    columns, grams = {}, {}
    for name in COLUMNS:
        values = list(db.session.scalars(query.with_only_columns(getattr(SearchEntry, name))))
        columns[name] = Column.of(values)
        if name in GRAMS:
            grams[name] = Grams.of(values, within=GRAMS[name])
        elif name.endswith("_pinyin_spaced"):
            grams[name] = Grams.of_syllables(values)
    return SearchIndex(entry_ids, columns, grams)


def _ranked(index: SearchIndex, query: Query) -> tuple[int, int, int]:
    """Masks of the entries matching by name prefix, in the name, and in the body."""
    text, letters = query.text, query.letters
    prefix = index.starting("name", text)
    anywhere = index.holding("name", text)
    if not letters:
        return prefix, anywhere, index.holding("body", text)
    prefix |= index.starting("name_initials", letters) | index.starting("name_pinyin", letters)
    anywhere |= index.holding("name_initials", letters)
    for reading in query.readings:
        anywhere |= index.holding_reading("name", reading)
    body = 0
    if len(letters) >= MIN_BODY_LETTERS:
        body = index.holding("body_initials", letters)
        reading = query.readings[0] if query.readings else ""
        if whole_syllables(reading) >= MIN_BODY_SYLLABLES:
            body |= index.holding_reading("body", reading, ~(body | prefix | anywhere))
    return prefix, anywhere, body


def best_matches(index: SearchIndex, query: Query, limit: int) -> tuple[list[tuple[int, int]], int]:
    """The best `limit` (entry id, rank) pairs, best first, and how many entries match."""
    prefix, anywhere, body = _ranked(index, query)
    anywhere &= ~prefix
    body &= ~(prefix | anywhere)
    ranked: list[tuple[int, int]] = []
    for rank, mask in enumerate((prefix, anywhere, body)):
        shown = islice(positions_in(mask), limit - len(ranked))
        ranked += [(index.entry_ids[n], rank) for n in shown]
    return ranked, (prefix | anywhere | body).bit_count()
