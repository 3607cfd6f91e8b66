"""Revision content as an editable form, walked from the content schema, and read back.

Every input is named by its field path (`fees[0].pricing.tiers[1].price`), the same path a
ContentError names, so a problem can be shown at its input. Reading a form back keeps
whatever was typed, valid or not, so validation can name it and nothing is lost.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from kiosk.field_labels import FIELD_LABELS, value_label
from services.content.kinds import SERVICE_ONLY, TARIFF_ONLY
from services.content.schema import CONTENT_SCHEMA, TRANSLATION_TEXT
from services.content.text import without_invisible
from services.content.translations import pruned_translations, translation_form, value_at
from services.models import ItemKind

MISSING = object()
# Translations show what an editor types; what they were made from is kept on saving.
FORM_SCHEMA = {
    "type": "object",
    "required": CONTENT_SCHEMA["required"],
    "properties": CONTENT_SCHEMA["properties"]
    | {
        "translations": {
            "type": "object",
            "properties": {"zh_Hant": TRANSLATION_TEXT, "en": TRANSLATION_TEXT},
        }
    },
}
# Fields whose values are codes of records in the database, chosen from a list.
CODE_FIELDS = {
    "channels[]": "channel",
    "basis[].code": "basis",
    "fees[].basis[].code": "basis",
    "fees[].reductions[].basis[].code": "basis",
    "price_notice.document.code": "basis",
    "price_notice.disclosure.basis.code": "basis",
    "fees[].display_basis[].code": "basis",
    "time_limits.statutory.source.code": "basis",
    "time_limits.promised.source.code": "basis",
    "steps[].time_limit.source.code": "basis",
}
CHECKBOX_FIELDS = {"locations[].hours[].weekdays"}
# Uploaded PDFs, named by their hash: uploaded and removed on the revision's forms page,
# carried unchanged through this form.
FILE_FIELDS = {"materials[].blank_form", "materials[].sample"}
# No real item comes near these; past them a form is cut, shown again and not saved.
MAX_ROWS_PER_LIST = 200
MAX_FORM_FIELDS = 10_000
_INDEX = re.compile(r"\[\d+\]")
_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass
class Field:
    """One node of the form: a group of fields, a list of rows, a row, or an input."""

    path: str
    key: str
    # group, rows, row; or an input: text, textarea, number, date, select, file, tristate (an
    # optional yes/no), checkbox, checkboxes
    widget: str
    value: Any = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)
    required: bool = False
    blank_choice: bool = False
    variants: str = ""  # for pricing fields: the pricing types the field belongs to
    original: str = ""  # for a translation's input: the Chinese text it translates

    @property
    def label(self) -> str:
        return str(FIELD_LABELS.get(self.key, self.key))

    @property
    def dom_id(self) -> str:
        return dom_id(self.path)


def dom_id(path: str) -> str:
    """The HTML id of the input for a field path."""
    return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _pattern(path: str) -> str:
    return _INDEX.sub("[]", path)


def _resolve(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The schema without its null alternative, and whether null is allowed."""
    if "anyOf" in schema:
        return [s for s in schema["anyOf"] if s.get("type") != "null"][0], True
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        return schema | {"type": [t for t in kind if t != "null"][0]}, True
    return schema, False


