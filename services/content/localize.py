"""Revision content in the reader's language, with converted or fallback text marked."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import opencc

TEXT_FIELDS = ("name", "summary", "result", "payment_methods", "conditions", "faq")
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


def _convert(value: Any) -> Any:
    if isinstance(value, str):
        return to_traditional(value)
    if isinstance(value, list):
        return [_convert(v) for v in value]
    if isinstance(value, dict):
        return {k: _convert(v) for k, v in value.items()}
    return value


def _overlay_rows(rows: list[dict], overlay: list[dict]) -> list[dict]:
    merged = []
    for n, row in enumerate(rows):
        extra = overlay[n] if n < len(overlay) else {}
        merged.append(row | {k: v for k, v in extra.items() if v})
    return merged


def localized_content(content: dict[str, Any], locale: str) -> tuple[dict[str, Any], str]:
    """Content for `locale` and how it was obtained: "original", "translated",
    "converted" (Traditional made from Simplified) or "fallback" (English missing).
    """
    if locale == "zh_Hans":
        return content, "original"
    translation = content.get("translations", {}).get(locale)
    if translation:
        result = copy.deepcopy(content)
        for key in TEXT_FIELDS:
            if translation.get(key):
                result[key] = translation[key]
        result["materials"] = _overlay_rows(
            content.get("materials", []), translation.get("materials", [])
        )
        result["steps"] = _overlay_rows(content.get("steps", []), translation.get("steps", []))
        for fee, name in zip(
            result.get("fees", []), translation.get("fee_names", []), strict=False
        ):
            if name:
                fee["name"] = name
        if locale == "zh_Hant":
            # Whatever the translator left out is still converted, never shown in Simplified.
            result = _convert(result)
        return result, "translated"
    if locale == "zh_Hant":
        return _convert(content), "converted"
    return content, "fallback"


def localized_name(content: dict[str, Any], locale: str) -> str:
    """The name alone, as localized_content(content, locale) gives it, without the rest."""
    if locale == "zh_Hans":
        return content["name"]
    translation = content.get("translations", {}).get(locale) or {}
    name = translation.get("name") or content["name"]
    return to_traditional(name) if locale == "zh_Hant" else name
