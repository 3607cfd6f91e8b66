"""Pages as the tests read them, parsed by BeautifulSoup: the one HTML parser of the tests."""

from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup, Tag
from werkzeug.datastructures import MultiDict


def soup(html: str | bytes) -> BeautifulSoup:
    """The parsed document or fragment."""
    return BeautifulSoup(html, "html.parser")


def words(text: str) -> str:
    """Text with its runs of white space made single spaces."""
    return " ".join(text.split())


class Page:
    """A page's title, lang, ids, links and visible text, and its elements to search."""

    def __init__(self, html: str | bytes) -> None:
        self.soup = soup(html)
        root = self.soup.find("html")
        self.lang = root.get("lang") if root else None
        title = self.soup.find("title")
        self.title = title.get_text(strip=True) if title else ""
        self.ids = Counter(tag["id"] for tag in self.soup.find_all(id=True))
        self.links = [a["href"] for a in self.soup.find_all("a", href=True)]
        body = soup(html)
        for hidden in body.find_all(["script", "style", "title"]):
            hidden.decompose()
        self.text = words(body.get_text(" "))

    @property
    def duplicate_ids(self) -> list[str]:
        return [i for i, n in self.ids.items() if n > 1]

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Tag]:
        """Every `tag` element with these attributes (class_ matches one class among several)."""
        return self.soup.find_all(tag, attrs={k.rstrip("_"): v for k, v in attrs.items()})

    def by_id(self, element_id: str) -> Tag | None:
        return self.soup.find(id=element_id)

    def text_of(self, element_id: str) -> str:
        """The text of the element with this id, white space made single spaces."""
        return words(self.soup.find(id=element_id).get_text(" "))

    def select(self, selector: str) -> list[Tag]:
        return self.soup.select(selector)


def parse(html: str | bytes) -> Page:
    """Parse HTML into a Page."""
    return Page(html)


def form_values(html: str | bytes, form_id: str) -> MultiDict:
    """What a browser would submit from the form with this id (no button pressed)."""
    form = soup(html).find("form", id=form_id)
    values: MultiDict = MultiDict()
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button"):
            continue
        if field.name == "textarea":
            values.add(name, field.get_text())
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            if chosen is not None:
                values.add(name, chosen.get("value", ""))
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                values.add(name, field.get("value", "on"))
        else:
            values.add(name, field.get("value") or "")
    return values
