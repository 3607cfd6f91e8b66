"""Form fields and checks that the editor's and the admin's record forms share, each with
its own message in our three languages (WTForms' built-in messages are not)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask_babel import lazy_gettext as L_
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from services.administration.utilities import SLUG, is_web_address

REQUIRED = L_("This field is required.")
TOO_LONG = L_("At most %(max)d characters.")
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]|24:00")


def required() -> InputRequired:
    return InputRequired(message=REQUIRED)


def at_most(length: int) -> Length:
    return Length(max=length, message=TOO_LONG)


class CityDateField(DateField):
    """A date typed or picked as YYYY-MM-DD, with our own message when it is not one."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = date.fromisoformat(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(
                str(L_("Enter a date as YYYY-MM-DD, for example 2027-01-01."))
            ) from None


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = unicodedata.normalize("NFKC", valuelist[0]).strip()
        if not re.fullmatch(r"-?\d{1,9}", text):
            self.data = None
            raise ValueError(str(L_("Enter a whole number.")))
        self.data = int(text)


class TimeText(StringField):
    """A time of day as HH:MM (24:00 for midnight at the day's end); empty is allowed."""

    def pre_validate(self, form):
        if self.data and not TIME.fullmatch(self.data.strip()):
            raise ValidationError(str(L_("Enter a time as HH:MM, for example 08:30.")))


def web_address(form, field) -> None:
    """Only http and https addresses: a javascript: link must never reach a public page."""
    if field.data and not is_web_address(field.data.strip()):
        raise ValidationError(str(L_("Enter a web address starting with http:// or https://.")))


def slug_text(form, field) -> None:
    if field.data and not SLUG.fullmatch(field.data.strip()):
        raise ValidationError(
            str(L_("Use lower-case letters a–z, digits and single hyphens, e.g. city-water."))
        )


class ChoiceField(SelectField):
    """A select whose "not a choice" message is ours (a tampered form is the only way to it)."""

    def pre_validate(self, form):
        if self.choices is not None:
            values = {str(choice[0]) for choice in self.iter_choices()}
            if str(self.data) not in values:
                raise ValidationError(str(L_("Choose from the list.")))


class MultiCheckboxField(SelectMultipleField):
    """Several choices, each a large checkbox (no hover, no multi-select list)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        values = {str(choice[0]) for choice in self.iter_choices()}
        for value in self.data or []:
            if str(value) not in values:
                raise ValidationError(str(L_("Choose from the list.")))


RANK_CHOICES = [
    SelectChoice("1", L_("Law")),
    SelectChoice("2", L_("Administrative regulation")),
    SelectChoice("3", L_("Departmental rule")),
    SelectChoice("4", L_("Local regulation or rule")),
    SelectChoice("5", L_("Normative document")),
]
