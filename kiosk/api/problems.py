"""Errors under /api/ as RFC 9457 problem details (JSON); the kiosk keeps its HTML pages."""

from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException

PROBLEM_TYPE = "application/problem+json"


def problem(error: HTTPException, detail: str | None = None):
    """A JSON response describing `error`, with the headers it carries (e.g. Allow on 405)."""
    response = jsonify(
        {
            "type": "about:blank",
            "title": error.name,
            "status": error.code,
            "detail": detail or error.description,
        }
    )
    response.status_code = error.code or 500
    response.mimetype = PROBLEM_TYPE
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
