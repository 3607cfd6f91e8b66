"""Routes of information requests for residents: /u/<utility>/requests (the guide),
/requests/new, /requests/<number> (+ receipt and its PDF) and /requests (find by number)."""

from __future__ import annotations

from flask import abort, current_app, redirect, request, url_for
from flask_babel import get_locale, gettext
from wtforms.fields.choices import SelectChoice

from kiosk.caching import cached_page
from kiosk.extensions import limiter
from kiosk.filters import translated
from kiosk.htmx import render_view
from kiosk.notices.printer import notice_printer
from kiosk.notices.views import send_pdf
from kiosk.public.ratings import rating_key, request_source
from kiosk.requests import requests_bp
from kiosk.requests.downloads import send_reply_file
from kiosk.requests.forms import RequestForm
from services import clock
from services.catalogue import queries as catalogue
from services.db import db
from services.requests import deadlines, files, handling, report
from services.requests.models import InfoRequest, ReplyForm, Requester
from services.requests.printing import receipt_pdf


def request_problem(code: str) -> str:
    """What the resident reads for a RequestError's code."""
    return {
        "missing": gettext("Fill in your name, a contact and what you ask for."),
        "too_long": gettext("One of the answers is too long; please shorten it."),
        "control": gettext("The text holds characters that cannot be stored; please retype it."),
        "too_many": gettext("Too many requests from here in the last hour; try again later."),
    }.get(code, code)


def request_limit() -> str:
    return current_app.config["REQUEST_RATE_LIMIT"]


def _private(response):
    # Each request's pages are its applicant's own: never kept by a cache.
    response.cache_control.no_store = True
    return response


def _found(number: str) -> InfoRequest:
    return handling.find(number) or abort(404)


@requests_bp.get("/u/<utility_slug>/requests")
@cached_page
def request_guide(utility_slug: str):
    utility = catalogue.utility_by_slug(utility_slug) or abort(404)
    days, extension = deadlines.limits(utility)
    return render_view(
        "requests/guide",
        title=gettext("Asking for information"),
        back_url=url_for("public.utility_detail", utility_slug=utility.slug),
        utility=utility,
        days=days,
        extension=extension,
        basis=deadlines.BASIS,
        reply_forms=list(ReplyForm),
    )


def form_page(form: RequestForm, status: int = 200, problem: str | None = None):
    return _private(
        render_view(
            "requests/new",
            status=status,
            title=gettext("Ask for information"),
            back_url=url_for("public.home"),
            form=form,
            problem=problem,
        )
    )


def _form() -> RequestForm:
    form = RequestForm()
    form.utility.choices = [
        SelectChoice(u.slug, translated(u, "name")) for u in catalogue.list_utilities()
    ]
    if request.method == "GET" and request.args.get("utility"):
        form.utility.data = request.args["utility"]
    return form


@requests_bp.get("/requests/new")
def request_new():
    return form_page(_form())


@requests_bp.post("/requests/new")
@limiter.limit(request_limit, key_func=rating_key)
def request_send():
    form = _form()
    if not form.validate_on_submit():
        return form_page(form, status=400)
    utility = catalogue.utility_by_slug(form.utility.data) or abort(400)
    source = request_source()
    try:
        filed = handling.file_request(
            utility,
            Requester(form.requester.data),
            form.name.data,
            form.contact.data,
            form.description.data,
            ReplyForm(form.reply_form.data),
            source,
            clock.now(),
            current_app.config["REQUESTS_PER_HOUR"],
        )
    except handling.RequestError as error:
        db.session.rollback()
        status = 429 if error.code == "too_many" else 422
        return form_page(form, status=status, problem=request_problem(error.code))
    db.session.commit()
    return redirect(url_for("requests.request_receipt", number=handling.grouped(filed.tracking)))


@requests_bp.get("/requests")
def request_find():
    number = request.args.get("number", "").strip()
    found = handling.find(number) if number else None
    if found is not None:
        return redirect(url_for("requests.request_lookup", number=handling.grouped(found.tracking)))
    return _private(
        render_view(
            "requests/find",
            status=404 if number else 200,
            title=gettext("Find your request"),
            back_url=url_for("public.home"),
            number=number[:40],
        )
    )


@requests_bp.get("/requests/<number>/receipt")
def request_receipt(number: str):
    filed = _found(number)
    return _private(
        render_view(
            "requests/receipt",
            title=gettext("Your request was received"),
            back_url=url_for("public.home"),
            filed=filed,
            number=handling.grouped(filed.tracking),
        )
    )


@requests_bp.get("/requests/<number>/receipt.pdf")
def request_receipt_pdf(number: str):
    filed = _found(number)
    lang = request.args.get("lang") or str(get_locale())
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    rendered = receipt_pdf(notice_printer(), filed, lang, clock.now())
    return _private(send_pdf(rendered, f"request-{handling.grouped(filed.tracking)}.pdf"))


@requests_bp.get("/requests/<number>")
def request_lookup(number: str):
    filed = _found(number)
    number = handling.grouped(filed.tracking)
    return _private(
        render_view(
            "requests/lookup",
            title=gettext(
                "Information request %(number)s", number=handling.grouped(filed.tracking)
            ),
            back_url=url_for("public.home"),
            filed=filed,
            number=handling.grouped(filed.tracking),
            days_left=deadlines.working_days_left(clock.today(), filed.due_on),
        )
    )


@requests_bp.get("/requests/<number>/files/<int:file_id>")
def request_file(number: str, file_id: int):
    sent = files.file_of(_found(number), file_id) or abort(404)
    return send_reply_file(sent)


@requests_bp.get("/u/<utility_slug>/requests/report")
@cached_page(reads=("year",))
def request_report(utility_slug: str):
    utility = catalogue.utility_by_slug(utility_slug) or abort(404)
    raw = request.args.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None
    if raw and year is None:
        abort(404)
    year = year or clock.today().year
    years = sorted(set(report.years_with_requests(utility)) | {clock.today().year}, reverse=True)
    return render_view(
        "requests/report",
        title=gettext("Annual report on information requests"),
        back_url=url_for("requests.request_guide", utility_slug=utility.slug),
        utility=utility,
        year=year,
        years=years,
        found=report.year_report(utility, year),
    )
