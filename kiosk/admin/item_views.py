"""The admin's screens for the life of items: the list of every item with its state, and
suspending, resuming or retiring one."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from kiosk.admin import admin_bp
from kiosk.admin.forms import RetireForm, SuspendForm
from kiosk.forms import ActionForm
from kiosk.htmx import render_view
from kiosk.refusals import show_refusal
from services.administration import items
from services.administration.problems import Refused
from services.catalogue import queries as catalogue
from services.db import db
from services.models import Item

NO_SUCCESSOR = ""


def item_name(item: Item) -> str:
    revision = catalogue.current_revision(item)
    return revision.content["name"] if revision else item.code


@admin_bp.get("/items/")
def item_list():
    utility = catalogue.utility_by_slug(request.args.get("utility", "")) or None
    listed = items.all_items(utility)
    current = catalogue.current_revisions(listed)
    rows = [
        (item, current[item.id].content["name"] if item.id in current else item.code)
        for item in listed
    ]
    return render_view(
        "admin/item_list",
        title=gettext("Items"),
        back_url=url_for("admin.dashboard"),
        rows=rows,
        utilities=catalogue.list_utilities(),
        utility=utility,
    )


def retire_form(item: Item) -> RetireForm:
    form = RetireForm()
    form.successor.choices = [SelectChoice(NO_SUCCESSOR, gettext("None"))] + [
        SelectChoice(str(other.id), f"{other.utility.short_name} · {item_name(other)}")
        for other in items.successor_choices(item)
    ]
    return form


def status_page(item: Item, status: int = 200, **forms):
    return render_view(
        "admin/item_status",
        status=status,
        title=item_name(item),
        back_url=url_for("admin.item_list"),
        item=item,
        item_name=item_name(item),
        suspend_form=forms.get("suspend_form") or SuspendForm(),
        retire_form=forms.get("retire_form") or retire_form(item),
        action_form=ActionForm(),
    )


@admin_bp.get("/items/<int:item_id>")
def item_status(item_id: int):
    return status_page(db.session.get(Item, item_id) or abort(404))


@admin_bp.post("/items/<int:item_id>/suspend")
def item_suspend(item_id: int):
    item = db.session.get(Item, item_id) or abort(404)
    form = SuspendForm()
    if not form.validate_on_submit():
        return status_page(item, status=400, suspend_form=form)
    try:
        items.suspend_item(item, form.reason.data, current_user.username)
    except Refused as error:
        db.session.rollback()
        show_refusal(form, error)
        return status_page(item, status=409, suspend_form=form)
    db.session.commit()
    flash(gettext("Suspended. Residents see the reason on its page."))
    return redirect(url_for("admin.item_status", item_id=item.id))


@admin_bp.post("/items/<int:item_id>/resume")
def item_resume(item_id: int):
    item = db.session.get(Item, item_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        items.resume_item(item, current_user.username)
    except Refused:
        db.session.rollback()
        return status_page(item, status=409)
    db.session.commit()
    flash(gettext("Offered again."))
    return redirect(url_for("admin.item_status", item_id=item.id))


@admin_bp.post("/items/<int:item_id>/retire")
def item_retire(item_id: int):
    item = db.session.get(Item, item_id) or abort(404)
    form = retire_form(item)
    if not form.validate_on_submit():
        return status_page(item, status=400, retire_form=form)
    successor = db.session.get(Item, int(form.successor.data)) if form.successor.data else None
    try:
        items.retire_item(item, form.reason.data or "", successor, current_user.username)
    except Refused as error:
        db.session.rollback()
        show_refusal(form, error)
        return status_page(item, status=409, retire_form=form)
    db.session.commit()
    flash(gettext("Withdrawn. Its addresses keep answering and point to what replaces it."))
    return redirect(url_for("admin.item_status", item_id=item.id))
