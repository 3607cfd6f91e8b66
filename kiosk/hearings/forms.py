"""The residents' comment form."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from services.hearings.comments import MAX_BODY


class CommentForm(FlaskForm):
    body = TextAreaField(L_("Your comment"), validators=[DataRequired(), Length(max=MAX_BODY)])
    name = StringField(L_("Your name (optional)"), validators=[Length(max=80)])
    contact = StringField(
        L_("Phone or e-mail, if you want an answer (optional)"), validators=[Length(max=120)]
    )
