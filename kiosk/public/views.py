"""Routes of the resident-facing kiosk: home, utilities, items, search, the bill estimator, the
holiday calendar, the history of changes, and the display switches."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_locale, gettext

from kiosk import caching
from kiosk.caching import cached_page
from kiosk.display import CONTRAST_COOKIE, CONTRASTS, TEXT_SIZE_COOKIE, TEXT_SIZES
from kiosk.filters import category_label
from kiosk.glossary import holiday_name_en
from kiosk.htmx import is_htmx, render_view
from kiosk.public import public_bp
from kiosk.public.ratings import rating_invite
from kiosk.redirects import safe_next
from services import clock
from services.calendar import working_days as calendar
from services.catalogue import queries as catalogue
from services.catalogue.presenting import revision_view
from services.clock import today, utcnow
from services.content.localize import FallbackText, localized_content, to_traditional
from services.db import db
from services.fees.tariffs import Household, bill_for_usage, fee_views
from services.hearings import queries as hearing_queries
from services.models import ItemStatus, Revision, Utility
from services.outages import live
from services.outages.presenting import OutageView, outage_views
from services.publishing import history
from services.ratings import cases as rectification_cases
from services.search.index import search_catalogue
from services.search.matching import load_search_index

# No household meters this much in a month or a year; beyond it a digit was surely doubled.
MAX_USAGE = Decimal(1_000_000)
# The household sizes the bill estimator offers where a tariff widens tiers for larger ones.
HOUSEHOLD_SIZES = range(1, 13)
NUMBER = re.compile(r"\d{1,12}(\.\d{1,4})?")
# How far back /changes looks when no ?since= is given, and how much the feed carries.
DEFAULT_SPAN = timedelta(days=90)
FEED_SPAN = timedelta(days=365)
# Dates a history can sensibly start from; outside them a date is a mistake in the address.
EARLIEST_SINCE, LATEST_SINCE = date(1900, 1, 1), date(2999, 12, 31)
FEED_ENTRIES = 50
# Display settings are kept for a year.
ONE_YEAR = 365 * 86400
# Above this many services a utility's page lists its categories instead: a screen of
# hundreds of links is of no use to a resident, and rendering them all is slow.
MANY_SERVICES = 40


def live_outages() -> list[live.LiveOutage]:
    """Outages not over since the day began, read once per catalogue change and day."""
    since = datetime.combine(clock.today(), time.min, tzinfo=clock.city_zone())
    return caching.remembered("live outages", lambda: live.live_outages(since))


def outages_shown(utility: Utility | None = None) -> list[OutageView]:
    """Ongoing and coming outages for the top of a page; the page's cached copy is not
    served past the moment one of them starts, ends or comes into the window."""
    now, known = clock.now(), live_outages()
    days = current_app.config["OUTAGE_COMING_DAYS"]
    caching.changes_at(live.next_transition_of(known, now, days))
    found = live.current_of(known, now, utility.id if utility else None, days)
    return outage_views(found, str(get_locale()), now)


@public_bp.get("/")
@cached_page
def home():
    return render_view(
        "public/home",
        title=gettext("Public services"),
        back_url=None,
        utilities=catalogue.list_utilities(),
        outages=outages_shown(),
    )


@public_bp.get("/u/<utility_slug>")
@cached_page(reads=("category",))
def utility_detail(utility_slug: str):
    utility = catalogue.utility_by_slug(utility_slug) or abort(404)
    category = request.args.get("category")
    if category is not None:
        return utility_category(utility, category)
    categories = catalogue.services_per_category(utility)
    overview = sum(number for _, number in categories) > MANY_SERVICES
    services, tariffs = catalogue.items_listed(utility, services=not overview)
    return render_view(
        "public/utility_detail",
        title=utility.name,
        back_url=url_for("public.home"),
        utility=utility,
        services=services,
        tariffs=tariffs,
        categories=categories if overview else [],
        outages=outages_shown(utility),
    )


def utility_category(utility: Utility, category: str):
    """A utility's services in one category: the page its category overview links to."""
    services, _ = catalogue.items_listed(utility, category=category)
    if not services:
        abort(404)
    return render_view(
        "public/utility_detail",
        title=category_label(category, utility),
        back_url=url_for("public.utility_detail", utility_slug=utility.slug),
        utility=utility,
        services=services,
        tariffs=[],
        categories=[],
        outages=[],
    )


