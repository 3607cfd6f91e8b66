"""Uploaded files kept under the upload folder by the SHA-256 of their bytes: the same file
is kept once, and what a record names by its hash never changes under it."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from services.notices.pdf_cache import store_pdf

SHA256 = re.compile(r"[0-9a-f]{64}")


def kept_path(root: Path, folder: str, sha256: str, suffix: str = "") -> Path:
    """Where the file with this hash is kept in `folder` (whether or not it is there)."""
    if not SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return root / folder / sha256[:2] / f"{sha256}{suffix}"


def keep(root: Path, folder: str, data: bytes, suffix: str = "") -> str:
    """Keep `data` in `folder` under its hash (once) and return the hash."""
    sha256 = hashlib.sha256(data).hexdigest()
    target = kept_path(root, folder, sha256, suffix)
    if target.is_file():
        # Uploaded again: freshly in use, so the prune of files no record names waits
        # its full grace time before it may take this one.
        os.utime(target)
        return sha256
    # Atomic, synced and readable by every worker, as the notice cache writes its PDFs.
    store_pdf(target, data)
    return sha256
