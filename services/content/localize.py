"""Revision content in the reader's language, with converted or fallback text marked."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import opencc

from services.content.schema import TRANSLATABLE_TREE

# The BCP 47 tag of each locale, for lang attributes, feeds and documents.
BCP47 = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}
# OpenCC's s2t with its dictionaries merged into one: the same conversion in about 6 MB of
# each web worker's memory instead of 27 (see s2t/build.py); then the forms of the chosen
# standard, so that residents read 為, 眾, 核 and never the variants 爲, 衆, 覈.
S2T_FOLDER = Path(__file__).resolve().parent / "s2t"
STANDARDS = {
    "tw": ("TWVariantsPhrases.ocd2", "TWVariants.ocd2"),  # 臺灣正體
    "hk": ("HKVariantsPhrases.ocd2", "HKVariants.ocd2"),  # 香港繁體
}


class NamesListError(ValueError):
    """The list of names kept through conversion has a line that cannot be used."""


_settings: dict[str, Any] = {"standard": "tw", "names": ()}


def bcp47(locale: str) -> str:
    """The BCP 47 tag of a locale (zh_Hant → zh-Hant); Simplified Chinese for anything unknown."""
    return BCP47.get(locale, "zh-Hans")


def read_names(path: str | Path) -> tuple[tuple[str, str], ...]:
    """The names a conversion must keep: one per line, either `简体` (kept as written) or
    `简体<TAB>繁體` (written so in Traditional); blank lines and `#` comments are skipped."""
    pairs = []
    text = Path(path).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        simplified, _tab, traditional = (part.strip() for part in line.partition("\t"))
        traditional = traditional or simplified
        # Search lines up converted text with the original character by character.
        if len(traditional) != len(simplified) or " " in simplified:
            raise NamesListError(
                f"{path}, line {number}: “{line}” must be one name, or a name and its "
                "Traditional form of the same length separated by a tab"
            )
        pairs.append((simplified, traditional))
    return tuple(pairs)


def configure_traditional(standard: str = "tw", names: tuple[tuple[str, str], ...] = ()) -> None:
    """Convert to the Taiwan ("tw") or Hong Kong ("hk") standard, keeping `names` as given."""
    if standard not in STANDARDS:
        raise ValueError(f"unknown Traditional standard {standard!r}: choose tw or hk")
    _settings.update(standard=standard, names=tuple(names))
    _to_traditional.cache_clear()


def _config_file(standard: str) -> Path:
    """An OpenCC configuration for this standard, written once per machine."""
    folder = Path(tempfile.gettempdir()) / "gongshi-opencc"
    folder.mkdir(exist_ok=True)
    key = hashlib.sha256(f"{S2T_FOLDER}|{standard}".encode()).hexdigest()[:16]
    config = folder / f"s2{standard}-{key}.json"
    if config.is_file():
        return config
    variants = [{"type": "ocd2", "file": str(S2T_FOLDER / name)} for name in STANDARDS[standard]]
    document = {
        "name": f"Simplified to Traditional Chinese ({standard} standard)",
        "normalization": [
            {
                "dict": {
                    "type": "ocd2",
                    "file": str(S2T_FOLDER / "CJK_Compatibility_Ideographs.ocd2"),
                }
            }
        ],
        "conversion_chain": [
            {"dict": {"type": "ocd2", "file": str(S2T_FOLDER / "STPhrasesAndCharacters.ocd2")}},
            {"dict": {"type": "group", "match_policy": "short_circuit", "dicts": variants}},
        ],
    }
    partial = folder / f".{config.name}.{os.getpid()}.tmp"
    partial.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    partial.replace(config)  # whole or absent, when several workers start at once
    return config


def _names_pattern(names: tuple[tuple[str, str], ...]) -> re.Pattern[str] | None:
    if not names:
        return None
    # Longest first, so that 干将路口 is kept whole before 干将路 is tried.
    ordered = sorted((simplified for simplified, _ in names), key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in ordered))


@lru_cache(maxsize=1)
def _to_traditional() -> tuple[opencc.OpenCC, re.Pattern[str] | None, dict[str, str]]:
    names = _settings["names"]
    converter = opencc.OpenCC(str(_config_file(_settings["standard"])))
    return converter, _names_pattern(names), dict(names)


def to_traditional(text: str) -> str:
    """Simplified Chinese in Traditional characters; the city's listed names as listed."""
    converter, names, written = _to_traditional()
    if names is None:
        return converter.convert(text)
    # Each listed name is cut out before converting: inside a phrase such as 在于家巷 a
    # dictionary would take 在于 first and turn the street's 于 into 於.
    parts, start = [], 0
    for match in names.finditer(text):
        parts += [converter.convert(text[start : match.start()]), written[match.group()]]
        start = match.end()
    parts.append(converter.convert(text[start:]))
    return "".join(parts)


class FallbackText(str):
    """Text shown in Simplified Chinese because no translation into the reader's language
    exists (or the one there was made from older Chinese text); it says so through `lang`."""

    lang = "zh-Hans"


class ConvertedText(str):
    """Traditional text converted automatically from Simplified, not written by a person."""

    lang = "zh-Hant"


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def source_mark(text: str) -> str:
    """A short fingerprint of the Chinese text a translation was made from."""
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def localized_text(text: Any, own: Any, locale: str, fresh: bool = True) -> Any:
    """One text in `locale`: the hand translation `own` while it is `fresh`, else converted
    Traditional (marked) or, in English, the Chinese original marked as a fallback.

    Text without Chinese characters (a phone number, "95598") reads the same in every
    language and is never marked.
    """
    if not isinstance(text, str) or locale == "zh_Hans":
        return text
    if isinstance(own, str) and own.strip() and fresh:
        # A translator's Traditional text is kept as written, only characters they left in
        # Simplified are converted; it is not marked as converted.
        return to_traditional(own) if locale == "zh_Hant" else own
    if not _HAN.search(text):
        return text
    if locale == "zh_Hant":
        return ConvertedText(to_traditional(text))
    return FallbackText(text)


