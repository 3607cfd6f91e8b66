"""The editor's fixed forms; the revision content form is built from the schema (content_form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from kiosk.record_forms import (
    RANK_CHOICES,
    ChoiceField,
    CityDateField,
    at_most,
    required,
    slug_text,
    web_address,
)


class LoginForm(FlaskForm):
    username = StringField(L_("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(L_("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class SubmitForm(FlaskForm):
    """Send for review the version the editor was shown."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ReviewForm(FlaskForm):
    comment = TextAreaField(L_("Comment"), validators=[Length(max=4000)])


class PublishForm(FlaskForm):
    effective_from = DateField(L_("In force from"), validators=[DataRequired()])


class ProposalForm(FlaskForm):
    """What an editor gives of a basis the catalogue lacks; the reviewer completes the rest."""

    title = StringField(L_("Title"), validators=[required(), at_most(300)])
    doc_number = StringField(L_("Document number (文号)"), validators=[required(), at_most(120)])
    issuer = StringField(L_("Issuer"), validators=[required(), at_most(200)])
    issued_on = CityDateField(L_("Issued on"), validators=[Optional()])
    effective_on = CityDateField(L_("In force from"), validators=[Optional()])
    url = StringField(L_("Link to the official text"), validators=[at_most(300), web_address])
    rank = ChoiceField(L_("Rank"), choices=RANK_CHOICES, default="5", validators=[required()])


class NewItemForm(FlaskForm):
    utility = ChoiceField(L_("Utility"), validators=[required()])
    kind = ChoiceField(
        L_("Kind"),
        choices=[
            SelectChoice("service", L_("Service guide")),
            SelectChoice("tariff", L_("Price notice")),
        ],
        validators=[required()],
    )
    slug = StringField(L_("Address name (slug)"), validators=[required(), at_most(80), slug_text])
    code = StringField(L_("Item code"), validators=[required(), at_most(64)])
    category = StringField(L_("Category"), validators=[at_most(80)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(L_("Current password"), validators=[required(), at_most(200)])
    new = PasswordField(L_("New password"), validators=[required(), at_most(200)])
    repeat = PasswordField(L_("New password again"), validators=[required(), at_most(200)])

    def validate_repeat(self, field) -> None:
        if field.data != self.new.data:
            raise ValidationError(str(L_("The two new passwords differ.")))
