"""The editor's fixed forms; the revision content form is built from the schema (content_form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
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


class PrintBatchForm(FlaskForm):
    """Which hall's notices to print, in which language and on which paper."""

    hall = SelectField(L_("Hall"), validators=[DataRequired()])
    lang = SelectField(L_("Language"), validators=[DataRequired()])
    paper = SelectField(L_("Paper"), choices=[SelectChoice("A4"), SelectChoice("A3")], default="A4")
