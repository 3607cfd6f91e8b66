"""Human names for content fields and their coded values, for the editor and the public history."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as L_

from kiosk.filters import long_date
from kiosk.labels import LABELS
from services.content.schema import ContentError

FIELD_LABELS = {
    "name": L_("Name"),
    "summary": L_("Summary"),
    "audience": L_("Who may apply"),
    "conditions": L_("Conditions"),
    "materials": L_("Materials"),
    "form": L_("Form"),
    "copies": L_("Copies"),
    "required": L_("Required"),
    "note": L_("Note"),
    "steps": L_("Steps"),
    "title": L_("Title"),
    "description": L_("Description"),
    "time_limit": L_("Time limit"),
    "time_limits": L_("Time limits"),
    "statutory": L_("Statutory time limit"),
    "promised": L_("Promised time limit"),
    "value": L_("Value"),
    "unit": L_("Unit"),
    "source": L_("Where the time limit comes from"),
    "cases": L_("Depends on the case"),
    "label": L_("Case"),
    "visits": L_("Visits needed"),
    "fees": L_("Fees"),
    "kind": L_("Kind"),
    "customer_class": L_("Customer class"),
    "pricing": L_("Pricing"),
    "type": L_("Pricing type"),
    "amount": L_("Amount"),
    "period": L_("Billing period"),
    "upper_inclusive": L_("Upper bound belongs to the tier"),
    "tiers": L_("Tiers"),
    "lower": L_("Lower bound"),
    "upper": L_("Upper bound"),
    "price": L_("Unit price"),
    "components": L_("Made up of"),
    "basis": L_("Basis"),
    "code": L_("Document"),
    "article": L_("Article"),
    "reductions": L_("Reductions"),
    "valid_until": L_("Valid until"),
    "valid_from": L_("Valid from"),
    "service_content": L_("What the fee pays for"),
    "payee": L_("Paid to"),
    "market_regulated": L_("Market-regulated price"),
    "display_basis": L_("Price display rules"),
    "household_allowance": L_("Larger households"),
    "above_persons": L_("For each person above"),
    "per_person": L_("Each tier bound rises by"),
    "low_income_quota": L_("Free for 低保 / 特困 households"),
    "quantity": L_("Free quantity per period"),
    "text": L_("Price in words"),
    "payment_methods": L_("How to pay"),
    "hearing": L_("Price hearing"),
    "held_on": L_("Held on"),
    "body": L_("Held by"),
    "outcome": L_("Outcome"),
    "url": L_("Web address"),
    "locations": L_("Where and when"),
    "address": L_("Address"),
    "hours": L_("Opening hours"),
    "weekdays": L_("Days"),
    "opens": L_("Opens"),
    "closes": L_("Closes"),
    "hours_note": L_("Note on hours"),
    "phone": L_("Telephone"),
    "channels": L_("Enquiries and complaints"),
    "online_url": L_("Apply online at"),
    "result": L_("Result"),
    "faq": L_("Questions often asked"),
    "question": L_("Question"),
    "answer": L_("Answer"),
    "translations": L_("Translations"),
    "zh_Hant": L_("Traditional Chinese"),
    "en": L_("English"),
    "fee_names": L_("Fee names"),
    "change_summary": L_("Change summary"),
    "is_major": L_("Major change"),
    "price_notice": L_("Price notice"),
    "document": L_("Price document"),
    "effective_on": L_("Effective date"),
    "published_on": L_("Date made public"),
    "scope": L_("Applies to"),
    "collector": L_("Collected by"),
    "collected_for": L_("On behalf of others"),
    "disclosure": L_("Disclosure deadline"),
    "blank_form": L_("Blank form (PDF)"),
    "sample": L_("Filled-in sample (PDF)"),
    "branches": L_("Can lead to"),
    "result_delivery": L_("How the result is delivered"),
    "verified_on": L_("Last verified on"),
}

# Coded values of time-limit units and pricing types, not already named in kiosk.labels.
VALUE_LABELS = {
    "working_days": L_("working days"),
    "calendar_days": L_("calendar days"),
    "hours": L_("hours"),
    "minutes": L_("minutes"),
    "on_the_spot": L_("on the spot"),
    "law": L_("Set by law (give the legal basis and article)"),
    "promise": L_("Our own promise (本单位承诺)"),
    "free": L_("Free of charge"),
    "flat": L_("Flat amount"),
    "tiers": L_("Tiered"),
    "text": L_("In words"),
}
# Which kiosk.labels group names the values of a field.
VALUE_GROUPS = {
    "audience": "audience",
    "form": "material_form",
    "period": "period",
    "result_delivery": "result_delivery",
    "branches": "step_branch",
}

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def field_label(path: str) -> str:
    """`fees[0].pricing.tiers[1].price` → "Fees 1 › Pricing › Tiers 2 › Unit price"."""
    parts: list[str] = []
    for key, index in _SEGMENT.findall(path):
        if index:
            parts[-1] = f"{parts[-1]} {int(index) + 1}" if parts else str(int(index) + 1)
        else:
            parts.append(str(FIELD_LABELS.get(key, key)))
    return " › ".join(parts)


def value_label(path: str, value: Any) -> str:
    """A stored value as a reader should see it: coded values named, booleans in words."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    key = [k for k, _index in _SEGMENT.findall(path) if k][-1:]
    if key and key[0] in VALUE_GROUPS:
        return str(LABELS[VALUE_GROUPS[key[0]]].get(value, value))
    if key and key[0] == "kind" and path.startswith("fees"):
        return str(LABELS["fee_kind"].get(value, value))
    if key and key[0] in ("blank_form", "sample") and isinstance(value, str):
        return f"PDF {value[:8]}"  # an uploaded file, named by its hash: its first digits
    if key and key[0] in ("unit", "type", "kind") and value in VALUE_LABELS:
        return str(VALUE_LABELS[value])
    return str(value)


