"""Drafts as editors save them, and merging two saves of the same draft that crossed."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from services.content.diff import FIELD_ORDER, flatten

# Besides the content's own top-level fields, a draft carries these two.
META_FIELDS = ("change_summary", "is_major")


@dataclass(frozen=True)
class DraftData:
    """What an editor saves: the content with its change summary and major/minor flag."""

    content: dict[str, Any]
    change_summary: str
    is_major: bool
    version: int
    saved_by: str = ""

    def value_of(self, field: str) -> Any:
        """One top-level field, compared blank-insensitively (see content_diff.flatten)."""
        if field in META_FIELDS:
            return getattr(self, field)
        return flatten(self.content.get(field), field)

    def to_json(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "change_summary": self.change_summary,
            "is_major": self.is_major,
            "version": self.version,
        }

    @classmethod
    def from_json(cls, data: Any) -> DraftData | None:
        """A draft sent back by a form, or None if it is not one."""
        try:
            return cls(
                content=dict(data["content"]),
                change_summary=str(data["change_summary"]),
                is_major=bool(data["is_major"]),
                version=int(data["version"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


class EditConflict(Exception):
    """A save based on a version someone else has since replaced; carries both versions."""

    def __init__(self, revision_id: int, mine: DraftData, theirs: DraftData):
        super().__init__(f"revision {revision_id} changed: version {mine.version} is stale")
        self.revision_id = revision_id
        self.mine = mine
        self.theirs = theirs


@dataclass(frozen=True)
class FieldConflict:
    """A field where my draft and the saved one differ, and who changed it since the base."""

    field: str
    changed_by_me: bool
    changed_by_them: bool

    @property
    def keep_mine(self) -> bool:
        """The suggested choice: mine if I changed it, otherwise their newer text."""
        return self.changed_by_me


def conflicting_fields(
    theirs: DraftData, mine: DraftData, base: DraftData | None = None
) -> list[FieldConflict]:
    """The top-level fields (content, change summary, major flag) where two drafts differ.

    With the version both started from, each field says who changed it; without it, both
    are assumed to have.
    """
    keys = sorted(
        dict.fromkeys([*theirs.content, *mine.content]),
        key=lambda k: FIELD_ORDER.get(k, len(FIELD_ORDER)),
    )
    conflicts = []
    for field in [*keys, *META_FIELDS]:
        if theirs.value_of(field) == mine.value_of(field):
            continue
        if base is None:
            conflicts.append(FieldConflict(field, True, True))
        else:
            original = base.value_of(field)
            conflicts.append(
                FieldConflict(
                    field, mine.value_of(field) != original, theirs.value_of(field) != original
                )
            )
    return conflicts


def merge_drafts(theirs: DraftData, mine: DraftData, take_mine: set[str]) -> DraftData:
    """Their saved draft with the fields in `take_mine` replaced by mine; based on their
    version, so saving it goes through the usual version check."""
    content = copy.deepcopy(theirs.content)
    for key in take_mine & set(FIELD_ORDER):
        if key in mine.content:
            content[key] = copy.deepcopy(mine.content[key])
        else:
            content.pop(key, None)
    return DraftData(
        content=content,
        change_summary=(mine if "change_summary" in take_mine else theirs).change_summary,
        is_major=(mine if "is_major" in take_mine else theirs).is_major,
        version=theirs.version,
    )
