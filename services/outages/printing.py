"""An outage's wall notice: one PDF per (outage, its version, language, paper), with a QR
code to the outage's permanent page, laid out by the notices' render processes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from services.notices.qr import qr_svg
from services.notices.render import Printer, RenderedPdf, cached_pdf, check_choice, render_template
from services.outages.models import Outage
from services.outages.presenting import OutageView, outage_view


@dataclass(frozen=True)
class OutageNotice:
    """What the printed outage notice shows, already in its language."""

    view: OutageView
    paper: str
    permalink: str
    qr: Markup
    printed_at: datetime


def outage_permalink(printer: Printer, outage_id: int, lang: str) -> str:
    """Where the notice's QR code points: /outages/<id>?lang=… on the public base URL."""
    return f"{printer.public_base_url.rstrip('/')}/outages/{outage_id}?lang={lang}"


def outage_notice_html(
    printer: Printer, outage: Outage, lang: str, paper: str, now: datetime
) -> str:
    """The notice as the HTML that is laid out into the PDF."""
    check_choice(printer, lang, paper)
    link = outage_permalink(printer, outage.id, lang)
    notice = OutageNotice(
        view=outage_view(outage, lang, now),
        paper=paper,
        permalink=link,
        qr=Markup(qr_svg(link, "M")),
        printed_at=now,
    )
    return render_template(printer, "print/outage.html", lang, notice=notice, paper=paper)


def outage_pdf(
    printer: Printer, outage: Outage, lang: str, paper: str, now: datetime
) -> RenderedPdf:
    """The notice from the shared cache, rendered first if no server has made it yet."""
    return cached_pdf(printer, "outage", outage_notice_html(printer, outage, lang, paper, now))
