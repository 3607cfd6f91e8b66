"""Sending a file that went with a request's reply: always as a download and never kept by a
cache (it belongs to one applicant); kiosk.security forbids sniffing on every answer."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, send_file

from services.requests import files
from services.requests.models import InfoRequestFile


def send_reply_file(sent: InfoRequestFile):
    """The stored file as a download under the name it was sent with."""
    path = files.stored_path(Path(current_app.config["UPLOAD_DIR"]), sent.sha256)
    if not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=sent.media_type, as_attachment=True, download_name=sent.name, etag=False
    )
    response.cache_control.no_store = True
    return response
