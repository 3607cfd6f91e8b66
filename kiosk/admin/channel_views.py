"""The admin's screens for channels (hotlines and web pages): list, create, edit."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from kiosk.admin import admin_bp
from kiosk.admin.forms import ChannelForm
from kiosk.htmx import render_view
from kiosk.labels import LABELS
from kiosk.refusals import show_refusal
from services.administration import channels, utilities
from services.administration.problems import Refused
from services.catalogue import queries as catalogue
from services.db import db
from services.models import Channel, ChannelKind, ChannelRole, Sector

CITY_WIDE = ""
# A channel's texts residents read; each has a form field per language (`hours_en`).
TRANSLATED = ("name", "hours")


def channel_form(channel: Channel | None = None) -> ChannelForm:
    form = ChannelForm(obj=channel)
    form.kinds.choices = [
        SelectChoice(k.value, LABELS["channel_kind"][k.value]) for k in ChannelKind
    ]
    form.utility.choices = [SelectChoice(CITY_WIDE, gettext("The whole city"))] + [
        SelectChoice(u.slug, u.name) for u in utilities.all_utilities()
    ]
    form.route_role.choices = [SelectChoice("", gettext("No one else (an ordinary channel)"))] + [
        SelectChoice(r.value, LABELS["channel_role"][r.value]) for r in ChannelRole
    ]
    form.route_sector.choices = [SelectChoice("", "—")] + [
        SelectChoice(s.value, LABELS["sector"][s.value]) for s in Sector
    ]
    if channel is not None and not form.is_submitted():
        form.route_role.data = channel.role.value if channel.role else ""
        form.route_sector.data = channel.sector.value if channel.sector else ""
        form.kinds.data = list(channel.kinds)
        form.utility.data = channel.utility.slug if channel.utility else CITY_WIDE
        for lang in ("zh_Hant", "en"):
            for field in TRANSLATED:
                value = (channel.translations or {}).get(lang, {}).get(field, "")
                getattr(form, f"{field}_{lang.lower()}").data = value
    return form


def channel_data(form: ChannelForm) -> channels.ChannelData:
    utility = catalogue.utility_by_slug(form.utility.data) if form.utility.data else None
    return channels.ChannelData(
        code=form.code.data.strip(),
        name=form.name.data,
        kinds=[ChannelKind(kind) for kind in form.kinds.data or []],
        phone=(form.phone.data or "").strip(),
        url=(form.url.data or "").strip(),
        hours=form.hours.data or "",
        utility=utility,
        role=ChannelRole(form.route_role.data) if form.route_role.data else None,
        sector=Sector(form.route_sector.data) if form.route_sector.data else None,
        translations={
            lang: {
                field: getattr(form, f"{field}_{lang.lower()}").data or "" for field in TRANSLATED
            }
            for lang in ("zh_Hant", "en")
        },
    )


@admin_bp.get("/channels/")
def channel_list():
    return render_view(
        "admin/channel_list",
        title=gettext("Channels"),
        back_url=url_for("admin.dashboard"),
        rows=channels.all_channels(),
    )


def form_page(form: ChannelForm, channel: Channel | None, status: int = 200):
    return render_view(
        "admin/channel_form",
        status=status,
        title=channel.name if channel else gettext("New channel"),
        back_url=url_for("admin.channel_list"),
        form=form,
        channel=channel,
    )


def save(form: ChannelForm, channel: Channel | None):
    if not form.validate_on_submit():
        return form_page(form, channel, status=400 if form.is_submitted() else 200)
    try:
        saved = channels.save_channel(channel_data(form), current_user.username, channel)
    except Refused as error:
        db.session.rollback()
        show_refusal(form, error)
        return form_page(form, channel, status=422)
    db.session.commit()
    flash(gettext("Saved: %(name)s.", name=saved.name))
    return redirect(url_for("admin.channel_list"))


@admin_bp.route("/channels/new", methods=["GET", "POST"])
def channel_new():
    return save(channel_form(), None)


@admin_bp.route("/channels/<int:channel_id>/edit", methods=["GET", "POST"])
def channel_edit(channel_id: int):
    channel = db.session.get(Channel, channel_id) or abort(404)
    return save(channel_form(channel), channel)