def _branches(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A union told apart by its `type` (allOf of if/then, as pricing is): each branch's
    `then` schema by type; {} for an ordinary object."""
    branches = {}
    for rule in schema.get("allOf", []):
        if "if" in rule and "then" in rule:
            branches[rule["if"]["properties"]["type"]["const"]] = rule["then"]
    return branches


def _properties(schema: dict[str, Any]) -> tuple[dict[str, Any], set[str], dict[str, str]]:
    """Properties, required names and, for a union such as pricing, the types each
    property belongs to (all branches' properties are shown; CSS hides the others)."""
    branches = _branches(schema)
    props = dict(schema.get("properties", {}))
    required = set(schema.get("required", []))
    variants: dict[str, list[str]] = {}
    for name, branch in branches.items():
        required |= set(branch.get("required", []))
        for key, sub in branch.get("properties", {}).items():
            if key != "type":
                props.setdefault(key, sub)
                variants.setdefault(key, []).append(name)
    return props, required, {k: " ".join(v) for k, v in variants.items()}


def _branch(schema: dict[str, Any], chosen: str) -> tuple[dict[str, Any], set[str]]:
    """The properties and required names of the branch of type `chosen` (only the type
    itself if there is no such branch, so validation names it)."""
    branch = _branches(schema).get(chosen, {})
    props = schema.get("properties", {}) | branch.get("properties", {})
    required = set(schema.get("required", [])) | set(branch.get("required", []))
    return (props, required) if branch else ({"type": props["type"]}, {"type"})


def _items(schema: dict[str, Any], key: str) -> dict[str, Any]:
    return schema.get("items", {})


def _widget(schema: dict[str, Any], path: str, required: bool) -> str:
    pattern = _pattern(path)
    if pattern in CHECKBOX_FIELDS or "enum" in schema.get("items", {}):
        return "checkboxes"
    if pattern in FILE_FIELDS:
        return "file"
    if pattern in CODE_FIELDS or "enum" in schema:
        return "select"
    kind = schema.get("type")
    if kind == "object":
        return "group"
    if kind == "array":
        return "rows"
    if kind == "integer":
        return "number"
    if kind == "boolean":
        return "checkbox" if required else "tristate"
    if schema.get("format") == "date":
        return "date"
    return "textarea" if schema.get("maxLength", 0) > 300 else "text"


def _choices(schema: dict[str, Any], path: str, value: Any, lists: dict) -> list[tuple[str, str]]:
    source = CODE_FIELDS.get(_pattern(path))
    if source:
        choices = list(lists.get(source, []))
    else:
        choices = [(str(v), value_label(path, v)) for v in schema["enum"]]
    if value not in (None, "") and str(value) not in {c for c, _label in choices}:
        choices.append((str(value), str(value)))  # keep an unknown value visible, not lost
    return choices


def _node(schema, path, key, value, required, optional_context, lists) -> Field:
    schema, nullable = _resolve(schema)
    widget = _widget(schema, path, required)
    optional = optional_context or nullable or not required
    if widget == "group":
        props, needed, variants = _properties(schema)
        children = [
            _node(sub, _join(path, k), k, (value or {}).get(k), k in needed, optional, lists)
            for k, sub in props.items()
        ]
        for child in children:
            child.variants = variants.get(child.key, "")
            if child.key == "type" and variants:
                child.blank_choice = False
        return Field(path, key, "group", children=children, required=required)
    if widget == "rows":
        items = _items(schema, key)
        rows = [_row(items, f"{path}[{n}]", key, row, lists) for n, row in enumerate(value or [])]
        return Field(path, key, "rows", children=rows, required=required)
    if widget in ("select", "checkboxes"):
        if widget == "select":
            choices = _choices(schema, path, value, lists)
        elif "enum" in schema.get("items", {}):
            choices = [(str(v), value_label(path, v)) for v in schema["items"]["enum"]]
        else:
            choices = [(str(d), str(d)) for d in range(1, 8)]
        return Field(
            path,
            key,
            widget,
            value=value,
            choices=choices,
            required=required,
            blank_choice=optional,
        )
    shown = "" if value is None else value
    if widget == "tristate":
        shown = "" if value is None else ("true" if value else "false")
    return Field(path, key, widget, value=shown, required=required)


def _row(items, path, key, value, lists) -> Field:
    node = _node(items, path, key, value, True, False, lists)
    return Field(path, key, "row", children=node.children if node.widget == "group" else [node])


def content_fields(
    content: dict[str, Any],
    lists: dict[str, list[tuple[str, str]]],
    kind: ItemKind = ItemKind.SERVICE,
) -> list[Field]:
    """The form for a revision's content, one top-level field after another, with the
    fields of the item's kind only: a price notice's for a tariff, a service guide's else.

    `lists` holds the choices for coded fields: {"channel": [...], "basis": [...]}. Each
    translation offers an input for every translatable text of the original.
    """
    other_kind = SERVICE_ONLY if kind == ItemKind.TARIFF else TARIFF_ONLY
    fields = _node(FORM_SCHEMA, "", "", translation_form(content), True, False, lists).children
    _show_originals(fields, content)
    for language in next((f.children for f in fields if f.key == "translations"), []):
        language.children = [f for f in language.children if f.key not in other_kind]
    return [f for f in fields if f.key not in other_kind]


def _show_originals(fields: list[Field], content: dict[str, Any]) -> None:
    # Beside each translation input, the text it translates, so rows are matched by eye.
    for f in fields:
        _show_originals(f.children, content)
        if f.path.startswith("translations.") and f.widget in ("text", "textarea"):
            original = value_at(content, f.path.split(".", 2)[2])
            f.original = original if isinstance(original, str) else ""


class FormIndex:
    """A submitted form read once: values by name, row numbers by list, and the groups and
    lists something was typed into.

    Reading a nested form by scanning every name for every group and list costs rows
    squared; with the index each name is looked at once. Lists longer than
    MAX_ROWS_PER_LIST and forms with more than MAX_FORM_FIELDS values are cut at the limit
    and marked `over_limit`, so the caller can say so.
    """

    def __init__(self, form: MultiDict):
        self.values: dict[str, list[str]] = {}
        self.rows: dict[str, set[int]] = {}
        self.filled: set[str] = set()
        self.over_limit = False
        for count, (key, value) in enumerate(form.items(multi=True)):
            if count == MAX_FORM_FIELDS:
                self.over_limit = True
                break
            self.values.setdefault(key, []).append(value)
        for key, values in self.values.items():
            typed = any(v.strip() for v in values)
            for match in _TOKEN.finditer(key):
                start = match.start()
                if match[2] is not None:
                    self.rows.setdefault(key[:start], set()).add(int(match[2]))
                if typed and start:
                    self.filled.add(key[: start - 1] if key[start - 1] == "." else key[:start])

    def get(self, key: str, default: str = "") -> str:
        values = self.values.get(key)
        return values[0] if values else default

    def getlist(self, key: str) -> list[str]:
        return self.values.get(key, [])

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def row_numbers(self, path: str) -> list[int]:
        """The row numbers sent for the list at `path`, in order, at most MAX_ROWS_PER_LIST."""
        numbers = sorted(self.rows.get(path, ()))
        if len(numbers) > MAX_ROWS_PER_LIST:
            self.over_limit = True
            numbers = numbers[:MAX_ROWS_PER_LIST]
        return numbers


def _blank(required: bool, nullable: bool) -> Any:
    # A blank optional field is left out rather than stored as "" or null.
    if not required:
        return MISSING
    return None if nullable else ""


def _read(schema, path, form, required) -> Any:
    schema, nullable = _resolve(schema)
    key = path.rsplit(".", 1)[-1].split("[")[0]
    widget = _widget(schema, path, required)
    if widget == "group":
        if path and not required and path not in form.filled:
            return MISSING
        if _branches(schema):
            props, needed = _branch(schema, form.get(_join(path, "type"), "").strip())
        else:
            props, needed = schema.get("properties", {}), set(schema.get("required", []))
        out = {}
        for k, sub in props.items():
            value = _read(sub, _join(path, k), form, k in needed)
            if value is not MISSING:
                out[k] = value
        return out
    if widget == "rows":
        indexes = form.row_numbers(path)
        items = _items(schema, key)
        rows = [_read(items, f"{path}[{n}]", form, True) for n in indexes]
        return rows if rows or required else MISSING
    if widget == "checkboxes":
        allowed = schema.get("items", {}).get("enum")
        if allowed is None:
            return [int(v) for v in form.getlist(path) if v.isdigit()]
        chosen = [v for v in allowed if v in form.getlist(path)]
        return chosen if chosen or required else MISSING
    if widget == "checkbox":
        return path in form
    # Direction overrides and zero-width characters only make text read other than stored.
    raw = without_invisible(form.get(path, "")).replace("\r\n", "\n").strip()
    if widget == "tristate":
        return {"true": True, "false": False}.get(raw, MISSING)
    if not raw:
        return _blank(required, nullable)
    if widget == "number" and re.fullmatch(r"-?\d+", raw):
        return int(raw)
    return raw


def read_form(form: MultiDict) -> tuple[dict[str, Any], bool]:
    """The content a submitted form describes, typed as the schema expects where it can be,
    and whether the form went past MAX_ROWS_PER_LIST or MAX_FORM_FIELDS (and was cut)."""
    index = FormIndex(form)
    content = pruned_translations(_read(FORM_SCHEMA, "", index, True))
    return content, index.over_limit


def read_content(form: MultiDict) -> dict[str, Any]:
    """The content a submitted form describes, typed as the schema expects where it can be."""
    return read_form(form)[0]


def _schema_at(tokens: list[tuple[str, str]]) -> dict[str, Any]:
    schema: dict[str, Any] = FORM_SCHEMA
    key = ""
    for name, index in tokens:
        schema = _resolve(schema)[0]
        if index:
            schema = _items(schema, key)
        else:
            props = _properties(schema)[0]
            schema, key = props.get(name, {}), name
    return _resolve(schema)[0]


class RowOpError(ValueError):
    """A row operation that names no list or row of the form."""


ROW_ACTIONS = ("add", "remove", "up", "down")


def apply_row_op(content: dict[str, Any], op: str) -> dict[str, Any]:
    """A copy of `content` with one row added, removed or moved.

    `op` is `add:<list path>`, or `remove:`, `up:` or `down:` followed by a row's path.
    Raises RowOpError for an unknown action, a path that is not a list of the form, or a
    row that is not there.
    """
    action, _sep, path = op.partition(":")
    tokens = _TOKEN.findall(path)
    if (
        action not in ROW_ACTIONS
        or not tokens
        or "".join(f"[{i}]" if i else f".{n}" for n, i in tokens).lstrip(".") != path
    ):
        raise RowOpError(op)
    if action != "add" and not tokens[-1][1]:
        raise RowOpError(op)
    list_tokens = tokens if action == "add" else tokens[:-1]
    try:
        is_list = _schema_at(list_tokens).get("type") == "array"
        item_schema = _items(_schema_at(list_tokens), list_tokens[-1][0]) if is_list else {}
    except (KeyError, IndexError, TypeError):
        is_list = False
    if not is_list:
        raise RowOpError(op)
    result = copy.deepcopy(content)
    target: Any = result
    for n, (name, index) in enumerate(list_tokens):
        if index:
            if not isinstance(target, list) or int(index) >= len(target):
                raise RowOpError(op)
            target = target[int(index)]
        else:
            if not isinstance(target, dict):
                raise RowOpError(op)
            upcoming = list_tokens[n + 1] if n + 1 < len(list_tokens) else None
            empty: Any = {} if upcoming and not upcoming[1] else []
            if target.get(name) is None:
                target[name] = empty
            target = target[name]
    if not isinstance(target, list):
        raise RowOpError(op)
    if action == "add":
        if len(target) >= MAX_ROWS_PER_LIST:
            raise RowOpError(op)
        target.append({} if item_schema.get("type") == "object" else "")
        return result
    position = int(tokens[-1][1])
    if position >= len(target):
        raise RowOpError(op)
    if action == "remove":
        del target[position]
    else:
        other = position - 1 if action == "up" else position + 1
        if 0 <= other < len(target):
            target[position], target[other] = target[other], target[position]
    return result
