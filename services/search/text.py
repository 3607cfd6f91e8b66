"""Text folding for search: Simplified lower case, per-character pinyin, query readings, marks.

Every function here keeps one character of input as one character (or one syllable) of
output, so a match found in the initials or the pinyin points at the same characters of
the text, and can be highlighted there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc
from markupsafe import Markup, escape

from services.search.syllables import PREFIXES, SYLLABLES

HAN_RUN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
ASCII_ALNUM = re.compile(r"[a-z0-9]")
# A character that is neither Chinese nor a Latin letter or digit: never part of a match.
GAP = "|"
MAX_QUERY = 40
# Readings of typed letters tried per query ("xian": 先 or 西安); each costs a scan.
MAX_READINGS = 2


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Text in Simplified characters, lower case, with half-width letters and digits; one
    character for one. Chinese punctuation stays as it is, so snippets read naturally."""
    folded = "".join(map(_fold_char, text))
    simplified = _to_simplified().convert(folded)
    if len(simplified) != len(folded):
        simplified = "".join(_single(_to_simplified().convert(c), c) for c in folded)
    return simplified


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    normal = unicodedata.normalize("NFKC", char).lower()
    if len(normal) == 1 and (normal.isalnum() or char.isascii()):
        return normal
    return _single(char.lower(), char)


def _single(converted: str, original: str) -> str:
    return converted if len(converted) == 1 else original


@lru_cache(maxsize=65536)
def _han_syllables(run: str) -> tuple[str, ...]:
    # Imported here: its dictionaries take about 50 MB, and only indexing needs them.
    from pypinyin import lazy_pinyin

    # Whole runs give pypinyin the phrase context it needs for 银行 (hang) vs 行走 (xing).
    syllables = lazy_pinyin(run)
    if len(syllables) != len(run):
        syllables = [lazy_pinyin(c)[0] for c in run]
    return tuple(s if s.isascii() and s.isalpha() else GAP for s in syllables)


def _other(char: str) -> str:
    return char if ASCII_ALNUM.fullmatch(char) else GAP


@dataclass(frozen=True)
class Folded:
    """Folded text with, for each of its characters, an initial and a syllable (a Latin letter
    or digit stands for itself; anything else is GAP)."""

    text: str
    initials: str  # 营业执照 → "yyzz", the first letters of pypinyin's Style.FIRST_LETTER
    pinyin_spaced: str  # " ying ye zhi zhao": each syllable after one space

    @property
    def pinyin(self) -> str:
        """Full pinyin without tones or spaces: yingyezhizhao."""
        return self.pinyin_spaced.replace(" ", "")

    @property
    def is_aligned(self) -> bool:
        return len(self.initials) == len(self.text) == self.pinyin_spaced.count(" ")


def annotate(text: str) -> Folded:
    """Fold `text` and give each character its initial and pinyin syllable."""
    folded = fold(text)
    syllables: list[str] = []
    position = 0
    for run in HAN_RUN.finditer(folded):
        syllables += [_other(c) for c in folded[position : run.start()]]
        syllables += _han_syllables(run.group())
        position = run.end()
    syllables += [_other(c) for c in folded[position:]]
    initials = "".join(s[0] for s in syllables)
    return Folded(folded, initials, "".join(" " + s for s in syllables))


def _readings(part: str, partial_end: bool) -> list[list[str]]:
    """Ways to cut `part` into syllables; the last piece may be a syllable's beginning."""
    syllables, prefixes = SYLLABLES, PREFIXES
    found: list[list[str]] = []

    def walk(position: int, pieces: list[str]) -> None:
        if len(found) >= MAX_READINGS * 2:
            return
        rest = part[position:]
        if not rest:
            found.append(pieces)
            return
        for size in range(min(6, len(rest)), 0, -1):
            if rest[:size] in syllables:
                walk(position + size, [*pieces, rest[:size]])
        if partial_end and rest in prefixes and rest not in syllables:
            found.append([*pieces, rest])

    walk(0, [])
    return found


def pinyin_readings(text: str) -> tuple[str, ...]:
    """How letters typed on the keyboard read as pinyin, spaced: "xian" → "xian", "xi an".

    Spaces the person typed are kept as syllable breaks. Readings made of whole syllables
    are preferred: looking for " xian" already finds "xiang", so a half-typed last syllable
    is only tried when no whole reading exists.
    """
    parts = text.split()
    options: list[list[str]] = [[]]
    for n, part in enumerate(parts):
        cuts = _readings(part, partial_end=n == len(parts) - 1)
        options = [a + b for a in options for b in cuts][: MAX_READINGS * 2]
    if not parts or not options:
        return ()
    whole = [o for o in options if o[-1] in SYLLABLES]
    ranked = sorted(whole or options, key=len)
    # "xian" is 先 or 西安, but "shuibiao" is not "shui bi ao": one extra cut at most.
    chosen = [o for o in ranked if len(o) <= len(ranked[0]) + 1][:MAX_READINGS]
    return tuple(" ".join(o) for o in chosen)


def whole_syllables(reading: str) -> int:
    """How many pieces of a spaced reading are whole syllables ("ying y" → 1)."""
    return sum(piece in SYLLABLES for piece in reading.split())


@dataclass(frozen=True)
class Query:
    """A folded query: Chinese text, or letters that may be initials, pinyin or words."""

    text: str
    letters: str = ""
    readings: tuple[str, ...] = ()

    @property
    def is_letters(self) -> bool:
        return bool(self.letters)


def parse_query(raw: str) -> Query | None:
    """The folded query, or None when nothing searchable was typed."""
    text = " ".join(fold(raw[: MAX_QUERY * 2]).split())[:MAX_QUERY].strip()
    if not text:
        return None
    if HAN_RUN.search(text):
        return Query(text)
    letters = text.replace(" ", "")
    if not letters.isascii() or not letters.isalnum():
        return Query(text)
    return Query(text, letters, pinyin_readings(text))


def _occurrences(haystack: str, needle: str) -> list[tuple[int, int]]:
    spans = []
    start = haystack.find(needle)
    while needle and start != -1:
        spans.append((start, start + len(needle)))
        start = haystack.find(needle, start + len(needle))
    return spans


def _pinyin_spans(folded: Folded, readings: tuple[str, ...]) -> list[tuple[int, int]]:
    """Characters whose syllables read as one of `readings`, the last syllable maybe half typed."""
    spaced = folded.pinyin_spaced
    for reading in readings:
        spans = []
        needle = " " + reading
        offset = spaced.find(needle)
        while offset != -1:
            # Syllable n starts after the n-th space (counting from 0).
            first = spaced.count(" ", 0, offset)
            spans.append((first, first + reading.count(" ") + 1))
            offset = spaced.find(needle, offset + len(needle))
        if spans:
            return spans
    return []


def find_spans(folded: Folded, query: Query) -> list[tuple[int, int]]:
    """Where the query matches: as written, else as initials, else as pinyin."""
    spans = _occurrences(folded.text, query.text)
    if spans or not query.is_letters:
        return spans
    return _occurrences(folded.initials, query.letters) or _pinyin_spans(folded, query.readings)


def highlight(text: str, spans: list[tuple[int, int]]) -> Markup:
    """`text` escaped, with each span wrapped in <mark>; nothing stored is trusted as markup."""
    parts: list[str] = []
    position = 0
    for start, end in sorted(spans):
        if start < position:
            continue
        parts += [escape(text[position:start]), Markup("<mark>"), escape(text[start:end])]
        parts.append(Markup("</mark>"))
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
