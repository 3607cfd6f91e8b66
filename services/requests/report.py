"""The annual report on information requests (政府信息公开工作年度报告, the part on requests):
carried over from the year before, received, answered by outcome and on time, and carried
over to the next year. Only counts: nothing in it can name an applicant."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from services.db import db
from services.models import Utility
from services.requests.models import InfoRequest, Outcome, Requester

COLUMNS = (
    "year",
    "utility",
    "carried_in",
    "received",
    "received_person",
    "received_organisation",
    "answered",
    *(f"outcome_{o.value}" for o in Outcome),
    "answered_on_time",
    "carried_over",
)


@dataclass
class YearReport:
    year: int
    utility: str
    carried_in: int = 0
    received: int = 0
    received_person: int = 0
    received_organisation: int = 0
    answered: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    answered_on_time: int = 0
    carried_over: int = 0

    def row(self) -> dict[str, object]:
        """The report as one flat row, in COLUMNS order."""
        values: dict[str, object] = {
            "year": self.year,
            "utility": self.utility,
            "carried_in": self.carried_in,
            "received": self.received,
            "received_person": self.received_person,
            "received_organisation": self.received_organisation,
            "answered": self.answered,
        }
        values.update({f"outcome_{k}": v for k, v in self.outcomes.items()})
        values["answered_on_time"] = self.answered_on_time
        values["carried_over"] = self.carried_over
        return values


def year_report(utility: Utility, year: int) -> YearReport:
    """The year's counts for one utility."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    report = YearReport(year=year, utility=utility.slug)
    rows = db.session.scalars(
        select(InfoRequest).where(
            InfoRequest.utility_id == utility.id,
            InfoRequest.received_on <= last,
            or_(InfoRequest.closed_on.is_(None), InfoRequest.closed_on >= first),
        )
    )
    for row in rows:
        if row.received_on < first:
            report.carried_in += 1
        else:
            report.received += 1
            if row.requester == Requester.PERSON:
                report.received_person += 1
            else:
                report.received_organisation += 1
        if row.closed_on is not None and row.closed_on <= last:
            report.answered += 1
            report.outcomes[row.outcome.value] += 1
            answered_on = row.replied_on or row.closed_on
            report.answered_on_time += answered_on <= row.due_on
        else:
            report.carried_over += 1
    return report


def years_with_requests(utility: Utility) -> list[int]:
    """The years in which the utility received requests, newest first."""
    days = db.session.scalars(
        select(InfoRequest.received_on).where(InfoRequest.utility_id == utility.id)
    )
    return sorted({day.year for day in days}, reverse=True)
