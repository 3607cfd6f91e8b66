"""Uploaded files no record names are removed after a day's grace; every file a revision
(of any status) or a reply names stays, and so does anything that is not an upload."""

from __future__ import annotations

import os
import time

from services.clock import utcnow
from services.guide_files.materials import with_material_file
from services.guide_files.storage import file_path, store_pdf
from services.models import RevisionStatus
from services.orphaned_uploads import GRACE_SECONDS, prune_orphans
from services.requests import files
from tests.factories import blank_pdf, make_info_request, make_item, make_revision, service_content

DAY = 86400


def aged(path, days: float, now: float):
    os.utime(path, (now - days * DAY, now - days * DAY))
    return path


def test_only_old_files_no_record_names_are_removed(ctx, tmp_path):
    now = time.time()
    published = store_pdf(tmp_path, blank_pdf("已公开的申请表"))
    drafted = store_pdf(tmp_path, blank_pdf("草稿里的样表"))
    orphan = store_pdf(tmp_path, blank_pdf("保存失败的申请表"))
    fresh = store_pdf(tmp_path, blank_pdf("刚刚上传的申请表"))
    item = make_item()
    make_revision(item, content=with_material_file(service_content(), 1, "blank_form", published))
    make_revision(
        item,
        status=RevisionStatus.DRAFT,
        published_at=None,
        content=with_material_file(service_content(), 1, "sample", drafted),
    )
    reply = files.Attachment("答复.pdf", "application/pdf", blank_pdf("答复书"))
    (sent,) = files.attach(make_info_request(), [reply], tmp_path, "staff", utcnow())
    for sha256 in (published, drafted, orphan):
        aged(file_path(tmp_path, sha256), 3, now)
    aged(files.stored_path(tmp_path, sent.sha256), 3, now)
    orphan_size = file_path(tmp_path, orphan).stat().st_size
    # Not named by a hash: not an upload, whatever it is.
    stray = file_path(tmp_path, orphan).with_name("说明.txt")
    stray.write_text("不是上传的文件")
    aged(stray, 3, now)

    report = prune_orphans(tmp_path, now)

    assert not file_path(tmp_path, orphan).exists()
    for kept in (published, drafted, fresh):
        assert file_path(tmp_path, kept).exists()
    assert files.stored_path(tmp_path, sent.sha256).exists()
    assert stray.exists()
    assert (report.removed, report.kept) == (1, 4)
    assert report.freed_bytes == orphan_size


def test_a_dry_run_counts_and_removes_nothing(ctx, tmp_path):
    now = time.time()
    orphan = store_pdf(tmp_path, blank_pdf("无人引用的样表"))
    aged(file_path(tmp_path, orphan), 2, now)
    report = prune_orphans(tmp_path, now, dry_run=True)
    assert report.removed == 1 and file_path(tmp_path, orphan).exists()


def test_uploading_an_old_file_again_restarts_its_grace(ctx, tmp_path):
    now = time.time()
    data = blank_pdf("再次上传的申请表")
    sha256 = store_pdf(tmp_path, data)
    aged(file_path(tmp_path, sha256), 5, now)
    assert store_pdf(tmp_path, data) == sha256
    assert now - file_path(tmp_path, sha256).stat().st_mtime < GRACE_SECONDS
    assert prune_orphans(tmp_path, time.time()).removed == 0


def test_the_command_reports_what_it_removed(app, tmp_path):
    orphan = store_pdf(tmp_path, blank_pdf("命令行清理的申请表"))
    aged(file_path(tmp_path, orphan), 2, time.time())
    saved, app.config["UPLOAD_DIR"] = app.config["UPLOAD_DIR"], str(tmp_path)
    try:
        runner = app.test_cli_runner()
        dry = runner.invoke(args=["uploads", "prune", "--dry-run"])
        assert "would remove 1 files" in dry.output and file_path(tmp_path, orphan).exists()
        done = runner.invoke(args=["uploads", "prune"])
    finally:
        app.config["UPLOAD_DIR"] = saved
    assert done.exit_code == 0, done.output
    assert "removed 1 files" in done.output and not file_path(tmp_path, orphan).exists()
