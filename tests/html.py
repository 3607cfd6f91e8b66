"""Parse a page the way the web tests check it: status aside, its title, lang, ids and text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Page:
    title: str = ""
    lang: str | None = None
    ids: Counter = field(default_factory=Counter)
    links: list[str] = field(default_factory=list)
    text: str = ""
    elements: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)

    @property
    def duplicate_ids(self) -> list[str]:
        return [i for i, n in self.ids.items() if n > 1]

    def find_all(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        """Attributes of every `tag` element whose attributes include `attrs`
        (class_ matches one class among several)."""
        found = []
        for name, element_attrs in self.elements:
            if name != tag:
                continue
            ok = True
            for key, value in attrs.items():
                key = key.rstrip("_")
                if key == "class":
                    ok &= value in (element_attrs.get("class") or "").split()
                else:
                    ok &= element_attrs.get(key) == value
            if ok:
                found.append(element_attrs)
        return found


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_title = False
        self._skip = 0
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.page.elements.append((tag, attributes))
        if tag == "html":
            self.page.lang = attributes.get("lang")
        if tag == "title" and not self.page.title:
            self._in_title = True
        if tag in ("script", "style"):
            self._skip += 1
        if attributes.get("id"):
            self.page.ids[attributes["id"]] += 1
        if tag == "a" and attributes.get("href"):
            self.page.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data):
        if self._in_title:
            self.page.title += data.strip()
        elif not self._skip:
            self._text.append(data)

    def close(self):
        super().close()
        self.page.text = " ".join(" ".join(self._text).split())


def parse(html: str | bytes) -> Page:
    """Parse HTML into a Page."""
    parser = _Parser()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    parser.close()
    return parser.page
