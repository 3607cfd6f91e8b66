"""The admin's screens for utilities: list, create, edit."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from kiosk.admin import admin_bp
from kiosk.admin.forms import UtilityForm
from kiosk.htmx import render_view
from kiosk.labels import LABELS
from kiosk.refusals import show_refusal
from services.administration import utilities
from services.administration.problems import Refused
from services.db import db
from services.models import Nature, Sector, Utility

LANGS = ("zh_Hant", "en")
TRANSLATED = ("name", "short_name", "address")


def utility_form(utility: Utility | None = None) -> UtilityForm:
    form = UtilityForm(obj=utility)
    form.sector.choices = [SelectChoice(s.value, LABELS["sector"][s.value]) for s in Sector]
    form.nature.choices = [SelectChoice(n.value, LABELS["nature"][n.value]) for n in Nature]
    if utility is not None and not form.is_submitted():
        form.sector.data, form.nature.data = utility.sector.value, utility.nature.value
        for lang in LANGS:
            for key in TRANSLATED:
                value = (utility.translations or {}).get(lang, {}).get(key, "")
                getattr(form, f"{key}_{lang.lower()}").data = value
    return form


def utility_data(form: UtilityForm) -> utilities.UtilityData:
    return utilities.UtilityData(
        slug=form.slug.data.strip(),
        name=form.name.data,
        short_name=form.short_name.data,
        sector=Sector(form.sector.data),
        nature=Nature(form.nature.data),
        address=form.address.data or "",
        website=(form.website.data or "").strip(),
        position=form.position.data or 0,
        translations={
            lang: {key: getattr(form, f"{key}_{lang.lower()}").data or "" for key in TRANSLATED}
            for lang in LANGS
        },
    )


@admin_bp.get("/utilities/")
def utility_list():
    return render_view(
        "admin/utility_list",
        title=gettext("Utilities"),
        back_url=url_for("admin.dashboard"),
        rows=utilities.all_utilities(),
    )


def form_page(form: UtilityForm, utility: Utility | None, status: int = 200):
    title = utility.name if utility else gettext("New utility")
    return render_view(
        "admin/utility_form",
        status=status,
        title=title,
        back_url=url_for("admin.utility_list"),
        form=form,
        utility=utility,
    )


def save(form: UtilityForm, utility: Utility | None):
    if not form.validate_on_submit():
        return form_page(form, utility, status=400 if form.is_submitted() else 200)
    try:
        saved = utilities.save_utility(utility_data(form), current_user.username, utility)
    except Refused as error:
        db.session.rollback()
        show_refusal(form, error)
        return form_page(form, utility, status=422)
    db.session.commit()
    flash(gettext("Saved: %(name)s.", name=saved.name))
    return redirect(url_for("admin.utility_list"))


@admin_bp.route("/utilities/new", methods=["GET", "POST"])
def utility_new():
    return save(utility_form(), None)


@admin_bp.route("/utilities/<int:utility_id>/edit", methods=["GET", "POST"])
def utility_edit(utility_id: int):
    utility = db.session.get(Utility, utility_id) or abort(404)
    return save(utility_form(utility), utility)