STATE_LABELS = {
    "draft": L_("Draft"),
    "rejected": L_("Returned for changes"),
    "in_review": L_("In review"),
    "approved": L_("Approved"),
    "published": L_("Published"),
    "current": L_("In force"),
    "upcoming": L_("Scheduled"),
    "superseded": L_("Superseded"),
    "withdrawn": L_("Withdrawn"),
}

ROLE_LABELS = {"editor": L_("Editor"), "reviewer": L_("Reviewer"), "admin": L_("Administrator")}


def role_label(role: object) -> str:
    """An account's role in words."""
    key = getattr(role, "value", role)
    return str(ROLE_LABELS.get(key, key))


def state_label(state: object) -> str:
    """A revision's state (stored or computed from its dates) in words."""
    key = getattr(state, "value", state)
    return str(STATE_LABELS.get(key, key))


WORKFLOW_MESSAGES = {
    "wrong_state": L_("This revision is now “%(status)s”, so this step is not possible."),
    "stale": L_("This draft has changed since you opened it. Look at it again, then submit it."),
    "own_change": L_("A change cannot be approved by anyone who wrote part of it."),
    "too_far_ahead": L_(
        "A change may take effect at most %(years)s years ahead, that is by %(date)s."
    ),
    "confirm_far_date": L_(
        "%(date)s is more than a year ahead. If that is right, tick the box to confirm it."
    ),
    "not_scheduled": L_("Only a change that is scheduled and not yet in force can be withdrawn."),
    "stale_review": L_(
        "This revision has changed since you opened it, so nothing was decided. "
        "Read it again as it is now, then decide."
    ),
    "lost_race": L_(
        "Someone else acted on this revision at the same moment, and their step went first. "
        "Nothing of yours was saved; look at the revision as it is now."
    ),
    "comment_required": L_("Say why the change is returned."),
    "past_date": L_("A change cannot take effect before today."),
    "after_scheduled": L_(
        "Version %(number)s already takes effect on %(date)s; choose a later date."
    ),
    "unapproved_basis": L_(
        "It cites the proposed legal basis “%(title)s”, which is not approved yet."
    ),
}


