"""The admin's screens for legal bases: list, create, edit, delete when nothing cites it."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user

from kiosk.admin import admin_bp
from kiosk.admin.forms import BasisForm
from kiosk.forms import ActionForm
from kiosk.htmx import render_view
from kiosk.refusals import refusal_text, show_refusal
from services.administration import bases
from services.administration.problems import Refused
from services.db import db
from services.models import LegalBasis


def basis_form(basis: LegalBasis | None = None) -> BasisForm:
    form = BasisForm(obj=basis)
    if basis is not None and not form.is_submitted():
        form.rank.data = str(basis.rank)
    return form


def basis_data(form: BasisForm, basis: LegalBasis | None) -> bases.BasisData:
    return bases.BasisData(
        code=form.code.data.strip(),
        title=form.title.data,
        doc_number=form.doc_number.data or "",
        issuer=form.issuer.data or "",
        issued_on=form.issued_on.data,
        effective_on=form.effective_on.data,
        repealed_on=form.repealed_on.data,
        version_in_force=form.version_in_force.data or "",
        url=(form.url.data or "").strip(),
        articles=form.articles.data or "",
        rank=int(form.rank.data),
        translations=basis.translations if basis else {},
    )


@admin_bp.get("/legal-bases/")
def basis_list():
    return render_view(
        "admin/basis_list",
        title=gettext("Legal bases"),
        back_url=url_for("admin.dashboard"),
        rows=bases.all_bases(),
    )


def form_page(form: BasisForm, basis: LegalBasis | None, status: int = 200, **context):
    return render_view(
        "admin/basis_form",
        status=status,
        title=basis.title if basis else gettext("New legal basis"),
        back_url=url_for("admin.basis_list"),
        form=form,
        basis=basis,
        action_form=ActionForm(),
        citing=bases.citing_items(basis) if basis else [],
        **context,
    )


def save(form: BasisForm, basis: LegalBasis | None):
    if not form.validate_on_submit():
        return form_page(form, basis, status=400 if form.is_submitted() else 200)
    try:
        saved = bases.save_basis(basis_data(form, basis), current_user.username, basis)
    except Refused as error:
        db.session.rollback()
        show_refusal(form, error)
        return form_page(form, basis, status=422)
    db.session.commit()
    flash(gettext("Saved: %(name)s.", name=saved.title))
    return redirect(url_for("admin.basis_list"))


@admin_bp.route("/legal-bases/new", methods=["GET", "POST"])
def basis_new():
    return save(basis_form(), None)


@admin_bp.route("/legal-bases/<int:basis_id>/edit", methods=["GET", "POST"])
def basis_edit(basis_id: int):
    basis = db.session.get(LegalBasis, basis_id) or abort(404)
    return save(basis_form(basis), basis)


@admin_bp.post("/legal-bases/<int:basis_id>/delete")
def basis_delete(basis_id: int):
    basis = db.session.get(LegalBasis, basis_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    title = basis.title
    try:
        bases.delete_basis(basis, current_user.username)
    except Refused as error:
        db.session.rollback()
        return form_page(
            basis_form(basis),
            basis,
            status=409,
            refusal=refusal_text(error),
            refused_items=error.params["items"],
        )
    db.session.commit()
    flash(gettext("Deleted: %(name)s.", name=title))
    return redirect(url_for("admin.basis_list"))
