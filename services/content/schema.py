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

# Complete fee lists: what a fee pays for, whom it is paid to and its own validity; a
# market-regulated price (市场调节价), which rests on no price document and cites the
# price-marking rules (总局令第56号) for how it is shown; and the allowances a tiered tariff
# gives larger households and 低保 / 特困 households. All optional: old content stays valid.
FEE_DETAILS: dict[str, Any] = {
    "service_content": TEXT,  # 服务内容
    "payee": {"type": "string", "maxLength": 200},  # 收费单位
    "valid_from": {"type": ["string", "null"], "format": "date"},
    "market_regulated": {"type": "boolean"},
    "display_basis": {"type": "array", "items": BASIS_REF},
}
TIER_ALLOWANCES: dict[str, Any] = {
    # Each person beyond `above_persons` moves every bound between tiers up by `per_person`.
    "household_allowance": {
        "type": "object",
        "required": ["above_persons", "per_person"],
        "additionalProperties": False,
        "properties": {
            "above_persons": {"type": "integer", "minimum": 1, "maximum": 20},
            "per_person": QUANTITY,
            "note": TEXT,
        },
    },
    # The first `quantity` units of each billing period are free for 低保 and 特困 households.
    "low_income_quota": {
        "type": "object",
        "required": ["quantity"],
        "additionalProperties": False,
        "properties": {"quantity": QUANTITY, "note": TEXT},
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
        }
        | TIER_ALLOWANCES,
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
    }
    | FEE_DETAILS,
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

# A price notice (价格公示): what a tariff shows in place of a service's time limits. The
# price document is a legal basis by code, shown with its 文号, issuer and date; the
# disclosure deadline (公开时限) is the rule's, cited with its basis (checked per sector).
PRICE_NOTICE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "document": BASIS_REF,
        "effective_on": {"type": "string", "format": "date"},
        "published_on": {"type": "string", "format": "date"},
        "scope": TEXT,
        "collector": SHORT,
        "collected_for": SHORT,
        "disclosure": {
            "type": "object",
            "required": ["value", "unit", "basis"],
            "additionalProperties": False,
            "properties": {
                "value": {"type": "integer", "minimum": 1, "maximum": 365},
                "unit": {"enum": ["working_days", "calendar_days"]},
                "basis": BASIS_REF,
            },
        },
    },
}

# A complete 办事指南 also has, per material, its blank form and a filled-in sample
# (uploaded PDFs, named by the SHA-256 of their bytes so a published revision always points
# at the same file); per step the branches it can lead to (补正 with 一次性告知, 不予受理),
# drawn in the flow chart; how the result reaches the applicant; and the day the guide was
# last checked against practice. All optional: old content stays valid.
FILE_REF = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
STEP_BRANCHES = ["correction", "refusal"]
RESULT_DELIVERY = ["window", "post", "sms", "electronic"]

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
                "blank_form": FILE_REF,
                "sample": FILE_REF,
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
                "branches": {
                    "type": "array",
                    "items": {"enum": STEP_BRANCHES},
                    "uniqueItems": True,
                },
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
    "result_delivery": {"type": "array", "items": {"enum": RESULT_DELIVERY}, "uniqueItems": True},
    "verified_on": {"type": "string", "format": "date"},
    "faq": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["question", "answer"],
            "additionalProperties": False,
            "properties": {"question": TEXT, "answer": TEXT},
        },
    },
    "price_notice": PRICE_NOTICE,
}

# Every text a resident reads, as a path into the content ("[]" for each row of a list).
# A translation overlays exactly these, row by row, and the editor offers an input for each:
# a text field added to the content becomes translatable by adding its path here.
TRANSLATABLE = [
    "name",
    "summary",
    "conditions[]",
    "materials[].name",
    "materials[].note",
    "steps[].title",
    "steps[].description",
    "steps[].time_limit.note",
    "steps[].time_limit.cases[].label",
    "time_limits.statutory.note",
    "time_limits.statutory.cases[].label",
    "time_limits.promised.note",
    "time_limits.promised.cases[].label",
    "fees[].name",
    "fees[].customer_class",
    "fees[].pricing.text",
    "fees[].reductions[].description",
    "fees[].note",
    "payment_methods[]",
    "hearing.body",
    "hearing.outcome",
    "price_notice.scope",
    "price_notice.collector",
    "price_notice.collected_for",
    "fees[].service_content",
    "fees[].payee",
    "fees[].pricing.household_allowance.note",
    "fees[].pricing.low_income_quota.note",
    "locations[].name",
    "locations[].address",
    "locations[].hours_note",
    "result",
    "faq[].question",
    "faq[].answer",
    # The article a citation names ("第二十条": "Art. 20"), wherever a basis is cited.
    "basis[].article",
    "fees[].basis[].article",
    "fees[].display_basis[].article",
    "fees[].reductions[].basis[].article",
    "time_limits.statutory.source.article",
    "time_limits.promised.source.article",
    "steps[].time_limit.source.article",
    "price_notice.document.article",
]


