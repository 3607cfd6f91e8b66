"""A content-addressed store of rendered PDFs, shared safely by several app servers.

A file's name is the hash of everything that went into it, so a file never changes once
written: a new revision, language, paper size or day gives a new name. Writers render into
a temporary file in the same folder and rename it into place, so a reader sees either no
file or a whole one, and two servers racing on the same name both write the same thing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def content_key(*parts: str) -> str:
    """A stable hex digest naming whatever these parts describe."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode()
        # Length-prefixed, so ("ab", "c") and ("a", "bc") name different things.
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def cache_path(cache_dir: str | Path, key: str) -> Path:
    """Where the PDF named `key` lives; a two-letter fan-out keeps folders small."""
    return Path(cache_dir) / "pdf" / key[:2] / f"{key}.pdf"


def cached_pdf(cache_dir: str | Path, key: str, render: Callable[[], bytes]) -> Path:
    """The path of the PDF named `key`, calling `render` only if no server has stored it yet."""
    path = cache_path(cache_dir, key)
    if path.is_file():
        return path
    store_pdf(path, render())
    return path


def store_pdf(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically: a temporary file in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem[:16]}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes it private; other workers must read it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class PruneReport:
    removed: int
    freed_bytes: int
    kept: int
    kept_bytes: int


def prune(cache_dir: str | Path, max_age_seconds: float, max_bytes: int, now: float) -> PruneReport:
    """Delete PDFs older than `max_age_seconds`, then the oldest until `max_bytes` remain.

    Safe while servers are printing: a file is only ever replaced whole, a deleted one is
    simply rendered again when next asked for, and temporary files of a render still
    under way (younger than an hour) are left alone.
    """
    root = Path(cache_dir) / "pdf"
    files = []
    for path in root.glob("*/*"):
        try:
            info = path.stat()
        except FileNotFoundError:
            continue  # another server pruned it meanwhile
        is_leftover = path.suffix == ".tmp" or path.name.startswith(".hall-")
        if is_leftover and now - info.st_mtime < 3600:
            continue
        files.append((info.st_mtime, info.st_size, path, is_leftover))
    files.sort()  # oldest first
    total = sum(size for _, size, _, _ in files)
    removed = freed = 0
    for mtime, size, path, is_leftover in files:
        if not is_leftover and now - mtime <= max_age_seconds and total <= max_bytes:
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        total -= size
        removed += 1
        freed += size
    return PruneReport(removed, freed, len(files) - removed, total)
