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
    "nature": {
        "statutory": L_("Statutory body"),
        "authorised": L_("Authorised organisation"),
        "entrusted": L_("Entrusted organisation"),
        "public_enterprise": L_("Public enterprise or institution"),
    },
}


def label(group: str, value: object) -> str:
    """The translated name of an enumeration value, or the value itself if unknown."""
    key = getattr(value, "value", value)
    return str(LABELS[group].get(key, key))
