"""A utility's editor proposes a legal basis the catalogue lacks from the draft editor; it is
reviewed with the draft, never shown publicly before approval, and blocks publishing until
approved."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from services.clock import today
from services.db import db
from services.models import BasisStatus, LegalBasis, Revision, RevisionStatus, Role
from tests.factories import committed, make_item, make_revision, make_user
from tests.html import form_values, parse
from tests.web.editor_pages import form_data, sign_in

NUMBERS = itertools.count(18)
PROPOSAL = {
    "title": "关于调整居民生活用水价格的通知",
    "doc_number": "澄价〔2026〕18号",
    "issuer": "澄州市发展和改革委员会",
    "issued_on": "2026-10-08",
    "effective_on": "2027-01-01",
    "url": "https://fgw.chengzhou.example/2026-18",
    "rank": "5",
}


@pytest.fixture
def people(app) -> dict[str, int]:
    """An editor with a draft of their utility's item, another utility's editor with a draft,
    and a reviewer."""

    def made():
        editor, other = make_user(Role.EDITOR), make_user(Role.EDITOR)
        reviewer = make_user(Role.REVIEWER)
        item = make_item(editor.utility)
        make_revision(item)
        draft = make_revision(
            item, status=RevisionStatus.DRAFT, effective_from=None, published_at=None, author=editor
        )
        other_item = make_item(other.utility)
        make_revision(other_item)
        other_draft = make_revision(
            other_item, status=RevisionStatus.DRAFT, effective_from=None, published_at=None
        )
        return {
            "editor": editor.id,
            "other": other.id,
            "reviewer": reviewer.id,
            "draft": draft.id,
            "other_draft": other_draft.id,
        }

    return committed(app, made)


def propose(app, people) -> str:
    """Propose a basis with a document number of its own; returns its code."""
    client = app.test_client()
    sign_in(client, people["editor"])
    proposal = PROPOSAL | {"doc_number": f"澄价〔2026〕{next(NUMBERS)}号"}
    response = client.post(f"/editor/revisions/{people['draft']}/propose-basis", data=proposal)
    assert response.status_code == 302 and response.location.endswith("/edit")
    with app.app_context():
        basis = db.session.scalar(
            select(LegalBasis).where(LegalBasis.doc_number == proposal["doc_number"])
        )
        assert basis.status == BasisStatus.PROPOSED
        return basis.code


def test_the_draft_editor_links_to_the_proposal_form(app, client, people):
    sign_in(client, people["editor"])
    page = parse(client.get(f"/editor/revisions/{people['draft']}/edit").data)
    assert f"/editor/revisions/{people['draft']}/propose-basis" in page.links


def test_an_incomplete_proposal_is_refused_and_keeps_what_was_typed(app, client, people):
    sign_in(client, people["editor"])
    response = client.post(
        f"/editor/revisions/{people['draft']}/propose-basis",
        data=PROPOSAL | {"issuer": "", "url": "ftp://fgw.example/doc", "issued_on": "2026-10-32"},
    )
    assert response.status_code == 400
    page = parse(response.data)
    assert "此项必填。" in page.text_of("issuer-field")
    assert "请填写以 http:// 或 https:// 开头的网址。" in page.text_of("url-field")
    assert "请按 年-月-日 填写日期" in page.text_of("issued_on-field")
    assert form_values(response.data, "basis-propose-form")["title"] == PROPOSAL["title"]


def test_only_the_proposing_utility_may_cite_it_and_the_public_never_sees_it(app, client, people):
    code = propose(app, people)
    sign_in(client, people["editor"])
    own = client.get(f"/editor/revisions/{people['draft']}/edit").get_data(as_text=True)
    assert f'value="{code}"' in own
    other = app.test_client()
    sign_in(other, people["other"])
    theirs = other.get(f"/editor/revisions/{people['other_draft']}/edit").get_data(as_text=True)
    assert f'value="{code}"' not in theirs

    public = app.test_client()
    assert public.get(f"/basis/{code}").status_code == 404
    assert public.get(f"/api/v1/legal-bases/{code}").status_code == 404
    listed = public.get("/api/v1/legal-bases?per_page=100").get_json()["data"]
    assert code not in {b["code"] for b in listed}


def test_a_draft_citing_a_proposal_is_published_only_after_the_reviewer_approves_it(
    app, client, people
):
    code = propose(app, people)
    sign_in(client, people["editor"])
    with app.app_context():
        revision = db.session.get(Revision, people["draft"])
        content, version = revision.content, revision.version
    content = content | {"basis": [{"code": code}]}
    content["fees"][0]["basis"] = [{"code": code, "article": "第二条"}]
    saved = client.post(
        f"/editor/revisions/{people['draft']}/edit",
        data=form_data(app, content, version, change_summary="执行新水价"),
    )
    assert saved.status_code == 302
    assert (
        client.post(
            f"/editor/revisions/{people['draft']}/submit", data={"version": str(version + 1)}
        ).status_code
        == 302
    )

    reviewer = app.test_client()
    sign_in(reviewer, people["reviewer"])
    detail = parse(reviewer.get(f"/editor/revisions/{people['draft']}").data)
    assert "澄州市发展和改革委员会" in detail.text_of("proposed-bases")
    seen = detail.soup.select_one("#review-form input[name=version]")["value"]
    approve = {"comment": "", "version": seen}  # the version the reviewer read
    assert (
        reviewer.post(f"/editor/revisions/{people['draft']}/approve", data=approve).status_code
        == 302
    )
    refused = reviewer.post(
        f"/editor/revisions/{people['draft']}/publish",
        data={"effective_from": today().isoformat()},
    )
    assert refused.status_code == 409
    assert "尚在提议中，未获批准" in parse(refused.data).text_of("problem")

    with app.app_context():
        basis_id = db.session.scalar(select(LegalBasis.id).where(LegalBasis.code == code))
    # The editor who proposed it cannot approve it.
    assert (
        client.post(f"/editor/revisions/{people['draft']}/bases/{basis_id}/approve").status_code
        == 403
    )
    approved = reviewer.post(f"/editor/revisions/{people['draft']}/bases/{basis_id}/approve")
    assert approved.status_code == 302
    published = reviewer.post(
        f"/editor/revisions/{people['draft']}/publish",
        data={"effective_from": today().isoformat()},
    )
    assert published.status_code == 302
    assert app.test_client().get(f"/basis/{code}").status_code == 200
    with app.app_context():
        assert db.session.get(Revision, people["draft"]).status == RevisionStatus.PUBLISHED


def test_a_basis_not_cited_by_the_revision_cannot_be_approved_through_it(app, client, people):
    propose(app, people)
    with app.app_context():
        basis_id = db.session.scalar(
            select(LegalBasis.id).where(LegalBasis.status == BasisStatus.PROPOSED)
        )
    sign_in(client, people["reviewer"])
    response = client.post(f"/editor/revisions/{people['other_draft']}/bases/{basis_id}/approve")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(LegalBasis, basis_id).status == BasisStatus.PROPOSED
