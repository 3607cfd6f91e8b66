"""Revision content in the reader's language, with converted or fallback text marked."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import opencc

TEXT_FIELDS = ("name", "summary", "result", "payment_methods", "conditions", "faq")
# The BCP 47 tag of each locale, for lang attributes, feeds and documents.
BCP47 = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}
# OpenCC's s2t with its dictionaries merged into one: the same conversion in about 6 MB of
# each web worker's memory instead of 27 (see s2t/build.py).
S2T_CONFIG = Path(__file__).resolve().parent / "s2t" / "s2t.json"


def bcp47(locale: str) -> str:
    """The BCP 47 tag of a locale (zh_Hant → zh-Hant); Simplified Chinese for anything unknown."""
    return BCP47.get(locale, "zh-Hans")


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC(str(S2T_CONFIG))


def to_traditional(text: str) -> str:
    """Simplified Chinese converted to Traditional characters."""
    return _to_traditional().convert(text)


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
