"""Static files under content-hashed names, cached by browsers for a year.

`url_for('static', filename='css/kiosk.css')` gives /static/css/kiosk.<hash>.css; a new file
gets a new name, so the old one can be cached "immutable". A request for a hash that is no
longer current (a page rendered before a deploy) still gets today's file, revalidated.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path

from flask import Flask, abort, current_app, send_from_directory
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 3600
HASHED = re.compile(r"(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)")
# A service worker must keep one address, or browsers treat each version as a new worker.
UNHASHED = {"sw.js"}

_digests: dict[str, tuple[tuple[int, int], str]] = {}
_lock = threading.Lock()


def digest_of(path: Path) -> str | None:
    """The first 12 hex digits of the file's SHA-256, re-read only when the file changes."""
    try:
        info = path.stat()
    except OSError:
        return None
    stamp = (info.st_mtime_ns, info.st_size)
    known = _digests.get(str(path))
    if known and known[0] == stamp:
        return known[1]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    with _lock:
        _digests[str(path)] = (stamp, digest)
    return digest


def hashed_name(static_folder: str, filename: str) -> str:
    """css/kiosk.css → css/kiosk.<digest>.css (unchanged if the file is missing)."""
    base = os.path.basename(filename)
    path = safe_join(static_folder, filename)
    if base in UNHASHED or "." not in base or path is None:
        return filename
    digest = digest_of(Path(path))
    if digest is None:
        return filename
    stem, _dot, suffix = filename.rpartition(".")
    return f"{stem}.{digest}.{suffix}"


def add_hash(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values:
        values["filename"] = hashed_name(current_app.static_folder, values["filename"])


def send_static(filename: str):
    """A static file; under its current hashed name it may be cached for a year."""
    folder = current_app.static_folder
    asked = safe_join(folder, filename)
    if asked is None or Path(asked).is_file():
        return send_from_directory(folder, filename)  # 404s for names outside the folder
    match = HASHED.fullmatch(filename)
    original = match["stem"] + match["suffix"] if match else None
    path = original and safe_join(folder, original)
    if not path:
        abort(404)
    if digest_of(Path(path)) != match["digest"]:
        return send_from_directory(folder, original)  # an old name: today's file, revalidated
    response = send_from_directory(folder, original, max_age=ONE_YEAR)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def init_app(app: Flask) -> None:
    app.url_defaults(add_hash)
    app.view_functions["static"] = send_static
