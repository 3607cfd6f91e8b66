"""Translations as editors keep them: which Chinese text each was made from, which have
fallen behind their Chinese text, and the rows an editor's form offers for them."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

from services.content.localize import source_mark, upgraded_translation
from services.content.schema import TRANSLATABLE, TRANSLATABLE_TREE, path_tree

# The change summary is the version's own text, not the content's; its translations travel
# with the content's so that one form and one review cover them.
SUMMARY = "change_summary"
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


# The translatable paths and the change summary: what a translation's sources cover.
_TREE = path_tree([*TRANSLATABLE, SUMMARY])


def _leaves(source: Any, own: Any, tree: Any, path: str) -> Iterator[tuple[str, Any, Any]]:
    """(path, Chinese text, translated text) for every translatable text of `source`."""
    if tree is True and isinstance(source, list):
        tree = {"[]": True}
    if tree is True:
        yield path, source, own
    elif isinstance(source, list) and "[]" in tree:
        rows = own if isinstance(own, list) else []
        for n, item in enumerate(source):
            yield from _leaves(item, rows[n] if n < len(rows) else None, tree["[]"], f"{path}[{n}]")
    elif isinstance(source, dict):
        own = own if isinstance(own, dict) else {}
        for key, sub in tree.items():
            if key in source:
                yield from _leaves(source[key], own.get(key), sub, f"{path}.{key}" if path else key)


def value_at(document: Any, path: str) -> Any:
    """The value at a path such as `fees[0].note`, or None."""
    for name, index in _TOKEN.findall(path):
        if index:
            inside = isinstance(document, list) and int(index) < len(document)
            document = document[int(index)] if inside else None
        else:
            document = document.get(name) if isinstance(document, dict) else None
    return document


def _document(content: dict[str, Any], summary: str) -> dict[str, Any]:
    return content | {SUMMARY: summary}


def stamp_sources(
    before: dict[str, Any],
    before_summary: str,
    content: dict[str, Any],
    summary: str,
    confirmed: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """`content` with each translation's `sources`: the fingerprint of the Chinese text each
    translated text was made from.

    A translation typed or changed in this save was made from the Chinese text saved with
    it; one left as it was keeps the fingerprint it had, or (written before fingerprints
    were kept) that of the Chinese text it stood beside until now. A translation the editor
    `confirmed` (by form path, `translations.en.summary`) fits the Chinese text saved now.
    """
    translations = content.get("translations")
    if not translations:
        return content
    result = copy.deepcopy(content)
    new_doc, old_doc = _document(content, summary), _document(before, before_summary)
    for locale, translation in translations.items():
        translation = upgraded_translation(translation)
        old = upgraded_translation((before.get("translations") or {}).get(locale) or {})
        old_marks = old.get("sources") or {}
        marks = {}
        for path, text, own in _leaves(new_doc, translation, _TREE, ""):
            if not isinstance(own, str) or not own.strip() or not isinstance(text, str):
                continue
            if own == value_at(old, path) and f"translations.{locale}.{path}" not in confirmed:
                old_text = value_at(old_doc, path)
                marks[path] = old_marks.get(path) or source_mark(
                    old_text if isinstance(old_text, str) else text
                )
            else:
                marks[path] = source_mark(text)
        translation = {k: v for k, v in translation.items() if k != "sources"}
        result["translations"][locale] = translation | ({"sources": marks} if marks else {})
    return result


def outdated_translations(content: dict[str, Any], summary: str) -> set[str]:
    """The form paths (`translations.en.fees[0].note`) of translations made from Chinese
    text that has changed since."""
    found = set()
    document = _document(content, summary)
    for locale, translation in (content.get("translations") or {}).items():
        translation = upgraded_translation(translation)
        marks = translation.get("sources") or {}
        for path, text, own in _leaves(document, translation, _TREE, ""):
            mark = marks.get(path)
            if isinstance(own, str) and own.strip() and mark and mark != source_mark(text):
                found.add(f"translations.{locale}.{path}")
    return found


def _padded(source: Any, own: Any, tree: Any) -> Any:
    if tree is True and not isinstance(source, list):
        return own
    if tree is True:
        tree = {"[]": True}
    if isinstance(source, list) and "[]" in tree:
        rows = list(own) if isinstance(own, list) else []
        blank: Any = "" if tree["[]"] is True else {}
        rows += [copy.deepcopy(blank) for _ in range(len(source) - len(rows))]
        return [
            _padded(source[n], row, tree["[]"]) if n < len(source) else row
            for n, row in enumerate(rows)
        ]
    if isinstance(source, dict):
        own = dict(own) if isinstance(own, dict) else {}
        for key, sub in tree.items():
            if key in source and (sub is not True or isinstance(source[key], list)):
                own[key] = _padded(source[key], own.get(key), sub)
        return own
    return own


def translation_form(content: dict[str, Any]) -> dict[str, Any]:
    """`content` as the editor's form shows it: each translation in today's shape, with a
    row for every row of the original, so that every text has its input."""
    translations, tree = content.get("translations") or {}, TRANSLATABLE_TREE
    result = dict(content)
    result["translations"] = {
        locale: _padded(content, upgraded_translation(translations.get(locale) or {}), tree)
        for locale in ("zh_Hant", "en")
    }
    return result


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in ("", None, [], {})}
    if isinstance(value, list):
        rows = [_pruned(v) for v in value]
        while rows and rows[-1] in ("", None, {}):
            rows.pop()  # blank rows keep their place only before a translated one
        return [r if r is not None else "" for r in rows]
    return value


def pruned_translations(content: dict[str, Any]) -> dict[str, Any]:
    """`content` without blank translation rows and inputs at the end of each list, and
    without a translation that holds nothing."""
    translations = _pruned(content.get("translations") or {})
    result = {k: v for k, v in content.items() if k != "translations"}
    if translations:
        result["translations"] = translations
    return result
