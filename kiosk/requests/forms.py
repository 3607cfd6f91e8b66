"""The residents' request form."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from services.requests.handling import MAX_CONTACT, MAX_DESCRIPTION, MAX_NAME
from services.requests.models import ReplyForm, Requester


class RequestForm(FlaskForm):
    utility = SelectField(L_("Provider"), validators=[DataRequired()])
    requester = RadioField(
        L_("Who is asking"),
        choices=[
            SelectChoice(Requester.PERSON.value, L_("A person")),
            SelectChoice(Requester.ORGANISATION.value, L_("An organisation")),
        ],
        default=Requester.PERSON.value,
        validators=[DataRequired()],
    )
    name = StringField(
        L_("Your name, or the organisation's name"),
        validators=[DataRequired(), Length(max=MAX_NAME)],
    )
    contact = StringField(
        L_("Phone, e-mail or postal address for the reply"),
        validators=[DataRequired(), Length(max=MAX_CONTACT)],
    )
    description = TextAreaField(
        L_("What information you ask for"),
        validators=[DataRequired(), Length(max=MAX_DESCRIPTION)],
    )
    reply_form = RadioField(
        L_("How you would like the reply"),
        choices=[
            SelectChoice(ReplyForm.PAPER.value, L_("On paper, by post or at the hall")),
            SelectChoice(ReplyForm.ELECTRONIC.value, L_("Electronically, by e-mail")),
            SelectChoice(ReplyForm.IN_PERSON.value, L_("To read it at the service hall")),
        ],
        default=ReplyForm.ELECTRONIC.value,
        validators=[DataRequired()],
    )
