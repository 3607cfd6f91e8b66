"""The one schema every revision's content is validated against, and its validator."""

from __future__ import annotations

from functools import cache
from typing import Any

MONEY = {"type": "string", "pattern": r"^\d{1,9}(\.\d{1,4})?$"}
QUANTITY = {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,4})?$"}
TEXT = {"type": "string", "maxLength": 4000}
SHORT = {"type": "string", "minLength": 1, "maxLength": 300}

BASIS_REF = {
    "type": "object",
    "required": ["code"],
    "additionalProperties": False,
    "properties": {"code": SHORT, "article": {"type": "string", "maxLength": 120}},
}

# Time limits. Each says where it comes from (a legal basis and its article, or the
# provider's own promise); minutes and hours run around the clock; a limit that depends on
# the case lists its cases, each with its own figure. All three are optional: published
# content from before them stays valid and is shown without a source line.
TIME_UNITS = ["working_days", "calendar_days", "hours", "minutes", "on_the_spot"]
LIMIT_SOURCES = ["law", "promise"]
LIMIT_VALUE = {"type": "integer", "minimum": 0, "maximum": 3650}
LIMIT_SOURCE = {
    "type": "object",
    "required": ["kind"],
    "additionalProperties": False,
    "properties": {
        "kind": {"enum": LIMIT_SOURCES},
        "code": SHORT,  # the legal basis, for kind "law"
        "article": {"type": "string", "maxLength": 120},
    },
}
LIMIT_CASE = {
    "type": "object",
    "required": ["label", "value", "unit"],
    "additionalProperties": False,
    "properties": {"label": SHORT, "value": LIMIT_VALUE, "unit": {"enum": TIME_UNITS}},
}
TIME_LIMIT = {
    "type": "object",
    "required": ["value", "unit"],
    "additionalProperties": False,
    "properties": {
        "value": LIMIT_VALUE,
        "unit": {"enum": TIME_UNITS},
        "note": TEXT,
        "source": LIMIT_SOURCE,
        "cases": {"type": "array", "maxItems": 10, "items": LIMIT_CASE},
    },
}

TIER = {
    "type": "object",
    "required": ["lower", "price"],
    "additionalProperties": False,
    "properties": {
        "lower": QUANTITY,
        "upper": {"anyOf": [QUANTITY, {"type": "null"}]},
        "price": MONEY,
        "components": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "price"],
                "additionalProperties": False,
                "properties": {"name": SHORT, "price": MONEY},
            },
        },
    },
}

PRICING_TYPES = {
    "free": {"required": [], "properties": {}},
    "flat": {"required": ["amount", "unit"], "properties": {"amount": MONEY, "unit": SHORT}},
    "tiers": {
        "required": ["tiers", "unit", "period"],
        "properties": {
            "unit": SHORT,
            "period": {"enum": ["month", "year"]},
            # Where a boundary value belongs: to the tier below (upper inclusive, the
            # Chinese "0-180(含)" convention) or to the tier above.
            "upper_inclusive": {"type": "boolean"},
            "tiers": {"type": "array", "minItems": 1, "maxItems": 10, "items": TIER},
        },
    },
    "text": {"required": ["text"], "properties": {"text": SHORT}},
}

# if/then on the "type" discriminator (not oneOf) so an error names the field that is wrong
# in the pricing the editor chose, not a mismatch with every other kind of pricing.
PRICING = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"enum": list(PRICING_TYPES)}},
    "allOf": [
        {
            "if": {"properties": {"type": {"const": kind}}},
            "then": {
                "required": shape["required"],
                "properties": {"type": {"const": kind}} | shape["properties"],
                "additionalProperties": False,
            },
        }
        for kind, shape in PRICING_TYPES.items()
    ],
}

FEE = {
    "type": "object",
    "required": ["name", "kind", "pricing", "basis"],
    "additionalProperties": False,
    "properties": {
        "name": SHORT,
        "kind": {"enum": ["charge", "deposit", "penalty"]},
        "customer_class": {"type": "string", "maxLength": 60},
        "pricing": PRICING,
        "basis": {"type": "array", "items": BASIS_REF},
        "reductions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["description"],
                "additionalProperties": False,
                "properties": {
                    "description": TEXT,
                    "basis": {"type": "array", "items": BASIS_REF},
                },
            },
        },
        "valid_until": {"type": ["string", "null"], "format": "date"},
        "note": TEXT,
    },
}

