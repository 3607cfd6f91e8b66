"""Which material of a revision's content has which blank form or sample."""

from __future__ import annotations

import copy
from typing import Any

KINDS = ("blank_form", "sample")


def material_file(content: dict[str, Any], number: int, kind: str) -> str | None:
    """The hash of material `number`'s (1-based) blank form or sample in `content`, if any."""
    materials = content.get("materials") or []
    if kind not in KINDS or not 1 <= number <= len(materials):
        return None
    return materials[number - 1].get(kind)


def with_material_file(
    content: dict[str, Any], number: int, kind: str, sha256: str | None
) -> dict[str, Any]:
    """A copy of `content` whose material `number` has this file as its `kind` (none if
    `sha256` is None). Raises IndexError for a material that is not there."""
    materials = content.get("materials") or []
    if kind not in KINDS:
        raise ValueError(f"unknown kind of form {kind!r}")
    if not 1 <= number <= len(materials):
        raise IndexError(number)
    result = copy.deepcopy(content)
    material = result["materials"][number - 1]
    if sha256 is None:
        material.pop(kind, None)
    else:
        material[kind] = sha256
    return result


def form_files(content: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(material number, kind, hash) of every form and sample in `content`, in order."""
    return [
        (number, kind, material[kind])
        for number, material in enumerate(content.get("materials") or [], 1)
        for kind in KINDS
        if material.get(kind)
    ]
