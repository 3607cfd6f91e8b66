"""Checking an uploaded PDF and keeping it, content-addressed, under the upload folder."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from services.uploads import keep, kept_path

# A blank form or a sample is a page or two; a bigger file is a scan at too high a
# resolution for a phone on a hall's network, or not a form at all. Below the app's
# request cap (5 MiB) so that an upload over it gets this check's message.
MAX_BYTES = 4 * 1024 * 1024
FOLDER = "guide-forms"


class GuideFileError(ValueError):
    """An upload that is not kept; `reason` is one of empty, too_large, not_pdf,
    unreadable, encrypted."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def check_pdf(data: bytes) -> None:
    """Raise GuideFileError unless `data` is a readable, unencrypted PDF of at most MAX_BYTES."""
    if not data:
        raise GuideFileError("empty")
    if len(data) > MAX_BYTES:
        raise GuideFileError("too_large")
    # The header may follow a little junk (PDF 1.7, 7.5.2), but a renamed file has none.
    if b"%PDF-" not in data[:1024]:
        raise GuideFileError("not_pdf")
    from pypdf import PdfReader

    # pypdf logs every repair it makes of a sloppy but readable file; residents never
    # see those, and a file it cannot read at all is refused below.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise GuideFileError("encrypted")
        pages = len(reader.pages)
    except GuideFileError:
        raise
    except Exception as error:  # pypdf raises many kinds on a broken file
        raise GuideFileError("unreadable") from error
    if pages == 0:
        raise GuideFileError("unreadable")


def file_path(upload_dir: Path, sha256: str) -> Path:
    """Where the file with this hash is kept (whether or not it is there)."""
    return kept_path(upload_dir, FOLDER, sha256, ".pdf")


def store_pdf(upload_dir: Path, data: bytes) -> str:
    """Check `data` (GuideFileError if it is refused), keep it, and return its SHA-256."""
    check_pdf(data)
    return keep(upload_dir, FOLDER, data, ".pdf")


def stored_pdf(upload_dir: Path, sha256: str) -> Path | None:
    """The kept file with this hash, or None if there is none."""
    path = file_path(upload_dir, sha256)
    return path if path.is_file() else None