def upgraded_translation(translation: dict[str, Any]) -> dict[str, Any]:
    """A translation in today's shape: fee names stored the old way (one list of names)
    become the name of each translated fee row."""
    names = translation.get("fee_names")
    if not names:
        return translation
    fees = [dict(row) for row in translation.get("fees", [])]
    fees += [{} for _ in range(len(names) - len(fees))]
    for row, name in zip(fees, names, strict=False):
        if name and not row.get("name"):
            row["name"] = name
    return {k: v for k, v in translation.items() if k != "fee_names"} | {"fees": fees}


class _Overlay:
    """One walk of a content in one locale, along the declared translatable paths."""

    def __init__(self, locale: str, translation: dict[str, Any], sources: dict[str, str]):
        self.locale = locale
        self.translation = translation
        self.sources = sources

    def fresh(self, path: str, text: str) -> bool:
        # A translation records the fingerprint of the Chinese text it was made from
        # (stamp_sources). When that text has changed since, the translation may say what no
        # longer holds: Traditional is then converted afresh from the new text (and marked
        # converted), English falls back to the Chinese text in force (marked zh-Hans), and
        # the editor shows the translation as outdated. A translation without a fingerprint
        # (written before fingerprints were kept) is trusted.
        mark = self.sources.get(path)
        return mark is None or mark == source_mark(text)

    def walk(self, value: Any, own: Any, tree: Any, path: str) -> Any:
        if tree is True:
            if isinstance(value, list):  # a list of texts declared as a whole
                return self.walk(value, own, {"[]": True}, path)
            text = value if isinstance(value, str) else None
            fresh = text is None or self.fresh(path, text)
            return localized_text(value, own, self.locale, fresh)
        if isinstance(value, list) and "[]" in tree:
            rows = own if isinstance(own, list) else []
            return [
                self.walk(item, rows[n] if n < len(rows) else None, tree["[]"], f"{path}[{n}]")
                for n, item in enumerate(value)
            ]
        if isinstance(value, dict):
            own = own if isinstance(own, dict) else {}
            out = {}
            for key, item in value.items():
                where = f"{path}.{key}" if path else key
                if key in tree:
                    out[key] = self.walk(item, own.get(key), tree[key], where)
                else:
                    out[key] = self.rest(item)
            return out
        return self.rest(value)

    def rest(self, value: Any) -> Any:
        # Text nobody declared translatable (a unit, a code) is left as it is in English; in
        # Traditional it is still converted, so no page mixes Simplified into Traditional.
        if self.locale != "zh_Hant":
            return value
        if isinstance(value, str):
            return ConvertedText(to_traditional(value)) if _HAN.search(value) else value
        if isinstance(value, list):
            return [self.rest(v) for v in value]
        if isinstance(value, dict):
            return {k: self.rest(v) for k, v in value.items()}
        return value


def _translation(content: dict[str, Any], locale: str) -> dict[str, Any]:
    return upgraded_translation((content.get("translations") or {}).get(locale) or {})


def localized_content(content: dict[str, Any], locale: str) -> tuple[dict[str, Any], str]:
    """Content for `locale` and how it was obtained: "original", "translated",
    "converted" (Traditional made from Simplified) or "fallback" (English missing).

    Each text of the result knows how it was obtained: a FallbackText (Simplified shown for
    want of a translation) or a ConvertedText; see has_fallback and has_converted.
    """
    if locale == "zh_Hans":
        return content, "original"
    translation = _translation(content, locale)
    overlay = _Overlay(locale, translation, translation.get("sources") or {})
    result = overlay.walk(content, translation, TRANSLATABLE_TREE, "")
    if translation:
        return result, "translated"
    return result, "converted" if locale == "zh_Hant" else "fallback"


def localized_name(content: dict[str, Any], locale: str) -> str:
    """The name alone, as localized_content(content, locale) gives it, without the rest."""
    if locale == "zh_Hans":
        return content["name"]
    translation = _translation(content, locale)
    fresh = _Overlay(locale, translation, translation.get("sources") or {}).fresh
    return localized_text(
        content["name"], translation.get("name"), locale, fresh("name", content["name"])
    )


def localized_summary(revision_content: dict[str, Any], summary: str, locale: str) -> str:
    """A revision's change summary in `locale` (its translations travel in the content)."""
    if locale == "zh_Hans" or not summary:
        return summary
    translation = _translation(revision_content, locale)
    fresh = _Overlay(locale, translation, translation.get("sources") or {}).fresh
    own = translation.get("change_summary")
    return localized_text(summary, own, locale, fresh("change_summary", summary))


def localized_field(obj: Any, field: str, locale: str) -> str:
    """A record's field (a channel's hours, a basis's title) in `locale`, from its own
    `translations`, converted, or marked as a fallback."""
    text = getattr(obj, field)
    own = (getattr(obj, "translations", None) or {}).get(locale, {}).get(field)
    return localized_text(text, own, locale)


def _any(value: Any, kind: type) -> bool:
    if isinstance(value, kind):
        return True
    if isinstance(value, dict):
        return any(_any(v, kind) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_any(v, kind) for v in value)
    return False


def has_fallback(*values: Any) -> bool:
    """Whether any text in `values` (nested as content is) is shown in Simplified for want of
    a translation."""
    return _any(values, FallbackText)


def has_converted(*values: Any) -> bool:
    """Whether any text in `values` was converted to Traditional automatically."""
    return _any(values, ConvertedText)
