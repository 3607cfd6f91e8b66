"""The test client, with CSRF protection on as in production."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import session
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

TOKEN_FIELD = "csrf_token"


class Client(FlaskClient):
    """A client whose form posts carry the CSRF token of its own session, as a browser's do
    when it sends a form the app rendered; `sends_csrf_token=False` makes one that does not."""

    def __init__(self, *args: Any, sends_csrf_token: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sends_csrf_token = sends_csrf_token

    def csrf_token(self) -> str:
        """A token for this client's session, made by Flask-WTF as a rendered form's is."""
        with self.session_transaction() as stored, self.application.test_request_context():
            if TOKEN_FIELD in stored:
                session[TOKEN_FIELD] = stored[TOKEN_FIELD]
            token = generate_csrf()
            stored[TOKEN_FIELD] = session[TOKEN_FIELD]
        return token

    def open(self, *args: Any, **kwargs: Any):
        method = kwargs.get("method", "GET").upper()
        data = kwargs.get("data")
        if self.sends_csrf_token and method == "POST" and "json" not in kwargs:
            if data is None:
                kwargs["data"] = {TOKEN_FIELD: self.csrf_token()}
            elif isinstance(data, MultiDict) and TOKEN_FIELD not in data:
                kwargs["data"] = data.copy()
                kwargs["data"][TOKEN_FIELD] = self.csrf_token()
            elif isinstance(data, Mapping) and TOKEN_FIELD not in data:
                kwargs["data"] = {**data, TOKEN_FIELD: self.csrf_token()}
        return super().open(*args, **kwargs)
