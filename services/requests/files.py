"""The files sent with the reply to an information request: checked by their content (PDF,
PNG or JPEG only, so nothing a browser would run), kept under the upload directory by their
SHA-256, and listed for the applicant on the request's own page."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from services.db import db
from services.publishing import audit
from services.requests.models import InfoRequest, InfoRequestFile
from services.uploads import keep, kept_path

MAX_FILES = 10
AREA = "request-replies"
# The first bytes of each accepted kind; a file is judged by them, never by its name.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


class FileProblem(ValueError):
    """An attachment that cannot be kept; `code` says why and `name` which file."""

    def __init__(self, code: str, name: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.name = name


@dataclass(frozen=True)
class Attachment:
    """A checked file, ready to be stored."""

    name: str
    media_type: str
    data: bytes


def clean_name(name: str, extension: str) -> str:
    """The name shown and offered for download: no path, no control characters, the
    extension its content deserves."""
    # Some browsers send the whole Windows path; only its last part is the file's name.
    last = re.split(r"[/\\]", name or "")[-1]
    base = UNSAFE.sub("_", unicodedata.normalize("NFC", last)).strip(" ._")
    stem = (base.rsplit(".", 1)[0] if "." in base else base)[:100] or "file"
    return stem + extension


def check_files(uploads: list[tuple[str, bytes]], max_bytes: int) -> list[Attachment]:
    """Every upload checked before anything is stored; FileProblem names the first file
    that is empty, too large or not a PDF, PNG or JPEG, or says there are too many."""
    uploads = [(name, data) for name, data in uploads if name or data]
    if len(uploads) > MAX_FILES:
        raise FileProblem("too_many")
    checked = []
    for name, data in uploads:
        if not data:
            raise FileProblem("empty", name)
        if len(data) > max_bytes:
            raise FileProblem("too_large", name)
        kind = next((s for s in SIGNATURES if data.startswith(s[0])), None)
        if kind is None:
            raise FileProblem("kind", name)
        checked.append(Attachment(clean_name(name, kind[2]), kind[1], data))
    return checked


def stored_path(root: Path, digest: str) -> Path:
    """Where a file with this SHA-256 lives under the upload directory."""
    return kept_path(root, AREA, digest)


def attach(
    request: InfoRequest, attachments: list[Attachment], root: Path, actor: str, now: datetime
) -> list[InfoRequestFile]:
    """Store the checked files and list them on the request; the caller commits."""
    rows = []
    for attachment in attachments:
        row = InfoRequestFile(
            request=request,
            name=attachment.name,
            media_type=attachment.media_type,
            size=len(attachment.data),
            sha256=keep(root, AREA, attachment.data),
            added_at=now,
            added_by=actor,
        )
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    if rows:
        sent = [{"name": r.name, "sha256": r.sha256, "size": r.size} for r in rows]
        audit.record(actor, "request.files", "info_request", request.id, None, {"files": sent})
    return rows


def file_of(request: InfoRequest, file_id: int) -> InfoRequestFile | None:
    """One of the request's files, or None (another request's file is never found here)."""
    return db.session.scalar(
        select(InfoRequestFile).where(
            InfoRequestFile.id == file_id, InfoRequestFile.request_id == request.id
        )
    )
