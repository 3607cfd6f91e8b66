"""The receipt of an information request: a small PDF with the tracking number, the due
date and a QR code to the lookup page; nothing personal is on it."""

from __future__ import annotations

from datetime import datetime

from markupsafe import Markup

from services.notices.qr import qr_svg
from services.notices.render import Printer, RenderedPdf, cached_pdf, check_choice, render_template
from services.requests.handling import grouped
from services.requests.models import InfoRequest


def lookup_link(printer: Printer, request: InfoRequest, lang: str) -> str:
    """Where the receipt's QR code points: /requests/<number>?lang=… on the public address."""
    base = printer.public_base_url.rstrip("/")
    return f"{base}/requests/{grouped(request.tracking)}?lang={lang}"


def receipt_html(printer: Printer, request: InfoRequest, lang: str, now: datetime) -> str:
    """The receipt as the HTML laid out into the PDF."""
    check_choice(printer, lang, "A4")
    link = lookup_link(printer, request, lang)
    return render_template(
        printer,
        "print/request_receipt.html",
        lang,
        paper="receipt",
        request=request,
        number=grouped(request.tracking),
        link=link,
        qr=Markup(qr_svg(link, "M")),
        printed_at=now,
    )


def receipt_pdf(printer: Printer, request: InfoRequest, lang: str, now: datetime) -> RenderedPdf:
    """The receipt from the shared cache, rendered first if no server has made it yet."""
    return cached_pdf(printer, "request", receipt_html(printer, request, lang, now))
