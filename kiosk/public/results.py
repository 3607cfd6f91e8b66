"""Published results (办事结果公开): city-wide at /results and per utility at
/u/<utility>/results, a month at a time (?month=YYYY-MM), with charts and the same figures
as tables."""

from __future__ import annotations

from datetime import date

from flask import abort, request, url_for
from flask_babel import format_date, gettext

from kiosk.htmx import render_view
from kiosk.public import public_bp
from services import clock
from services.catalogue import queries as catalogue
from services.models import Utility
from services.ratings import results as ratings_results


def chosen_month() -> date:
    """?month=YYYY-MM, if a month that has begun; this month otherwise."""
    raw = request.args.get("month", "")
    try:
        month = date.fromisoformat(f"{raw}-01")
    except ValueError:
        return ratings_results.month_of(clock.today())
    return min(month, ratings_results.month_of(clock.today()))


def month_label(month: date) -> str:
    return format_date(month, "yyyy-MM")


def _page(utility: Utility | None):
    month = chosen_month()
    found = ratings_results.results(utility, month)
    labels = [(month_label(m), figures) for m, figures in found.months]
    back = url_for("public.utility_detail", utility_slug=utility.slug) if utility else None
    return render_view(
        "public/results",
        title=gettext("Service results"),
        back_url=back or url_for("public.home"),
        utility=utility,
        results=found,
        month=month,
        month_label=month_label(month),
        earlier=[m for m, _figures in found.months if m != month][::-1],
        month_label_of=month_label,
        satisfaction_bars=ratings_results.percent_bars(
            [(label, f.satisfaction_rate) for label, f in labels]
        ),
        on_time_bars=ratings_results.percent_bars([(label, f.on_time_rate) for label, f in labels]),
        chart_height=ratings_results.CHART_HEIGHT,
        chart_width=ratings_results.CHART_WIDTH,
    )


@public_bp.get("/results")
def results():
    return _page(None)


@public_bp.get("/u/<utility_slug>/results")
def utility_results(utility_slug: str):
    utility = catalogue.utility_by_slug(utility_slug) or abort(404)
    return _page(utility)
