"""The bill estimator under a tiered fee: usage typed on the number pad, the bill tier by tier."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from flask import abort, request, url_for
from flask_babel import format_decimal, get_locale, gettext

from kiosk.htmx import render_view
from kiosk.public import public_bp
from kiosk.public.presenters import fee_views
from services.catalogue import queries as catalogue
from services.content.localize import localized_content
from services.fees.tariffs import bill_for_usage
from services.models import ItemStatus, Revision

# No household meters this much in a month or a year; beyond it a digit was surely doubled.
MAX_USAGE = Decimal(1_000_000)
NUMBER = re.compile(r"\d{1,12}(\.\d{1,4})?")
FEE_BLOCK_ID = re.compile(r"fee-(\d+)")
# The page showing a revision's fee blocks → where their estimators send the usage.
ESTIMATOR_FOR = {
    "public.item_detail": "public.bill_estimate",
    "public.bill_estimate": "public.bill_estimate",
    "public.revision_permalink": "public.revision_bill_estimate",
    "public.revision_bill_estimate": "public.revision_bill_estimate",
}


@dataclass(frozen=True)
class Estimator:
    url: str
    fee: int


@public_bp.app_template_global()
def bill_estimator(id_prefix: str) -> Estimator | None:
    """Where the estimator under fee block `id_prefix` ("fee-2") sends its usage; None on
    pages that do not show one revision of an item (previews, comparisons, print)."""
    match = FEE_BLOCK_ID.fullmatch(id_prefix)
    endpoint = ESTIMATOR_FOR.get(request.endpoint or "")
    if not match or not endpoint:
        return None
    return Estimator(url_for(endpoint, **(request.view_args or {})), int(match[1]))


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
        bill=None if usage is None else bill_for_usage(fee_view.fee["pricing"], usage),
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
