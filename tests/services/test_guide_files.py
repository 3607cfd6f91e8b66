"""Blank forms and samples: only real, readable, unprotected PDFs under the size cap are kept,
each once, under the name of its SHA-256; content names them per material."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfWriter

from services.content.schema import content_errors
from services.guide_files import storage
from services.guide_files.materials import form_files, material_file, with_material_file
from services.guide_files.storage import MAX_BYTES, GuideFileError, check_pdf, store_pdf
from tests.factories import blank_pdf, service_content


def refused(data: bytes) -> str:
    with pytest.raises(GuideFileError) as caught:
        check_pdf(data)
    return caught.value.reason


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_real_pdf_is_accepted():
    check_pdf(blank_pdf(pages=2))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "not_pdf"),
        ("申请表：姓名＿＿＿".encode(), "not_pdf"),
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF", "unreadable"),
        (blank_pdf()[:200], "unreadable"),
    ],
    ids=["empty", "png", "text", "no pages", "cut short"],
)
def test_what_is_not_a_readable_pdf_is_refused_with_its_reason(data, reason):
    assert refused(data) == reason


def test_a_password_protected_pdf_is_refused():
    assert refused(encrypted_pdf()) == "encrypted"


def test_a_pdf_over_the_cap_is_refused_before_it_is_read():
    padded = blank_pdf() + b"%" + b" " * MAX_BYTES
    assert refused(padded) == "too_large"


def test_files_are_kept_once_under_their_hash(tmp_path):
    data = blank_pdf("居民用水申请表")
    sha = store_pdf(tmp_path, data)
    assert sha == hashlib.sha256(data).hexdigest()
    path = storage.stored_pdf(tmp_path, sha)
    assert path == tmp_path / "guide-forms" / sha[:2] / f"{sha}.pdf"
    assert path.read_bytes() == data
    assert store_pdf(tmp_path, data) == sha  # the same file again: the same name
    other = store_pdf(tmp_path, blank_pdf("填写样例"))
    assert other != sha and path.read_bytes() == data
    assert [p.name for p in (tmp_path / "guide-forms").rglob("*") if p.is_file()].count(
        f"{sha}.pdf"
    ) == 1
    assert not list(tmp_path.rglob("*.part"))


def test_a_refused_file_leaves_nothing_behind(tmp_path):
    with pytest.raises(GuideFileError):
        store_pdf(tmp_path, b"not a pdf")
    assert not list(tmp_path.rglob("*"))


def test_only_a_hash_names_a_file(tmp_path):
    assert storage.stored_pdf(tmp_path, "a" * 64) is None
    with pytest.raises(ValueError):
        storage.file_path(tmp_path, "../../etc/passwd")


def test_materials_name_their_forms_by_number_and_kind():
    content = service_content()
    sha = "b" * 64
    changed = with_material_file(content, 2, "sample", sha)
    assert "sample" not in content["materials"][1]  # the original is left alone
    assert material_file(changed, 2, "sample") == sha
    assert material_file(changed, 2, "blank_form") is None
    assert material_file(changed, 3, "sample") is None
    assert material_file(changed, 2, "photo") is None
    assert form_files(changed) == [(2, "sample", sha)]
    assert form_files(with_material_file(changed, 2, "sample", None)) == []
    with pytest.raises(IndexError):
        with_material_file(content, 3, "sample", sha)


def test_the_schema_takes_the_new_guide_fields_and_old_content_stays_valid():
    old = service_content()
    assert content_errors(old) == []
    new = service_content()
    new["materials"][0] |= {"blank_form": "c" * 64, "sample": "d" * 64}
    new["steps"][0]["branches"] = ["correction", "refusal"]
    new |= {"result_delivery": ["window", "post"], "verified_on": "2026-11-02"}
    assert content_errors(new) == []
    for bad, field in [
        ({"verified_on": "2026-13-40"}, "verified_on"),
        ({"result_delivery": ["pigeon"]}, "result_delivery[0]"),
        ({"result_delivery": ["post", "post"]}, "result_delivery"),
    ]:
        assert [e.field for e in content_errors(new | bad)] == [field]
    wrong = service_content()
    wrong["materials"][0]["blank_form"] = "../form.pdf"
    wrong["steps"][1]["branches"] = ["appeal"]
    assert {e.field for e in content_errors(wrong)} == {
        "materials[0].blank_form",
        "steps[1].branches[0]",
    }
