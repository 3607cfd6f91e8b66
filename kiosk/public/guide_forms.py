"""Blank forms and filled-in samples of a published revision's materials, at addresses that
never change: the notice's QR codes point at them."""

from __future__ import annotations

from flask import abort

from kiosk.guide_display import send_form
from kiosk.public import public_bp
from services.catalogue import queries as catalogue

# A published revision never changes, and its files are named by their contents.
ONE_YEAR = 365 * 86400


@public_bp.get("/r/<int:revision_id>/forms/<int:number>/<any(blank_form, sample):kind>.pdf")
def guide_form(revision_id: int, number: int, kind: str):
    revision = catalogue.public_revision(revision_id) or abort(404)
    response = send_form(revision.content, number, kind, ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
