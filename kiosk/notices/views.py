"""Routes that serve printed notices as PDF, from the shared cache, with ETags."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user

from kiosk.htmx import render_view
from kiosk.i18n import select_locale
from kiosk.notices import notices_bp
from kiosk.notices.printer import notice_printer
from services import clock
from services.catalogue import queries as catalogue
from services.db import db
from services.notices import batches
from services.notices import render as notices
from services.outages.models import Outage
from services.outages.printing import outage_pdf


class BadChoice(Exception):
    """A language or paper size that notices are not printed in; the message says so."""


def print_choice() -> tuple[str, str]:
    """The language and paper size asked for: ?lang (default: the reader's) and ?paper (A4)."""
    lang = request.args.get("lang") or select_locale()
    paper = request.args.get("paper", "A4").upper()
    if lang not in current_app.config["LANGUAGES"]:
        raise BadChoice(
            gettext(
                "There is no printed notice in “%(lang)s”: choose zh_Hans, zh_Hant or en.",
                lang=lang[:40],
            )
        )
    if paper not in notices.PAPERS:
        raise BadChoice(
            gettext(
                "There is no printed notice on “%(paper)s” paper: choose A4 or A3.",
                paper=paper[:40],
            )
        )
    return lang, paper


@notices_bp.errorhandler(BadChoice)
def bad_choice(error: BadChoice):
    return render_view(
        "notices/bad_choice",
        status=400,
        title=gettext("This notice cannot be printed that way"),
        back_url=url_for("public.home"),
        message=str(error),
    )


def send_pdf(rendered: notices.RenderedPdf, download_name: str):
    """The cached PDF, or 304 Not Modified when the client already holds this very file."""
    response = send_file(
        rendered.path,
        mimetype="application/pdf",
        download_name=download_name,
        etag=rendered.etag,
        conditional=True,
        max_age=0,
    )
    # A kiosk or a hall PC revalidates each time; the ETag makes that a 304.
    response.cache_control.no_cache = True
    return response


@notices_bp.get("/print/<int:revision_id>.pdf")
def notice_print(revision_id: int):
    lang, paper = print_choice()
    revision = catalogue.public_revision(revision_id) or abort(404)
    item = revision.item
    name = f"{item.utility.slug}-{item.slug}-v{revision.number}-{lang}-{paper}.pdf"
    return send_pdf(notices.notice_pdf(notice_printer(), revision, lang, paper), name)


@notices_bp.get("/print/hall/<hall_slug>.pdf")
def hall_print(hall_slug: str):
    """A hall's whole set, once staff have had it printed today; never built here."""
    lang, paper = print_choice()
    hall = notices.hall_by_slug(hall_slug) or abort(404)
    rendered = batches.built_hall_pdf(db.session, notice_printer(), hall, lang, paper)
    if rendered is not None:
        return send_pdf(rendered, f"{hall.slug}-{lang}-{paper}.pdf")
    if current_user.is_authenticated:
        return redirect(url_for("editor.print_batches", hall=hall.slug))
    response = render_view(
        "notices/not_printed",
        status=404,
        title=gettext("Not printed yet"),
        back_url=url_for("public.home"),
        hall=hall,
    )
    response.cache_control.no_store = True
    return response


@notices_bp.get("/print/outages/<int:outage_id>.pdf")
def outage_print(outage_id: int):
    lang, paper = print_choice()
    outage = db.session.get(Outage, outage_id) or abort(404)
    rendered = outage_pdf(notice_printer(), outage, lang, paper, clock.now())
    return send_pdf(rendered, f"outage-{outage.id}-{lang}-{paper}.pdf")
