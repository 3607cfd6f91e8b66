"""The admin's screens for accounts: create, change role or utility, deactivate, reset a
password (the person then chooses a new one at their next sign-in)."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from kiosk.admin import admin_bp
from kiosk.admin.forms import NewUserForm, UserForm
from kiosk.field_labels import role_label
from kiosk.forms import ActionForm
from kiosk.htmx import render_view
from kiosk.refusals import account_refusal
from services.administration import utilities
from services.catalogue import queries as catalogue
from services.db import db
from services.models import Role, User
from services.publishing import accounts

NO_UTILITY = ""


def with_choices(form):
    form.role.choices = [SelectChoice(role.value, role_label(role)) for role in Role]
    form.utility.choices = [SelectChoice(NO_UTILITY, "—")] + [
        SelectChoice(u.slug, u.name) for u in utilities.all_utilities()
    ]
    return form


def show_account_refusal(form, error: accounts.AccountError) -> None:
    name, text = account_refusal(str(error))
    field = getattr(form, name, None) or form.role
    field.errors = [*field.errors, text]


def chosen_utility(form):
    return catalogue.utility_by_slug(form.utility.data) if form.utility.data else None


@admin_bp.get("/users/")
def user_list():
    return render_view(
        "admin/user_list",
        title=gettext("Users"),
        back_url=url_for("admin.dashboard"),
        rows=accounts.all_users(),
    )


def form_page(form, user: User | None, status: int = 200, **context):
    return render_view(
        "admin/user_form",
        status=status,
        title=user.username if user else gettext("New user"),
        back_url=url_for("admin.user_list"),
        form=form,
        user=user,
        action_form=ActionForm(),
        **context,
    )


@admin_bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = with_choices(NewUserForm())
    if not form.validate_on_submit():
        return form_page(form, None, status=400 if form.is_submitted() else 200)
    try:
        user = accounts.create_user_with_first_password(
            form.username.data,
            form.password.data,
            Role(form.role.data),
            chosen_utility(form),
            display_name=form.display_name.data or "",
            actor=current_user.username,
        )
    except accounts.AccountError as error:
        db.session.rollback()
        show_account_refusal(form, error)
        return form_page(form, None, status=422)
    db.session.commit()
    return redirect(url_for("admin.user_edit", user_id=user.id))


@admin_bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = with_choices(UserForm(obj=user))
    if not form.is_submitted():
        form.role.data = user.role.value
        form.utility.data = user.utility.slug if user.utility else NO_UTILITY
    if not form.validate_on_submit():
        return form_page(form, user, status=400 if form.is_submitted() else 200)
    try:
        accounts.update_user(
            user,
            role=Role(form.role.data),
            utility=chosen_utility(form),
            display_name=form.display_name.data or "",
            is_active=form.is_active.data,
            actor=current_user,
        )
    except accounts.AccountError as error:
        db.session.rollback()
        show_account_refusal(form, error)
        return form_page(form, user, status=422)
    db.session.commit()
    flash(gettext("Saved: %(name)s.", name=user.username))
    return redirect(url_for("admin.user_edit", user_id=user.id))


@admin_bp.post("/users/<int:user_id>/reset-password")
def user_reset_password(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    password = accounts.reset_password(user, current_user)
    db.session.commit()
    form = with_choices(UserForm(obj=user, formdata=None))
    form.role.data = user.role.value
    form.utility.data = user.utility.slug if user.utility else NO_UTILITY
    # Shown once, on this answer only; it is not kept anywhere readable.
    return form_page(form, user, temporary_password=password)