HOURS = {
    "type": "object",
    "required": ["weekdays", "opens", "closes"],
    "additionalProperties": False,
    "properties": {
        "weekdays": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "integer", "minimum": 1, "maximum": 7},
        },
        "opens": {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$"},
        "closes": {"type": "string", "pattern": r"^([01]\d|2[0-4]):[0-5]\d$"},
    },
}

CONTENT_PROPERTIES: dict[str, Any] = {
    "name": SHORT,
    "summary": TEXT,
    "audience": {"enum": ["person", "legal_person", "both"]},
    "conditions": {"type": "array", "items": TEXT},
    "materials": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["name", "form", "copies", "required"],
            "additionalProperties": False,
            "properties": {
                "name": SHORT,
                "form": {"enum": ["original", "copy", "electronic"]},
                "copies": {"type": "integer", "minimum": 0, "maximum": 99},
                "required": {"type": "boolean"},
                "note": TEXT,
            },
        },
    },
    "steps": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["title"],
            "additionalProperties": False,
            "properties": {
                "title": SHORT,
                "description": TEXT,
                "time_limit": {"anyOf": [TIME_LIMIT, {"type": "null"}]},
            },
        },
    },
    "time_limits": {
        "type": "object",
        # No statutory limit where no law sets one: a promise is not put in its place.
        "required": ["promised"],
        "additionalProperties": False,
        "properties": {"statutory": TIME_LIMIT, "promised": TIME_LIMIT},
    },
    "visits": {"type": "integer", "minimum": 0, "maximum": 9},
    "fees": {"type": "array", "items": FEE},
    "payment_methods": {"type": "array", "items": SHORT},
    "basis": {"type": "array", "items": BASIS_REF},
    "hearing": {
        "type": "object",
        "required": ["held_on", "body"],
        "additionalProperties": False,
        "properties": {
            "held_on": {"type": "string", "format": "date"},
            "body": SHORT,
            "outcome": TEXT,
            "url": {"type": "string", "maxLength": 300},
        },
    },
    "locations": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["name", "address", "hours"],
            "additionalProperties": False,
            "properties": {
                "name": SHORT,
                "address": SHORT,
                "hours": {"type": "array", "items": HOURS},
                "hours_note": TEXT,
                "phone": {"type": "string", "maxLength": 40},
            },
        },
    },
    "channels": {"type": "array", "items": SHORT},
    "online_url": {"type": "string", "maxLength": 300},
    "result": TEXT,
    "faq": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["question", "answer"],
            "additionalProperties": False,
            "properties": {"question": TEXT, "answer": TEXT},
        },
    },
}

# Translations overlay the same text fields; structure (fees, limits) stays in the original.
TRANSLATION = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        key: CONTENT_PROPERTIES[key]
        for key in ("name", "summary", "conditions", "result", "faq", "payment_methods")
    }
    | {"materials": {"type": "array", "items": {"type": "object"}}}
    | {"steps": {"type": "array", "items": {"type": "object"}}}
    | {"fee_names": {"type": "array", "items": {"type": "string"}}},
}

CONTENT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Gongshi revision content",
    "type": "object",
    "required": ["name", "summary", "audience", "time_limits", "fees", "channels"],
    "additionalProperties": False,
    "properties": CONTENT_PROPERTIES
    | {
        "translations": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"zh_Hant": TRANSLATION, "en": TRANSLATION},
        }
    },
}


@cache
def _validator():
    # Built on first use: public pages never validate, and jsonschema costs each web worker
    # megabytes.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(CONTENT_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


class ContentError(ValueError):
    """Content that does not fit the schema; `field` names where, as a dotted path."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def field_path(path) -> str:
    """Render a jsonschema error path as `fees[0].pricing.tiers[1].price`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(content)"


def content_errors(content: Any) -> list[ContentError]:
    """Every schema violation in a revision's content, most specific first."""
    errors = []
    for error in sorted(_validator().iter_errors(content), key=lambda e: list(e.absolute_path)):
        errors.append(ContentError(field_path(error.absolute_path), error.message))
    return errors


def validate_content(content: Any) -> None:
    """Raise ContentError for the first schema violation, naming the field."""
    errors = content_errors(content)
    if errors:
        raise errors[0]
