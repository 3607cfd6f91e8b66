"""Forms that pages of several blueprints use."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms.validators import ValidationError

from services.content.text import has_control_characters


class PlainText:
    """A validator refusing control characters (and, on one line, line breaks): they break
    the feeds and files the text may reach."""

    def __init__(self, multiline: bool = True):
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        if field.data and has_control_characters(field.data, self.multiline):
            raise ValidationError(L_("Remove the control characters (such as NUL) from this text."))


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""
