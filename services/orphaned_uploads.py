"""Uploaded files that no record names any more: a form uploaded onto a draft whose save
then failed, a draft's form replaced before it was published, reply files of a reply that
was rolled back. They are found by their hash and removed once they have been left alone
long enough that no upload in progress can still be about to name them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from services.db import db
from services.guide_files.materials import form_files
from services.guide_files.storage import FOLDER as FORMS
from services.models import Revision
from services.requests.files import AREA as REPLIES
from services.requests.models import InfoRequestFile
from services.uploads import SHA256

# A day is far longer than any upload takes to be saved with its record; a file younger
# than that may belong to a request still being handled on another server.
GRACE_SECONDS = 86400


@dataclass(frozen=True)
class PruneReport:
    """What a prune removed and what it kept, in files and bytes."""

    removed: int
    freed_bytes: int
    kept: int


def referenced_hashes() -> dict[str, set[str]]:
    """The hashes each upload folder's files are named by in the database, in every
    revision (drafts and the archived history too) and every reply."""
    forms: set[str] = set()
    # Old revisions keep their forms: a resident's printed notice may link to one.
    for content in db.session.scalars(select(Revision.content).execution_options(yield_per=500)):
        forms.update(sha256 for _number, _kind, sha256 in form_files(content or {}))
    replies = set(db.session.scalars(select(InfoRequestFile.sha256)))
    return {FORMS: forms, REPLIES: replies}


def prune_orphans(
    root: Path, now: float, grace_seconds: int = GRACE_SECONDS, dry_run: bool = False
) -> PruneReport:
    """Remove the files under `root` that no record names and that were last written more
    than `grace_seconds` before `now`; files of unknown folders or names are left alone."""
    removed = freed = kept = 0
    for folder, wanted in referenced_hashes().items():
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.glob("??/*")):
            sha256 = path.name.split(".", 1)[0]
            if not path.is_file() or not SHA256.fullmatch(sha256):
                continue
            written = path.stat()
            if sha256 in wanted or now - written.st_mtime < grace_seconds:
                kept += 1
                continue
            if not dry_run:
                path.unlink(missing_ok=True)
            removed += 1
            freed += written.st_size
    return PruneReport(removed, freed, kept)