TEXT_MESSAGES = {
    "control": L_("holds a control character (such as NUL); remove it."),
    "invisible": L_("holds an invisible direction or zero-width character; remove it."),
    "not_web_address": L_("must be a web address starting with http:// or https://."),
    # services.content.time_limits
    "statutory_without_basis": L_(
        "a statutory time limit must name the law that sets it: choose “Set by law”, the "
        "legal basis and the article. A limit the provider sets itself is a promise and "
        "goes in the promised time limit."
    ),
    "basis_missing": L_("choose the legal basis that sets this time limit."),
    "article_missing": L_("give the article that sets this time limit, such as 第十二条."),
    "promise_with_basis": L_(
        "a promise cites no legal basis: choose “Set by law”, or clear the legal basis."
    ),
    "not_longest_case": L_(
        "when the time limit depends on the case, its value and unit are those of the "
        "longest case (they are shown where only one figure fits)."
    ),
    "note_contradicts": L_(
        "states “%(stated)s”, which is not the figure the due date is counted from. Correct "
        "the note, or give each figure as a case of its own."
    ),
}


# Problems of a field the item's kind does not have (services/content/kinds.py).
KIND_MESSAGES = {
    "service_only": L_("belongs to a service guide; a price notice has no such field. Remove it."),
    "tariff_only": L_("belongs to a price notice; a service does not have it."),
    "time_limits_required": L_("a service states its statutory and promised time limits."),
    "disclosure_rule": L_("is not a disclosure rule that binds this utility's sector."),
    "disclosure_value": L_("differs from the time the cited rule sets."),
}


# Problems the content schema finds (services.content.schema, code "schema_<keyword>").
SCHEMA_MESSAGES = {
    "missing_summary": L_("say what changed, in a sentence residents will read in the history."),
    "schema_required": L_("must be filled in."),
    "schema_money": L_(
        "must be an amount in yuan: a number that is not negative, with at most 4 decimal "
        "places, such as 7.50."
    ),
    "schema_quantity": L_(
        "must be a quantity: a number that is not negative, with at most 4 decimal places."
    ),
    "schema_clock_time": L_("must be a time of day such as 08:30."),
    "schema_pattern": L_("is not in the expected form."),
    "schema_format": L_("must be a date such as 2026-01-01."),
    "schema_maxLength": L_("is too long: at most %(limit)s characters."),
    "schema_minimum": L_("must be at least %(limit)s."),
    "schema_maximum": L_("must be at most %(limit)s."),
    "schema_maxItems": L_("has too many rows: at most %(limit)s."),
    "schema_minItems": L_("needs at least %(limit)s rows."),
    "schema_enum": L_("is not one of the choices offered."),
    "schema_type": L_("has the wrong kind of value."),
    "schema_uniqueItems": L_("lists the same choice twice."),
}


def problem_detail(error: ContentError) -> str:
    """What is wrong with a field, in the reader's language where we word it."""
    detail = (TEXT_MESSAGES | KIND_MESSAGES | SCHEMA_MESSAGES).get(getattr(error, "code", None))
    if detail is None:
        return error.message
    params = getattr(error, "params", None) or {}
    return str(detail) % params if params else str(detail)


def problem_text(error: Exception) -> str:
    """A workflow rule or a content problem, in the reader's language where we word it.

    Content problems name the field in words; the detail is the checker's own.
    """
    if isinstance(error, ContentError):
        return f"{field_label(error.field)}: {problem_detail(error)}"
    params = dict(getattr(error, "params", {}))
    if "status" in params:
        params["status"] = state_label(params["status"])
    if "date" in params:
        params["date"] = long_date(params["date"])
    return str(WORKFLOW_MESSAGES[error.code]) % params
