"""Every form of the app is refused without its CSRF token, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import select

from services.clock import today
from services.db import db
from services.devices import registry as devices
from services.models import BasisStatus, Revision, RevisionStatus, Role
from tests.factories import (
    PASSWORD,
    make_bad_review,
    make_channel,
    make_hall,
    make_hearing,
    make_info_request,
    make_item,
    make_legal_basis,
    make_outage,
    make_revision,
    make_user,
    make_utility,
)
from tests.html import parse
from tests.web.editor_pages import sign_in


def draft() -> dict[str, object]:
    item = make_item()
    make_revision(item)
    revision = make_revision(
        item, status=RevisionStatus.DRAFT, effective_from=None, published_at=None
    )
    return {"revision_id": revision.id}


def in_review() -> dict[str, object]:
    item = make_item()
    make_revision(item)
    revision = make_revision(
        item, status=RevisionStatus.IN_REVIEW, effective_from=None, published_at=None
    )
    return {"revision_id": revision.id}


def approved() -> dict[str, object]:
    item = make_item()
    make_revision(item)
    revision = make_revision(
        item, status=RevisionStatus.APPROVED, effective_from=None, published_at=None
    )
    return {"revision_id": revision.id}


def scheduled() -> dict[str, object]:
    item = make_item()
    make_revision(item)
    revision = make_revision(item, effective_from=today() + timedelta(days=30))
    return {"revision_id": revision.id}


def registration() -> dict[str, object]:
    _device, token = devices.create_registration(make_hall(), "kiosk", "测试屏", actor="test")
    return {"token": token}


def device() -> dict[str, object]:
    made, _token = devices.create_registration(make_hall(), "board", "测试屏", actor="test")
    return {"device_id": made.id}


def published_item() -> dict[str, object]:
    return {"item_id": make_revision().item_id}


def outage() -> dict[str, object]:
    return {"outage_id": make_outage().id}


def hearing() -> dict[str, object]:
    return {"hearing_id": make_hearing().id}


def rateable_item() -> dict[str, object]:
    item = make_revision().item
    return {"utility_slug": item.utility.slug, "item_slug": item.slug}


def bad_review() -> dict[str, object]:
    return {"case_id": make_bad_review(phone="13800138000").id}


def info_request() -> dict[str, object]:
    return {"request_id": make_info_request().id, "step": "acknowledge"}


def nothing() -> dict[str, object]:
    return {}


def utility() -> dict[str, object]:
    return {"utility_id": make_utility().id}


def basis() -> dict[str, object]:
    return {"basis_id": make_legal_basis().id}


def channel() -> dict[str, object]:
    return {"channel_id": make_channel().id}


def user() -> dict[str, object]:
    return {"user_id": make_user(Role.REVIEWER).id}


def hall() -> dict[str, object]:
    return {"hall_id": make_hall().id}


def proposal() -> dict[str, object]:
    revision_id = draft()["revision_id"]
    proposed = make_legal_basis(status=BasisStatus.PROPOSED)
    revision = db.session.get(Revision, revision_id)
    revision.content = revision.content | {"basis": [{"code": proposed.code}]}
    db.session.flush()
    return {"revision_id": revision_id, "basis_id": proposed.id}


# Every endpoint that accepts POST, with the arguments of a real object it acts on.
POST_ROUTES: dict[str, Callable[[], dict[str, object]]] = {
    "editor.login": nothing,
    "editor.logout": nothing,
    "editor.fee_sheet_import": nothing,
    "editor.print_batches": nothing,
    "editor.draft_start": published_item,
    "editor.revision_edit": draft,
    "editor.revision_rows": draft,
    "editor.revision_forms_upload": draft,
    "editor.revision_forms_remove": draft,
    "editor.revision_check": draft,
    "editor.revision_merge": draft,
    "editor.revision_submit": draft,
    "editor.revision_approve": in_review,
    "editor.revision_reject": in_review,
    "editor.revision_publish": approved,
    "editor.outage_new": nothing,
    "editor.outage_extend": outage,
    "editor.outage_end": outage,
    "editor.hearing_new": nothing,
    "editor.hearing_summary": hearing,
    "hearings.hearing_comment": hearing,
    "hearings.hearing_signup": hearing,
    "editor.revision_withdraw": scheduled,
    "devices.register": registration,
    "devices.heartbeat": nothing,
    "admin.device_list": nothing,
    "admin.device_remove": device,
    "public.item_rate_send": rateable_item,
    "editor.case_verify": bad_review,
    "editor.case_call_back": bad_review,
    "editor.case_action": bad_review,
    "editor.case_close": bad_review,
    "editor.figures_save": nothing,
    "editor.figures_import": nothing,
    "admin.utility_new": nothing,
    "admin.utility_edit": utility,
    "admin.basis_new": nothing,
    "admin.basis_edit": basis,
    "admin.basis_delete": basis,
    "admin.channel_new": nothing,
    "admin.channel_edit": channel,
    "admin.user_new": nothing,
    "admin.user_edit": user,
    "admin.user_reset_password": user,
    "admin.hall_new": nothing,
    "admin.hall_edit": hall,
    "admin.item_suspend": published_item,
    "admin.item_resume": published_item,
    "admin.item_retire": published_item,
    "editor.item_new": nothing,
    "editor.password_change": nothing,
    "editor.basis_propose": draft,
    "editor.basis_approve": proposal,
    "requests.request_send": nothing,
    "editor.request_step": info_request,
}
# Exempt from the token because it takes only JSON, which another site's form cannot send.
REFUSED_OTHERWISE = {"devices.heartbeat": 415}


def test_every_post_route_of_the_app_is_covered(app):
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posting == set(POST_ROUTES)


def everything(app) -> dict[str, list[tuple]]:
    """Every row of every table."""
    with app.app_context():
        return {
            name: sorted(map(repr, db.session.execute(select(table)).all()))
            for name, table in db.metadata.tables.items()
        }


@pytest.mark.parametrize("endpoint", POST_ROUTES)
def test_a_form_posted_without_its_token_is_refused_and_changes_nothing(app, endpoint):
    with app.app_context():
        admin = make_user(Role.ADMIN)
        arguments = POST_ROUTES[endpoint]()
        db.session.commit()
        admin_id, username = admin.id, admin.username
        with app.test_request_context():
            url = url_for(endpoint, **arguments)
    client = app.test_client(sends_csrf_token=False)
    sign_in(client, admin_id)
    before = everything(app)

    form = {
        "username": username,
        "password": PASSWORD,
        "change_summary": "跨站提交",
        "version": "1",
        "hall": "1",
        "kind": "kiosk",
        "name": "跨站屏",
        "level": "5",
        "verdict": "valid",
        "note": "已回访",
        "action_taken": "已修改指南",
        "decision": "close",
    }
    response = client.post(url, data=form)

    assert response.status_code == REFUSED_OTHERWISE.get(endpoint, 400)
    assert everything(app) == before


def test_the_same_form_with_its_token_gets_through(app):
    with app.app_context():
        admin = make_user(Role.ADMIN)
        db.session.commit()
        username = admin.username
    client = app.test_client()
    response = client.post("/editor/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302


def form_pages() -> dict[str, str]:
    """A page of each kind that holds a form posting back to the app."""
    item = make_item()
    make_revision(item)
    draft = make_revision(item, status=RevisionStatus.DRAFT, effective_from=None, published_at=None)
    hall = make_hall()
    _device, token = devices.create_registration(hall, "kiosk", "测试屏", actor="test")
    in_review_id = in_review()["revision_id"]
    published_outage = make_outage()
    announced = make_hearing()
    return {
        "hearing form": f"/editor/hearings/new?item={announced.item_id}",
        "hearing comments": f"/hearings/{announced.id}",
        "outage form": f"/editor/outages/new?utility={published_outage.utility.slug}",
        "outage": f"/editor/outages/{published_outage.id}",
        "new item": "/editor/items/new",
        "password": "/editor/password",
        "propose basis": f"/editor/revisions/{draft.id}/propose-basis",
        "utility": "/admin/utilities/new",
        "utility edit": f"/admin/utilities/{item.utility_id}/edit",
        "basis": "/admin/legal-bases/new",
        "channel": "/admin/channels/new",
        "user": "/admin/users/new",
        "hall": "/admin/halls/new",
        "hall edit": f"/admin/halls/{hall.id}/edit",
        "item status": f"/admin/items/{item.id}",
        "dashboard": "/editor/",
        "fee sheets": "/editor/fees",
        "item": f"/editor/items/{item.id}",
        "draft": f"/editor/revisions/{draft.id}/edit",
        "forms": f"/editor/revisions/{draft.id}/forms",
        "review": f"/editor/revisions/{in_review_id}",
        "device list": "/admin/devices/",
        "registration": f"/device/register/{token}",
        "bad review": f"/editor/cases/{make_bad_review(phone='13800138000').id}",
        "figures": f"/editor/figures?utility={item.utility.slug}",
        "rating": f"/u/{item.utility.slug}/{item.slug}/rate",
    }


def test_every_form_the_app_renders_carries_its_token(app):
    with app.app_context():
        admin_id = make_user(Role.ADMIN).id
        pages = form_pages()
        db.session.commit()
    signed_out, signed_in = app.test_client(), app.test_client()
    sign_in(signed_in, admin_id)
    shown = [(signed_out, "/editor/login")] + [(signed_in, url) for url in pages.values()]
    for client, url in shown:
        response = client.get(url)
        assert response.status_code == 200, url
        forms = parse(response.data).find_all("form", method="post")
        assert forms, url
        for form in forms:
            tokens = form.find_all("input", attrs={"name": "csrf_token"})
            assert len(tokens) == 1 and tokens[0].get("value"), (url, form.get("action"))
