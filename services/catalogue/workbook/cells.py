"""How one kind of value is written into a cell and read back from what a person typed."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.spreadsheets.values import CellError, day, is_blank, number, text


class CellProblem(ValueError):
    """A cell that cannot be read; `code` names a message in messages.MESSAGES."""

    def __init__(self, code: str, **params: Any):
        super().__init__(code)
        self.code = code
        self.params = params


def _narrow(value: Any) -> str:
    # Full-width digits and colons (１２，：) read as their ASCII forms.
    return unicodedata.normalize("NFKC", text(value))


def _split(value: Any, pattern: str) -> list[str]:
    return [part.strip() for part in re.split(pattern, text(value)) if part.strip()]


@dataclass(frozen=True)
class Kind:
    """One kind of cell: its name in the format description, how it is written and read."""

    name: str

    def write(self, value: Any) -> Any:
        """The cell for a stored value (None for an empty cell)."""
        return None if value in (None, "", []) else value

    def read(self, raw: Any) -> Any:
        """The stored value for a cell; None when blank; CellProblem when unreadable."""
        return None if is_blank(raw) else text(raw)


class Text(Kind):
    def read(self, raw: Any) -> Any:
        if is_blank(raw):
            return None
        if isinstance(raw, str):
            # Keep line breaks inside the text; only the ends are trimmed.
            return raw.strip()
        return text(raw)


class Whole(Kind):
    def read(self, raw: Any) -> Any:
        if is_blank(raw):
            return None
        if isinstance(raw, bool | date):
            raise CellProblem("not_whole", value=text(raw))
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        cleaned = _narrow(raw).replace(" ", "")
        if re.fullmatch(r"-?\d{1,9}", cleaned):
            return int(cleaned)
        raise CellProblem("not_whole", value=text(raw))


class Amount(Kind):
    """Money or a quantity, kept as the decimal text the content stores ("2.07")."""

    def __init__(self, name: str, money: bool):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "money", money)

    def read(self, raw: Any) -> Any:
        if is_blank(raw):
            return None
        try:
            return number(raw, money=self.money)
        except CellError as error:
            raise CellProblem(error.code, **error.params) from None


YES = {"yes", "true", "1", "是", "y", "必须", "必要"}
NO = {"no", "false", "0", "否", "n", "非必须"}


class Flag(Kind):
    def write(self, value: Any) -> Any:
        return None if value is None else ("yes" if value else "no")

    def read(self, raw: Any) -> Any:
        if is_blank(raw):
            return None
        if isinstance(raw, bool):
            return raw
        word = _narrow(raw).casefold()
        if word in YES:
            return True
        if word in NO:
            return False
        raise CellProblem("not_yes_no", value=text(raw))


class Day(Kind):
    """A date; stored as a date (model columns) or as ISO text (content), per `as_text`."""

    def __init__(self, name: str, as_text: bool):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "as_text", as_text)

    def write(self, value: Any) -> Any:
        if value in (None, ""):
            return None
        return date.fromisoformat(value) if isinstance(value, str) else value

    def read(self, raw: Any) -> Any:
        if is_blank(raw):
            return None
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise CellProblem("bad_date", value=text(raw))
        try:
            found = day(raw.date() if isinstance(raw, datetime) else raw)
        except CellError:
            raise CellProblem("bad_date", value=text(raw)) from None
        return found.isoformat() if self.as_text else found


class Choice(Kind):
    def __init__(self, name: str, values: tuple[str, ...]):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "values", values)

    def read(self, raw: Any) -> Any:
        if is_blank(raw):
            return None
        word = _narrow(raw).strip().casefold()
        if word in self.values:
            return word
        raise CellProblem("not_allowed", value=text(raw), allowed=" / ".join(self.values))


class Lines(Kind):
    """A list of texts, one per line of the cell."""

    def write(self, value: Any) -> Any:
        return "\n".join(value) if value else None

    def read(self, raw: Any) -> Any:
        return None if is_blank(raw) else _split(raw, r"\r?\n")


class Codes(Kind):
    """A list of codes or slugs separated by commas."""

    def write(self, value: Any) -> Any:
        return ", ".join(value) if value else None

    def read(self, raw: Any) -> Any:
        return None if is_blank(raw) else _split(_narrow(raw), r"[,;\s、]+")


class Refs(Kind):
    """Legal-basis references, one per line: `code` or `code: article`."""

    def write(self, value: Any) -> Any:
        if not value:
            return None
        return "\n".join(
            f"{ref['code']}: {ref['article']}" if ref.get("article") else ref["code"]
            for ref in value
        )

    def read(self, raw: Any) -> Any:
        if is_blank(raw):
            return None
        refs = []
        for line in _split(raw, r"\r?\n|[;；]"):
            code, _, article = line.replace("：", ":").partition(":")
            code, article = code.strip(), article.strip()
            if not code or re.search(r"\s", code):
                raise CellProblem("bad_refs", value=line)
            refs.append({"code": code, "article": article} if article else {"code": code})
        return refs


_PERIOD = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


class Hours(Kind):
    """Opening hours: `1,2,3,4,5 09:00-17:00; 6 09:00-12:00` (1 is Monday)."""

    def write(self, value: Any) -> Any:
        if not value:
            return None
        return "; ".join(
            f"{','.join(str(d) for d in row['weekdays'])} {row['opens']}-{row['closes']}"
            for row in value
        )

    def read(self, raw: Any) -> Any:
        if is_blank(raw):
            return None
        rows = []
        for part in _split(_narrow(raw), r"[;\n]"):
            match = re.fullmatch(r"([\d,\s-]+?)\s+" + _PERIOD.pattern, part)
            if not match:
                raise CellProblem("bad_hours", value=part)
            weekdays: list[int] = []
            for piece in _split(match[1], r"[,\s]+"):
                low, _, high = piece.partition("-")
                if not low.isdigit() or (high and not high.isdigit()):
                    raise CellProblem("bad_hours", value=part)
                weekdays += list(range(int(low), int(high or low) + 1))
            rows.append(
                {
                    "weekdays": weekdays,
                    "opens": f"{int(match[2]):02d}:{match[3]}",
                    "closes": f"{int(match[4]):02d}:{match[5]}",
                }
            )
        return rows


class Parts(Kind):
    """The parts of a price: `水费 2.07; 水资源费 1.57`."""

    def write(self, value: Any) -> Any:
        if not value:
            return None
        return "; ".join(f"{part['name']} {part['price']}" for part in value)

    def read(self, raw: Any) -> Any:
        if is_blank(raw):
            return None
        parts = []
        for piece in _split(raw, r"[;；\n]"):
            match = re.fullmatch(r"(.*?)[\s:：=＝]+([0-9０-９.．]+)\s*元?", piece)
            if not match or not match[1].strip():
                raise CellProblem("bad_parts", value=piece)
            try:
                price = number(match[2], money=True)
            except CellError:
                raise CellProblem("bad_parts", value=piece) from None
            parts.append({"name": match[1].strip(), "price": price})
        return parts


class Structured(Kind):
    """A value kept as JSON text, for settings and day exceptions that have their own screen."""

    def write(self, value: Any) -> Any:
        return None if value in (None, [], {}) else json.dumps(value, ensure_ascii=False)

    def read(self, raw: Any) -> Any:
        if is_blank(raw):
            return None
        try:
            return json.loads(text(raw))
        except ValueError:
            raise CellProblem("bad_json") from None


TEXT = Text("text")
WHOLE = Whole("whole number")
MONEY = Amount("amount", money=True)
QUANTITY = Amount("quantity", money=False)
FLAG = Flag("yes / no")
DATE = Day("date", as_text=False)
DATE_TEXT = Day("date", as_text=True)
LINES = Lines("lines")
CODES = Codes("codes")
REFS = Refs("references")
HOURS = Hours("opening hours")
PARTS = Parts("price parts")
JSON = Structured("JSON")


def choice(*values: str) -> Choice:
    """A cell that holds one of `values`."""
    return Choice("one of", tuple(values))
