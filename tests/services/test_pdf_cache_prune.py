"""The PDF store is pruned by age, then by size, oldest first, without touching a render
that is still being written."""

from __future__ import annotations

import os
import time

from services.notices.pdf_cache import cache_path, prune

DAY = 86400


def stored(cache_dir, key: str, size: int, age_days: float, now: float):
    path = cache_path(cache_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%" * size)
    os.utime(path, (now - age_days * DAY, now - age_days * DAY))
    return path


def test_files_older_than_the_limit_go_and_younger_ones_stay(tmp_path):
    now = time.time()
    old = stored(tmp_path, "aa" + "0" * 62, 100, 40, now)
    young = stored(tmp_path, "ab" + "0" * 62, 100, 2, now)
    report = prune(tmp_path, 30 * DAY, 10**9, now)
    assert (report.removed, report.freed_bytes, report.kept) == (1, 100, 1)
    assert not old.exists() and young.exists()


def test_beyond_the_size_limit_the_oldest_go_first(tmp_path):
    now = time.time()
    paths = [stored(tmp_path, f"{n:02d}" + "0" * 62, 1000, 10 - n, now) for n in range(5)]
    report = prune(tmp_path, 30 * DAY, 2500, now)
    assert [path.exists() for path in paths] == [False, False, False, True, True]
    assert report.kept_bytes == 2000


def test_a_render_still_being_written_is_left_alone_and_a_stale_one_is_cleared(tmp_path):
    now = time.time()
    folder = tmp_path / "pdf" / "cd"
    folder.mkdir(parents=True)
    writing = folder / ".cdef-1234.tmp"
    writing.write_bytes(b"partial")
    stale = folder / ".hall-abcd"
    stale.mkdir()
    (stale / "0001.pdf").write_bytes(b"part")
    os.utime(stale, (now - 2 * 3600, now - 2 * 3600))
    prune(tmp_path, 30 * DAY, 0, now)
    assert writing.exists() and not stale.exists()


def test_the_daily_command_prunes_with_the_configured_limits(app, tmp_path, monkeypatch):
    now = time.time()
    monkeypatch.setitem(app.config, "CACHE_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "PDF_CACHE_MAX_AGE_DAYS", 7)
    old = stored(tmp_path, "ee" + "0" * 62, 2**20, 8, now)
    kept = stored(tmp_path, "ef" + "0" * 62, 2**20, 1, now)
    result = app.test_cli_runner().invoke(args=["notices", "prune"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("removed 1 files (1.0 MB); kept 1 (1.0 MB)")
    assert not old.exists() and kept.exists()
