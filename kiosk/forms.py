"""Forms that pages of several blueprints use."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels with it."""
