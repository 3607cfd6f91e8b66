"""What typed or imported text may hold: no control characters, no invisible direction or
zero-width marks in names and numbers, web addresses only over http(s), and cells that a
spreadsheet program shows rather than runs.

Control characters break every XML output (the Atom feed, Open311) and every XLSX file,
and a NUL cuts text short in some databases; direction overrides make a name or a price
read differently from what is stored. Forms and importers all check with this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from services.content.schema import ContentError

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls; lone
# surrogates and the two non-characters XML refuses.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r]")
# Direction marks, embeddings, overrides and isolates; zero-width spaces and joiners; the
# byte-order mark and the soft hyphen.
INVISIBLE = (
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2066\u2067\u2068\u2069\u061c\ufeff\u00ad"
)
_INVISIBLE_TABLE = dict.fromkeys(map(ord, INVISIBLE))
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def has_control_characters(text: str, multiline: bool = True) -> bool:
    """True if `text` holds a control character (line breaks and tabs only if not multiline)."""
    return bool(_CONTROL.search(text) or (not multiline and _LINE_BREAKS.search(text)))


def has_invisible(text: str) -> bool:
    """True if `text` holds a direction override or a zero-width character."""
    return any(ch in INVISIBLE for ch in text)


def without_invisible(text: str) -> str:
    """`text` without direction overrides and zero-width characters."""
    return text.translate(_INVISIBLE_TABLE)


def is_web_address(text: str) -> bool:
    """True for an absolute http:// or https:// address with a host."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in nested content, with its field path (`fees[0].name`)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, sub in value.items():
            yield from strings(sub, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            yield from strings(sub, f"{path}[{index}]")


def is_address_field(path: str) -> bool:
    """Fields that hold a web address (`online_url`, `locations[0].url`)."""
    return re.split(r"[.\[]", path)[-1].endswith("url")


class TextError(ContentError):
    """Text that cannot be stored; `code` is "control", "invisible" or "not_web_address"."""

    def __init__(self, field: str, code: str):
        super().__init__(field, TEXT_PROBLEMS[code])
        self.code = code


TEXT_PROBLEMS = {
    "control": "holds a control character (such as NUL); remove it",
    "invisible": "holds an invisible direction or zero-width character; remove it",
    "not_web_address": "must be a web address starting with http:// or https://",
}


def check_text(content: Any) -> None:
    """Raise TextError for the first field whose text cannot be stored."""
    problem = content_text_problem(content)
    if problem:
        raise TextError(*problem)


def content_text_problem(content: Any) -> tuple[str, str] | None:
    """The first field whose text cannot be stored, and why: "control", "invisible" or
    "not_web_address"; None when all text is fine."""
    for path, text in strings(content):
        if has_control_characters(text):
            return path, "control"
        if has_invisible(text):
            return path, "invisible"
        if is_address_field(path) and text.strip() and not is_web_address(text):
            return path, "not_web_address"
    return None


def inert(value: Any) -> Any:
    """Text that a spreadsheet will show rather than evaluate (OWASP CSV injection advice)."""
    # A text that itself starts with the quote is quoted too, so `from_inert` can tell the
    # quote it added from one the text had.
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def from_inert(value: str) -> str:
    """The text `inert` was given: the quote it added before a formula start is dropped."""
    if value.startswith("'") and value[1:].startswith((*FORMULA_STARTS, "'")):
        return value[1:]
    return value
