"""The editor's fixed forms; the revision content form is built from the schema (content_form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length
from wtforms.widgets import HiddenInput

from kiosk.forms import PlainText


class LoginForm(FlaskForm):
    username = StringField(
        L_("Username"), validators=[DataRequired(), Length(max=80), PlainText(multiline=False)]
    )
    password = PasswordField(L_("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class SubmitForm(FlaskForm):
    """Send for review the version the editor was shown."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ReviewForm(FlaskForm):
    """A decision on the version of the revision the reviewer was shown."""

    comment = TextAreaField(L_("Comment"), validators=[Length(max=4000), PlainText()])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class PublishForm(FlaskForm):
    effective_from = DateField(L_("In force from"), validators=[DataRequired()])
    confirm_far_date = BooleanField(L_("Yes, the date is more than a year ahead"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(L_("Why it is withdrawn"), validators=[Length(max=4000), PlainText()])