def hearings_behind(revision: Revision) -> list[tuple[int, str]]:
    """The concluded hearings on this revision's tariff whose window closed before it took
    effect: the revision links back to them. Read once per catalogue change and day."""
    concluded = caching.remembered("concluded hearings", hearing_queries.concluded_by_item)
    starts = revision.effective_from
    return [
        (hearing_id, title)
        for hearing_id, title, closed in concluded.get(revision.item_id, [])
        if starts is not None and closed.date() <= starts
    ]


@public_bp.get("/u/<utility_slug>/<item_slug>")
@cached_page
def item_detail(utility_slug: str, item_slug: str):
    found = catalogue.item_in_force(utility_slug, item_slug) or abort(404)
    # A suspended or retired item still answers: its page says so (printed QR codes).
    item, revision, upcoming = found
    view = revision_view(
        revision,
        str(get_locale()),
        upcoming=upcoming,
        reference=caching.reference(),
        due_dates=caching.due_dates,
    )
    return render_view(
        "public/item_detail",
        title=view.content["name"],
        back_url=url_for("public.utility_detail", utility_slug=utility_slug),
        view=view,
        hearings=hearings_behind(revision),
        rating=rating_invite(item),
    )


@public_bp.get("/r/<int:revision_id>")
@cached_page
def revision_permalink(revision_id: int):
    revision = catalogue.public_revision(revision_id) or abort(404)
    view = revision_view(
        revision,
        str(get_locale()),
        successor=catalogue.successor_of(revision),
        reference=caching.reference(),
        due_dates=caching.due_dates,
    )
    return render_view(
        "public/item_detail",
        title=view.content["name"],
        back_url=url_for("public.utility_detail", utility_slug=revision.item.utility.slug),
        view=view,
        hearings=hearings_behind(revision),
        rating=rating_invite(revision.item),
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


@public_bp.get("/search")
# Kiosks repeat the same few searches; each costs a scan of the index.
@cached_page(reads=("q",))
def search():
    query = request.args.get("q", "")
    index = caching.remembered("search index", load_search_index)
    results = search_catalogue(query, str(get_locale()), index=index)
    if results.refreshed:
        db.session.commit()  # entries whose scheduled revision took effect were rebuilt
    now, known = clock.now(), live_outages()
    caching.changes_at(live.next_transition_of(known, now, 0))
    outages = live.matching_street_of(known, query, now)
    nothing_found = bool(results.query) and not results.total and not outages
    return render_view(
        "public/search",
        title=gettext("Search"),
        back_url=url_for("public.home"),
        query=query.strip(),
        results=results,
        outages=outage_views(outages, str(get_locale()), now),
        # With nothing found, the way on is to browse by provider or to call 12345.
        utilities=catalogue.list_utilities() if nothing_found else [],
    )


def read_usage(raw: str | None) -> tuple[Decimal | None, str | None]:
    """The usage typed, or a message saying what is wrong with it (None, None: nothing sent)."""
    if raw is None:
        return None, None
    text = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
    if not text:
        return None, gettext("Enter your usage.")
    if text.startswith("-") and NUMBER.fullmatch(text[1:]):
        return None, gettext("Usage cannot be negative.")
    if not NUMBER.fullmatch(text):
        return None, gettext("Enter a number, such as 200 or 35.5.")
    usage = Decimal(text)
    if usage > MAX_USAGE:
        return None, gettext(
            "That is more than any household uses; enter at most %(max)s.",
            max=format_decimal(MAX_USAGE),
        )
    return usage, None


def _estimate(revision: Revision, back_url: str):
    content = localized_content(revision.content, str(get_locale()))[0]
    fees = fee_views(content)
    number = request.args.get("fee", type=int)
    if number is None or not 1 <= number <= len(fees):
        abort(404)
    fee_view = fees[number - 1]
    if fee_view.fee["pricing"]["type"] != "tiers":
        abort(404)
    raw = request.args.get("usage")
    usage, error = read_usage(raw)
    persons = request.args.get("persons", type=int)
    household = Household(
        persons=persons if persons in HOUSEHOLD_SIZES else None,
        is_low_income=request.args.get("low_income") == "y",
    )
    pricing = fee_view.fee["pricing"]
    # A wrong usage is answered with 200 and a message by the field: htmx swaps only 2xx.
    return render_view(
        "public/bill",
        title=gettext("Estimate your bill: %(fee)s", fee=fee_view.fee["name"]),
        back_url=back_url,
        item_name=content["name"],
        fee_view=fee_view,
        id_prefix=f"fee-{number}",
        usage_text=(raw or "").strip(),
        usage_error=error,
        household=household,
        household_sizes=HOUSEHOLD_SIZES,
        bill=None if usage is None else bill_for_usage(pricing, usage, household),
    )


@public_bp.get("/u/<utility_slug>/<item_slug>/bill")
def bill_estimate(utility_slug: str, item_slug: str):
    item = catalogue.find_item(utility_slug, item_slug) or abort(404)
    revision = catalogue.current_revision(item)
    if revision is None or item.status == ItemStatus.RETIRED:
        abort(404)
    back = url_for("public.item_detail", utility_slug=utility_slug, item_slug=item_slug)
    return _estimate(revision, back)


@public_bp.get("/r/<int:revision_id>/bill")
def revision_bill_estimate(revision_id: int):
    revision = catalogue.public_revision(revision_id) or abort(404)
    return _estimate(revision, url_for("public.revision_permalink", revision_id=revision_id))


@public_bp.get("/calendar")
def holiday_calendar():
    known_until = calendar.known_until()
    # From this year on; if this year is not published yet, the last published year too.
    first_year = min(clock.today().year, known_until.year if known_until else clock.today().year)
    days = calendar.days_from(date(first_year, 1, 1))
    return render_view(
        "public/calendar",
        title=gettext("Holiday calendar"),
        back_url=url_for("public.home"),
        days=[(day, day_name(day.name)) for day in days],
        known_until=known_until,
    )


def day_name(name: str) -> str:
    """A calendar day's name in the reader's language: Traditional on zh_Hant pages, the
    official names' English on English pages, and a name set locally as written (marked
    as Chinese, as untranslated content is)."""
    locale = str(get_locale())
    if locale == "zh_Hant":
        return to_traditional(name)
    if locale == "en":
        return holiday_name_en(name) or FallbackText(name)
    return name


@public_bp.get("/u/<utility_slug>/<item_slug>/history")
def item_history(utility_slug: str, item_slug: str):
    item = catalogue.find_item(utility_slug, item_slug) or abort(404)
    changes = history.item_history(item)
    if not changes:
        abort(404)
    return render_view(
        "public/history",
        title=gettext("History of changes"),
        back_url=url_for("public.utility_detail", utility_slug=utility_slug),
        utility=item.utility,
        changes=changes,
    )


def _since() -> date:
    try:
        since = date.fromisoformat(request.args.get("since", ""))
    except ValueError:
        return today() - DEFAULT_SPAN
    if not EARLIEST_SINCE <= since <= LATEST_SINCE:
        abort(
            400,
            description=gettext(
                "Changes can be listed from a date between %(first)s and %(last)s.",
                first=EARLIEST_SINCE.isoformat(),
                last=LATEST_SINCE.isoformat(),
            ),
        )
    return since


@public_bp.get("/changes")
def changes():
    since = _since()
    return render_view(
        "public/changes",
        title=gettext("Changes"),
        back_url=url_for("public.home"),
        since=since,
        changes=history.changes_since(since),
        rectifications=rectification_cases.published_since(history.utc_start_of(since)),
        catalogue_changes=history.catalogue_changes_since(since),
    )


@public_bp.get("/changes.atom")
def changes_feed():
    since = today() - FEED_SPAN
    entries = history.changes_since(since, limit=FEED_ENTRIES)
    rectified = rectification_cases.published_since(history.utc_start_of(since), limit=FEED_ENTRIES)
    others = history.catalogue_changes_since(since, limit=FEED_ENTRIES)
    moments = (
        [e.revision.published_at for e in entries[:1]]
        + [c.occurred_at for c in others[:1]]
        + [r.closed_at for r in rectified[:1]]
    )
    newest = max(moments) if moments else utcnow()
    body = render_template(
        "public/changes.atom.xml",
        changes=entries,
        rectifications=rectified,
        catalogue_changes=others,
        updated=newest.isoformat() + "Z",
    )
    response = make_response(body)
    response.mimetype = "application/atom+xml"
    return response


@public_bp.get("/display")
def display_settings():
    """Remember ?text_size= and ?contrast= in cookies, then go back to the page at ?next=."""
    target = safe_next(request.args.get("next"), url_for("public.home"))
    if is_htmx():
        # A link that htmx followed would swap the page into #main and leave <html> as it
        # was; a full load of the page draws it with the new classes.
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
    else:
        response = redirect(target, 303)
    for cookie, choices in ((TEXT_SIZE_COOKIE, TEXT_SIZES), (CONTRAST_COOKIE, CONTRASTS)):
        value = request.args.get(cookie)
        if value in choices:
            response.set_cookie(cookie, value, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    response.headers["Cache-Control"] = "no-store"
    return response
