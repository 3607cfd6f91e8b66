"""The editor's side of a complete 办事指南: uploading blank forms and samples to a draft
(checked, saved at once, audited), removing them, carrying them through the content form,
the new fields' inputs, and the path from upload to a published, downloadable form."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.editor.content_form import read_content
from services.clock import today
from services.db import db
from services.guide_files.storage import MAX_BYTES, stored_pdf
from services.models import AuditEvent, ItemKind, Revision, RevisionStatus
from tests.factories import blank_pdf
from tests.html import form_values, parse
from tests.web.editor_pages import (  # noqa: F401  (fixtures)
    accounts_fixture,
    form_data,
    sign_in,
    tariff_fixture,
)


def signed_in(app, accounts, role: str):
    client = app.test_client()
    sign_in(client, accounts[role])
    return client


def saved(app, revision_id: int) -> Revision:
    with app.app_context():
        revision = db.session.get(Revision, revision_id)
        db.session.expunge(revision)
        return revision


def upload(client, fresh, data: bytes, number="1", kind="blank_form", version=None, name="表.pdf"):
    return client.post(
        f"/editor/revisions/{fresh.revision_id}/forms",
        data={
            "number": number,
            "kind": kind,
            "version": str(fresh.version if version is None else version),
            "pdf": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def test_an_uploaded_form_is_kept_saved_into_the_draft_and_audited(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT, kind=ItemKind.SERVICE)
    editor = signed_in(app, accounts, "editor")
    data = blank_pdf("居民用水申请表")
    response = upload(editor, fresh, data)
    assert response.status_code == 302
    assert response.location.endswith(f"/editor/revisions/{fresh.revision_id}/forms")
    revision = saved(app, fresh.revision_id)
    sha = revision.content["materials"][0]["blank_form"]
    assert stored_pdf(Path(app.config["UPLOAD_DIR"]), sha).read_bytes() == data
    assert revision.version == fresh.version + 1
    with app.app_context():
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_id == str(fresh.revision_id))
        ).all()
    assert "revision.save" in actions

    page = parse(editor.get(f"/editor/revisions/{fresh.revision_id}/forms").data)
    link = page.soup.find(id="material-1-blank_form").find("a", class_="form-file")
    assert link["href"] == f"/editor/revisions/{fresh.revision_id}/files/{sha}.pdf"
    assert editor.get(link["href"]).data == data
    # A reviewer may look at the draft's file; residents may not.
    assert signed_in(app, accounts, "reviewer").get(link["href"]).data == data
    assert (
        app.test_client().get(f"/r/{fresh.revision_id}/forms/1/blank_form.pdf").status_code == 404
    )


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        (b"%PNG not a form", 422, "此文件不是 PDF"),
        (b"%PDF-1.4\nbroken", 422, "无法读取此 PDF"),
        (b"", 400, "请选择要上传的 PDF 文件"),
        (blank_pdf() + b" " * MAX_BYTES, 422, "文件超过 4 MB"),
    ],
    ids=["not a pdf", "damaged", "no file", "too large"],
)
def test_a_refused_upload_says_why_and_changes_nothing(
    app, accounts, tariff, data, status, message
):
    fresh = tariff(RevisionStatus.DRAFT, kind=ItemKind.SERVICE)
    editor = signed_in(app, accounts, "editor")
    response = upload(editor, fresh, data, name="" if not data else "表.pdf")
    assert response.status_code == status
    problem = parse(response.data).soup.find(id="problem")
    assert message in problem.get_text()
    revision = saved(app, fresh.revision_id)
    assert revision.version == fresh.version and revision.content == fresh.content


def test_an_upload_for_a_material_that_is_not_there_is_refused(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT, kind=ItemKind.SERVICE)
    editor = signed_in(app, accounts, "editor")
    for number, kind in (("9", "blank_form"), ("1", "photo"), ("x", "sample")):
        response = upload(editor, fresh, blank_pdf(), number=number, kind=kind)
        assert response.status_code == 400
        assert "此版本中没有该项材料" in parse(response.data).soup.find(id="problem").get_text()
    assert saved(app, fresh.revision_id).version == fresh.version


def test_an_upload_over_a_newer_save_is_refused_and_says_so(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT, kind=ItemKind.SERVICE)
    editor = signed_in(app, accounts, "editor")
    assert upload(editor, fresh, blank_pdf("第一份")).status_code == 302
    stale = upload(editor, fresh, blank_pdf("第二份"), kind="sample")  # the old version
    assert stale.status_code == 409
    assert "其他人刚刚保存了此草稿" in parse(stale.data).soup.find(id="problem").get_text()
    assert "sample" not in saved(app, fresh.revision_id).content["materials"][0]


def test_a_form_can_be_removed(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT, kind=ItemKind.SERVICE)
    editor = signed_in(app, accounts, "editor")
    upload(editor, fresh, blank_pdf())
    response = editor.post(
        f"/editor/revisions/{fresh.revision_id}/forms/remove",
        data={"number": "1", "kind": "blank_form", "version": str(fresh.version + 1)},
    )
    assert response.status_code == 302
    assert "blank_form" not in saved(app, fresh.revision_id).content["materials"][0]


def test_a_submitted_draft_takes_no_uploads(app, accounts, tariff):
    fresh = tariff(RevisionStatus.IN_REVIEW, kind=ItemKind.SERVICE)
    editor = signed_in(app, accounts, "editor")
    response = upload(editor, fresh, blank_pdf())
    assert response.status_code == 409
    page = parse(editor.get(f"/editor/revisions/{fresh.revision_id}/forms").data)
    assert not page.soup.find_all("input", type="file")


def test_the_content_form_carries_the_files_and_the_new_fields(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT, kind=ItemKind.SERVICE)
    editor = signed_in(app, accounts, "editor")
    upload(editor, fresh, blank_pdf())
    sha = saved(app, fresh.revision_id).content["materials"][0]["blank_form"]
    form = form_values(
        editor.get(f"/editor/revisions/{fresh.revision_id}/edit").data, "revision-form"
    )
    assert form["materials[0].blank_form"] == sha
    page = parse(editor.get(f"/editor/revisions/{fresh.revision_id}/edit").data)
    boxes = page.soup.find_all("input", attrs={"name": "result_delivery"})
    assert [b["value"] for b in boxes] == ["window", "post", "sms", "electronic"]
    labels = [b.parent.get_text(strip=True) for b in boxes]
    assert labels == ["窗口领取", "邮寄送达", "短信告知", "电子送达"]
    assert page.soup.find("input", attrs={"name": "verified_on", "type": "date"})
    assert [
        b["value"] for b in page.soup.find_all("input", attrs={"name": "steps[0].branches"})
    ] == [
        "correction",
        "refusal",
    ]
    form.setlist("result_delivery", ["post", "window"])
    form.setlist("steps[0].branches", ["refusal"])
    form["verified_on"] = "2026-11-20"
    assert editor.post(f"/editor/revisions/{fresh.revision_id}/edit", data=form).status_code == 302
    content = saved(app, fresh.revision_id).content
    assert content["result_delivery"] == ["window", "post"]  # in the schema's order
    assert content["steps"][0]["branches"] == ["refusal"]
    assert "branches" not in content["steps"][1]  # nothing ticked: nothing stored
    assert content["verified_on"] == "2026-11-20"
    assert content["materials"][0]["blank_form"] == sha


def test_an_unticked_list_is_left_out_of_the_content(app):
    with app.test_request_context():
        data = form_data(app, {"name": "x", "result_delivery": ["sms"]}, 1)
        data.setlist("result_delivery", [])
        assert "result_delivery" not in read_content(data)


def test_from_upload_to_a_published_form_residents_download(app, accounts, tariff):
    fresh = tariff(RevisionStatus.DRAFT, kind=ItemKind.SERVICE)
    editor, reviewer = signed_in(app, accounts, "editor"), signed_in(app, accounts, "reviewer")
    data = blank_pdf("发布的申请表")
    upload(editor, fresh, data, number="2", kind="sample")
    url = f"/editor/revisions/{fresh.revision_id}"
    preview = parse(editor.get(f"{url}/preview").data)
    assert preview.soup.find(id="form-2-sample")["href"].startswith(f"{url}/files/")
    assert editor.post(f"{url}/submit", data={"version": str(fresh.version + 1)}).status_code == 302
    review = form_values(reviewer.get(url).data, "review-form") | {"comment": "同意"}
    assert reviewer.post(f"{url}/approve", data=review).status_code == 302
    on = today().isoformat()
    assert reviewer.post(f"{url}/publish", data={"effective_from": on}).status_code == 302

    resident = app.test_client()
    page = parse(resident.get(fresh.kiosk_url).data)
    link = page.soup.find(id="form-2-sample")["href"]
    assert link == f"/r/{fresh.revision_id}/forms/2/sample.pdf"
    download = resident.get(link)
    assert download.status_code == 200 and download.data == data