def _translated_part(schema: dict[str, Any], tree: Any) -> dict[str, Any]:
    """The part of `schema` that the paths in `tree` reach, every field optional."""
    if "anyOf" in schema:
        schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
    if tree is True:
        if schema.get("type") == "array":
            return {"type": "array", "items": _translated_part(schema["items"], True)}
        # Blank means "not translated", so that rows keep their places.
        return {k: v for k, v in schema.items() if k != "minLength"}
    if "[]" in tree:
        return {"type": "array", "items": _translated_part(schema["items"], tree["[]"])}
    props = dict(schema.get("properties", {}))
    for rule in schema.get("allOf", []):  # a union such as pricing
        props |= rule.get("then", {}).get("properties", {})
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {key: _translated_part(props[key], sub) for key, sub in tree.items()},
    }


def path_tree(paths: list[str]) -> dict[str, Any]:
    """Paths as a tree: ["fees[].note", "name"] → {"fees": {"[]": {"note": True}}, "name": True}."""
    tree: dict[str, Any] = {}
    for path in paths:
        parts = path.replace("[]", ".[]").split(".")
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = True
    return tree


# The translatable paths as a tree, built once: every page's overlay walks it.
TRANSLATABLE_TREE = path_tree(TRANSLATABLE)

# What an editor types for one language: the translatable texts in the content's shape, and
# the change summary of the version.
TRANSLATION_TEXT = _translated_part(
    {"type": "object", "properties": CONTENT_PROPERTIES}, TRANSLATABLE_TREE
)
TRANSLATION_TEXT["properties"]["change_summary"] = TEXT
# Stored with it: which Chinese text each translation was made from (see
# services.content.translations), and fee names in the shape used before fees had rows.
TRANSLATION = TRANSLATION_TEXT | {
    "properties": TRANSLATION_TEXT["properties"]
    | {
        "sources": {
            "type": "object",
            "additionalProperties": {"type": "string", "maxLength": 16},
        },
        "fee_names": {"type": "array", "items": {"type": "string"}},
    }
}

CONTENT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Gongshi revision content",
    "type": "object",
    # time_limits is required of services only (services/content/kinds.py): a tariff has none.
    "required": ["name", "summary", "audience", "fees", "channels"],
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
    """Content that does not fit the schema; `field` names where, as a dotted path.

    `code` and `params`, where set, say what is wrong in terms the web layer words for
    the reader (kiosk.field_labels); `message` is the checker's own English.
    """

    def __init__(self, field: str, message: str, code: str | None = None, **params: Any):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        if code is not None:
            self.code = code
            self.params = params


def field_path(path) -> str:
    """Render a jsonschema error path as `fees[0].pricing.tiers[1].price`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(content)"


# Patterns with a meaning of their own, so that their problem can be worded.
PATTERN_CODES = {
    MONEY["pattern"]: "money",
    QUANTITY["pattern"]: "quantity",
    HOURS["properties"]["opens"]["pattern"]: "clock_time",
    HOURS["properties"]["closes"]["pattern"]: "clock_time",
}
# Schema keywords whose limit the reader is told.
LIMITED = {"maxLength", "minimum", "maximum", "maxItems", "minItems"}


def _schema_error(error: Any) -> ContentError:
    """A jsonschema error as a ContentError with a code (schema_<keyword>) and its limit."""
    path, keyword, params = list(error.absolute_path), error.validator, {}
    if keyword == "required":
        # Shown at the missing field itself, not at the row that lacks it.
        have = error.instance if isinstance(error.instance, dict) else {}
        path += [next((key for key in error.validator_value if key not in have), "")]
    elif keyword == "pattern":
        keyword = PATTERN_CODES.get(error.validator_value, "pattern")
    elif keyword == "minLength" and error.validator_value == 1:
        keyword = "required"
    elif keyword in LIMITED:
        params["limit"] = error.validator_value
    return ContentError(field_path(path), error.message, f"schema_{keyword}", **params)


def content_errors(content: Any) -> list[ContentError]:
    """Every schema violation in a revision's content, most specific first."""
    errors = []
    for error in sorted(_validator().iter_errors(content), key=lambda e: list(e.absolute_path)):
        errors.append(_schema_error(error))
    return errors


def validate_content(content: Any) -> None:
    """Raise ContentError for the first schema violation, naming the field."""
    errors = content_errors(content)
    if errors:
        raise errors[0]
