"""The editor's fixed forms; the revision content form is built from the schema (content_form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput


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


class CaseVerifyForm(FlaskForm):
    """The utility's verdict on a bad review; "not valid" needs a reason."""

    verdict = RadioField(
        L_("Verdict"),
        choices=[
            SelectChoice("valid", L_("Valid: we will put it right")),
            SelectChoice("invalid", L_("Not valid")),
        ],
        validators=[InputRequired()],
    )
    reason = TextAreaField(L_("Reason"), validators=[Length(max=2000)])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CaseCallBackForm(FlaskForm):
    note = TextAreaField(L_("What was said"), validators=[Length(max=2000)])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CaseActionForm(FlaskForm):
    action_taken = TextAreaField(
        L_("What was done (published, so name nobody)"),
        validators=[DataRequired(), Length(max=2000)],
    )
    revision_id = SelectField(L_("The changed guide, if the guide was changed"), coerce=str)
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CaseCloseForm(FlaskForm):
    decision = HiddenField(validators=[InputRequired()])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
