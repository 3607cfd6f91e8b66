"""Routes of the resident-facing kiosk."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask_babel import gettext

from kiosk.caching import cached_page
from kiosk.htmx import render_view
from kiosk.public import public_bp
from kiosk.public.presenters import revision_view
from services.catalogue import queries as catalogue
from services.models import ItemStatus


@public_bp.get("/")
@cached_page
def home():
    return render_view(
        "public/home",
        title=gettext("Public services"),
        back_url=None,
        utilities=catalogue.list_utilities(),
    )


@public_bp.get("/u/<utility_slug>")
@cached_page
def utility_detail(utility_slug: str):
    utility = catalogue.utility_by_slug(utility_slug) or abort(404)
    services, tariffs = catalogue.items_listed(utility)
    return render_view(
        "public/utility_detail",
        title=utility.name,
        back_url=url_for("public.home"),
        utility=utility,
        services=services,
        tariffs=tariffs,
    )


@public_bp.get("/u/<utility_slug>/<item_slug>")
@cached_page
def item_detail(utility_slug: str, item_slug: str):
    found = catalogue.item_in_force(utility_slug, item_slug) or abort(404)
    item, revision, upcoming = found
    if item.status == ItemStatus.RETIRED:
        abort(404)
    view = revision_view(revision, upcoming=upcoming)
    return render_view(
        "public/item_detail",
        title=view.content["name"],
        back_url=url_for("public.utility_detail", utility_slug=utility_slug),
        view=view,
    )


@public_bp.get("/r/<int:revision_id>")
@cached_page
def revision_permalink(revision_id: int):
    revision = catalogue.public_revision(revision_id) or abort(404)
    view = revision_view(revision, successor=catalogue.successor_of(revision))
    return render_view(
        "public/item_detail",
        title=view.content["name"],
        back_url=url_for("public.utility_detail", utility_slug=revision.item.utility.slug),
        view=view,
    )


@public_bp.get("/basis/<code>")
@cached_page
def basis_detail(code: str):
    basis = catalogue.basis_by_code(code) or abort(404)
    return render_view("public/basis_detail", title=basis.title, back_url=None, basis=basis)


@public_bp.get("/healthz")
def healthz():
    from services.health import health_report

    report = health_report()
    return report, (200 if report["ok"] else 503)


@public_bp.get("/u/")
def utilities_index():
    return redirect(url_for("public.home"))
