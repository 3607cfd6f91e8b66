"""The residents' comment form and the sign-up to attend a hearing."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from services.hearings.comments import MAX_BODY
from services.hearings.signups import MAX_CONTACT, MAX_NAME, MAX_REPRESENTS


class CommentForm(FlaskForm):
    body = TextAreaField(L_("Your comment"), validators=[DataRequired(), Length(max=MAX_BODY)])
    name = StringField(L_("Your name (optional)"), validators=[Length(max=80)])
    contact = StringField(
        L_("Phone or e-mail, if you want an answer (optional)"), validators=[Length(max=120)]
    )


class SignupForm(FlaskForm):
    # Named apart from the comment form's fields: both forms stand on one page.
    signup_role = RadioField(
        L_("I would like to"),
        choices=[
            SelectChoice("participant", L_("take part and speak, if chosen")),
            SelectChoice("observer", L_("watch")),
        ],
        default="participant",
        validators=[InputRequired()],
    )
    signup_name = StringField(L_("Your name"), validators=[DataRequired(), Length(max=MAX_NAME)])
    signup_contact = StringField(
        L_("Phone or e-mail, to tell you whether you have a place"),
        validators=[DataRequired(), Length(max=MAX_CONTACT)],
    )
    signup_represents = StringField(
        L_("Whom you speak for, e.g. a household, a business (optional)"),
        validators=[Length(max=MAX_REPRESENTS)],
    )
