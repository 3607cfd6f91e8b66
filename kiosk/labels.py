"""Human names for the model's enumerations, translated at render time."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_

LABELS = {
    "sector": {
        "water": L_("Water"),
        "power": L_("Electricity"),
        "gas": L_("Gas"),
        "heating": L_("Heating"),
        "telecom": L_("Telecom"),
        "transport": L_("Public transport"),
        "hospital": L_("Hospital"),
        "school": L_("School"),
    },
    "fee_kind": {"charge": L_("Charge"), "deposit": L_("Deposit"), "penalty": L_("Penalty")},
    "material_form": {
        "original": L_("Original"),
        "copy": L_("Copy"),
        "electronic": L_("Electronic"),
    },
    "audience": {
        "person": L_("Individuals"),
        "legal_person": L_("Organisations"),
        "both": L_("Individuals and organisations"),
    },
    "channel_kind": {
        "consult": L_("Enquiries"),
        "complaint": L_("Complaints"),
        "supervision": L_("Supervision"),
        "price": L_("Price complaints"),
        "emergency": L_("Emergencies"),
        "repair": L_("Repairs"),
    },
    "item_status": {
        "active": L_("Available"),
        "suspended": L_("Suspended"),
        "retired": L_("Withdrawn"),
    },
    "period": {"month": L_("per month"), "year": L_("per year")},
    # How the result reaches the applicant (结果送达).
    "result_delivery": {
        "window": L_("Collected at the window"),
        "post": L_("By post"),
        "sms": L_("By text message"),
        "electronic": L_("Delivered electronically"),
    },
    # Where a step of the flow chart can branch off: 补正 (一次性告知) and 不予受理.
    "step_branch": {
        "correction": L_("Materials to complete (all told at once)"),
        "refusal": L_("Not accepted (reasons in writing)"),
    },
    "nature": {
        "statutory": L_("Statutory body"),
        "authorised": L_("Authorised organisation"),
        "entrusted": L_("Entrusted organisation"),
        "public_enterprise": L_("Public enterprise or institution"),
    },
    # What an outage of each sector is called: 停水, 停电, 停气, 停热.
    "outage_of": {
        "water": L_("Water outage"),
        "power": L_("Power outage"),
        "gas": L_("Gas outage"),
        "heating": L_("Heating outage"),
        "telecom": L_("Service interruption"),
        "transport": L_("Service interruption"),
        "hospital": L_("Service interruption"),
        "school": L_("Service interruption"),
    },
    "hearing_kind": {"hearing": L_("Price hearing"), "consultation": L_("Consultation")},
    "signup_role": {
        "participant": L_("Participant (speaks if chosen)"),
        "observer": L_("Observer"),
    },
    "hearing_stage": {
        "announced": L_("Announced"),
        "open": L_("Open for comments"),
        "closed": L_("Comments closed"),
        "concluded": L_("Outcome published"),
    },
    "outage_kind": {"planned": L_("Planned"), "emergency": L_("Emergency repair")},
    "request_requester": {"person": L_("A person"), "organisation": L_("An organisation")},
    "request_reply_form": {
        "paper": L_("On paper, by post or at the hall"),
        "electronic": L_("Electronically, by e-mail"),
        "in_person": L_("To read it at the service hall"),
    },
    "request_status": {
        "received": L_("Request received"),
        "acknowledged": L_("Being handled"),
        "waiting": L_("Waiting for your clarification"),
        "replied": L_("Replied"),
        "closed": L_("Closed"),
    },
    "request_step": {
        "received": L_("Request received"),
        "acknowledged": L_("Receipt confirmed, being handled"),
        "clarification_asked": L_("Clarification asked: the clock stopped"),
        "clarification_answered": L_("Clarification received: the clock runs again"),
        "extended": L_("Deadline extended"),
        "replied": L_("Reply sent"),
        "closed": L_("Closed"),
    },
    "request_outcome": {
        "disclosed": L_("Disclosed"),
        "partly": L_("Partly disclosed"),
        "refused": L_("Not disclosed"),
        "not_exist": L_("The information does not exist"),
        "not_ours": L_("Not held by this provider"),
        "other": L_("Other"),
    },
    "outage_state": {
        "ongoing": L_("Ongoing"),
        "coming": L_("Coming"),
        "ended": L_("Ended"),
    },
    "outage_update": {
        "published": L_("Published"),
        "extended": L_("Extended"),
        "ended": L_("Supply restored"),
        "cancelled": L_("Called off"),
    },
    # 好差评 (国办发〔2019〕51号): five levels, 5 the best.
    "rating_level": {
        5: L_("Very satisfied"),
        4: L_("Satisfied"),
        3: L_("Fairly satisfied"),
        2: L_("Dissatisfied"),
        1: L_("Very dissatisfied"),
    },
    "rating_reason": {
        "guide_unclear": L_("The guide was not clear"),
        "materials_differ": L_("The materials asked for differed from the guide"),
        "fees_differ": L_("The fees differed from those published"),
        "time_exceeded": L_("The promised time was exceeded"),
        "attitude": L_("Staff attitude"),
        "other": L_("Something else"),
    },
    "case_status": {
        "open": L_("To verify"),
        "valid": L_("Being put right"),
        "disputed": L_("Held not valid: for a reviewer"),
        "closed": L_("Case closed"),
    },
    # The complaint routes that head a fee list (services.catalogue.complaints).
    "complaint_route": {
        "hotline": L_("Service hotline"),
        "price": L_("Price complaints"),
        "regulator": L_("Sector regulator"),
        "competent": L_("Competent department"),
    },
    "channel_role": {
        "regulator": L_("Sector regulator"),
        "competent_department": L_("Competent department"),
    },
}


def label(group: str, value: object) -> str:
    """The translated name of an enumeration value, or the value itself if unknown."""
    key = getattr(value, "value", value)
    return str(LABELS[group].get(key, key))


def fee_badge(fee: dict) -> str:
    """The badge beside a fee's name: its kind, except that a free item carries none (it
    charges nothing) and a market-regulated price says so."""
    if fee["pricing"]["type"] == "free":
        return ""
    if fee.get("market_regulated"):
        return str(L_("Market-regulated price"))
    return label("fee_kind", fee["kind"])
