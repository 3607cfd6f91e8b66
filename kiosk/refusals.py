"""Refusals that come from the services, in the reader's language, put beside the field
they concern (the admin's and the editor's record forms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_

from services.administration.problems import Refused

REFUSALS = {
    "bad_slug": L_("Use lower-case letters a–z, digits and single hyphens, e.g. city-water."),
    "slug_taken": L_("“%(slug)s” is already used; choose another."),
    "code_taken": L_("The code “%(code)s” is already used; choose another."),
    "bad_code": L_("Use letters, digits, hyphens, dots or underscores."),
    "bad_web_address": L_("Enter a web address starting with http:// or https://."),
    "bad_rank": L_("Choose from the list."),
    "effective_before_issued": L_("A document cannot be in force before it was issued."),
    "repealed_before_effective": L_("A document cannot be repealed before it was in force."),
    "no_kind": L_("Choose at least one kind."),
    "phone_or_url": L_("Give a phone number or a web address."),
    "role_needs_sector": L_("Say which sector (or which utility) this route serves."),
    "bad_phone": L_("Write the phone number in digits, such as 0519-88881234 or 12345."),
    "no_utility": L_("Choose at least one utility."),
    "no_slide": L_("Show at least one kind of slide."),
    "out_of_range": L_("Enter a number from %(low)d to %(high)d."),
    "duplicate_day": L_("Each day may be listed only once."),
    "basis_cited": L_("It cannot be deleted while published items cite it:"),
    "already_retired": L_("This item is already withdrawn."),
    "reason_required": L_("This field is required."),
    "not_suspended": L_("This item is not suspended."),
    "bad_successor": L_("Choose an item that is still offered."),
    "not_proposed": L_("This legal basis is already approved."),
    "own_proposal": L_("A proposal cannot be approved by the person who made it."),
}

# services.publishing.accounts words its refusals in English; the screens translate them.
ACCOUNT_REFUSALS = {
    "a username is required": L_("This field is required."),
    "the username": L_("This username is taken; choose another."),
    "the password must": L_("The password must have at least 10 characters."),
    "an editor must": L_("An editor must belong to a utility."),
    "only editors": L_("Only editors belong to a utility."),
    "you cannot": L_("You cannot deactivate yourself or change your own role."),
    "the last active admin": L_(
        "The last active admin cannot be deactivated or given another role."
    ),
    "the current password": L_("The current password is wrong."),
    "choose a password": L_("Choose a password different from the current one."),
}
# Which form field each account refusal belongs to.
ACCOUNT_FIELDS = {
    "a username is required": "username",
    "the username": "username",
    "the password must": "password",
    "an editor must": "utility",
    "only editors": "utility",
    "you cannot": "role",
    "the last active admin": "role",
    "the current password": "current",
    "choose a password": "new",
}


def refusal_text(error: Refused) -> str:
    """A service's refusal in the reader's language."""
    params = {key: value for key, value in error.params.items() if key != "items"}
    text = str(REFUSALS[error.code])
    return text % params if params else text


def account_refusal(message: str) -> tuple[str, str]:
    """(form field, text in the reader's language) for an accounts.AccountError message."""
    for prefix, text in ACCOUNT_REFUSALS.items():
        if message.startswith(prefix):
            return ACCOUNT_FIELDS[prefix], str(text)
    return "", message


def show_refusal(form, error: Refused) -> str:
    """Put the refusal beside the field it names, if the form has it; return its text."""
    text = refusal_text(error)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, text]
    else:
        form.form_errors.append(text)
    return text
