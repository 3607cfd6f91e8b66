"""The admin's forms: a new registration link for a kiosk or board."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from kiosk.forms import PlainText


class RegistrationForm(FlaskForm):
    hall = SelectField(L_("Hall"), validators=[DataRequired()])
    kind = SelectField(
        L_("Kind"),
        choices=[
            SelectChoice("kiosk", L_("Kiosk (touchscreen)")),
            SelectChoice("board", L_("Wall board")),
        ],
        validators=[DataRequired()],
    )
    name = StringField(
        L_("Name"), validators=[DataRequired(), Length(max=120), PlainText(multiline=False)]
    )
