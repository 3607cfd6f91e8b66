"""The admin's start page: what needs the transparency office's attention."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext

from kiosk.admin import admin_bp
from kiosk.htmx import render_view
from services.administration import bases, items
from services.models import ItemStatus


@admin_bp.get("/")
def dashboard():
    return render_view(
        "admin/dashboard",
        title=gettext("Transparency office"),
        back_url=url_for("editor.dashboard"),
        repealed=bases.repealed_citations(),
        proposed=bases.proposed_bases(),
        suspended=[i for i in items.all_items() if i.status == ItemStatus.SUSPENDED],
    )
