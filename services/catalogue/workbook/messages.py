"""Every problem an import can report, as a message the interface translates."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Mark a message for extraction; the CLI translates it into the chosen language."""
    return message


MESSAGES = {
    # The file as a whole
    "file_too_large": N_("The file is larger than %(limit)s."),
    "unreadable": N_("The file could not be read; it may be damaged."),
    "wrong_file_type": N_("The file is neither an XLSX workbook nor a catalogue in JSON."),
    "csv_not_accepted": N_(
        "A catalogue has several sheets and CSV holds only one: "
        "save the workbook as .xlsx, or use the JSON export."
    ),
    "legacy_xls": N_("Old .xls workbooks cannot be read: save the file as .xlsx."),
    "too_complex": N_(
        "The file needs more memory or time to read than allowed; split it and import again."
    ),
    "packed_too_tightly": N_(
        "The file unpacks to far more than it holds; it cannot be a catalogue."
    ),
    "too_many_rows": N_("The workbook has more than %(limit)s rows."),
    "too_many_cells": N_("The workbook has more than %(limit)s filled cells."),
    "sheet_too_large": N_("A sheet's used range %(range)s is far larger than a catalogue."),
    "merged_too_large": N_("The workbook merges too many cells (%(range)s)."),
    "long_text": N_("A cell holds more than %(limit)s characters."),
    "bad_json": N_("The JSON file is not a catalogue export: %(detail)s"),
    # Sheets and columns
    "missing_sheet": N_("The sheet “%(sheet)s” is missing."),
    "unknown_sheet": N_(
        "The workbook has a sheet “%(sheet)s” that is not part of a catalogue; "
        "the sheets are: %(allowed)s."
    ),
    "missing_column": N_("The column “%(column)s” is missing from the header row."),
    "unknown_column": N_("“%(column)s” is not a column of this sheet."),
    "duplicate_column": N_("The column “%(column)s” appears twice in the header row."),
    "merged": N_("Cells %(range)s are merged; unmerge them and fill in every cell."),
    "formula": N_("%(label)s holds a formula (%(formula)s); enter the value itself."),
    # Cells
    "required": N_("%(label)s must not be blank."),
    "not_whole": N_("%(label)s must be a whole number, not “%(value)s”."),
    "not_a_number": N_("%(label)s must be a number, not “%(value)s”."),
    "negative": N_("%(label)s must not be negative (“%(value)s”)."),
    "too_precise": N_("%(label)s has too many digits (“%(value)s”)."),
    "bad_date": N_("%(label)s must be a date such as 2026-01-01, not “%(value)s”."),
    "not_allowed": N_("%(label)s must be one of: %(allowed)s; not “%(value)s”."),
    "not_yes_no": N_("%(label)s must be yes or no, not “%(value)s”."),
    "bad_refs": N_("%(label)s: “%(value)s” is not a reference such as price-law: 第十二条."),
    "bad_hours": N_("%(label)s: “%(value)s” is not opening hours such as 1-5 09:00-17:00."),
    "bad_parts": N_(
        "%(label)s: “%(value)s” is not a list of parts such as 水费 2.07; 污水处理费 1.36."
    ),
    "bad_cell_json": N_("%(label)s does not hold valid JSON."),
    "bad_field": N_("“%(value)s” is not a field such as name or materials[0].name."),
    "bad_web_address": N_("%(label)s must be a web address starting with http:// or https://."),
    "out_of_range": N_("%(label)s must be between %(low)s and %(high)s."),
    "bad_shape": N_("%(label)s does not have the form the admin screen writes: %(detail)s"),
    # Records and references
    "duplicate_key": N_("%(label)s “%(value)s” is already used in %(other)s."),
    "duplicate_position": N_("Position %(value)s is already used in %(other)s."),
    "unknown_item": N_("No row of the items sheet has the code “%(value)s”."),
    "unknown_fee": N_("Item %(item)s has no fee at position %(value)s."),
    "unknown_utility": N_("No utility has the slug “%(value)s”."),
    "unknown_channel": N_("No channel has the code “%(value)s”."),
    "unknown_basis": N_("No legal basis has the code “%(value)s”."),
    "unapproved_basis": N_(
        "The legal basis “%(value)s” is only proposed; "
        "it must be approved before an item citing it is published."
    ),
    "unknown_record": N_("No row of the %(target)s sheet has the key “%(value)s”."),
    "unknown_successor": N_("No item has the code “%(value)s”."),
    "missing_file": N_(
        "No uploaded form has the code %(value)s…; upload the PDF in the editor first."
    ),
    "translation_place": N_("The translation of %(value)s does not fit the text it translates."),
    "content": N_("The item's content does not fit the published format at %(field)s: %(detail)s"),
    "future_date": N_("%(label)s is after today; schedule a later change in the editor instead."),
    "open_revision": N_(
        "Item %(value)s already has an unpublished revision (no. %(number)s) with other "
        "content; publish or discard it first."
    ),
    "not_allowed_for_role": N_("%(user)s may not change %(what)s; only an administrator may."),
    "other_utility": N_("%(user)s may not change items of %(value)s."),
    "publish_admin_only": N_("Only an administrator may publish with an import."),
    "inactive_user": N_("There is no active account “%(value)s”."),
}


@dataclass(frozen=True)
class Problem:
    """One reason an import is refused: where (`items!F12`, or "" for the whole file), which
    message and its values."""

    where: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, translate=lambda message: message) -> str:
        """The message in the language `translate` gives, led by where it is."""
        message = translate(MESSAGES[self.code]) % self.params
        return f"{self.where}: {message}" if self.where else message


class Refused(Exception):
    """The file cannot be imported; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.text() for p in problems[:5]))
        self.problems = problems
