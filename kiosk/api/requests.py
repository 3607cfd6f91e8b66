"""The annual report on information requests as open data: /api/v1/requests/report and its
CSV and XLSX exports. Counts only; nothing that could name an applicant."""

from __future__ import annotations

from typing import Any

from kiosk.api import api_bp, formats
from kiosk.api.params import integer, single
from kiosk.api.views import utility_filter
from kiosk.caching import cached_page
from services import clock
from services.catalogue import queries as catalogue
from services.requests import report

FIRST_YEAR, LAST_YEAR = 2000, 2100


def report_asked() -> tuple[int, list[report.YearReport]]:
    """The year asked for (?year=, default this year) and the report of ?utility= or of all."""
    year = integer("year", clock.today().year, FIRST_YEAR, LAST_YEAR)
    owner = utility_filter()
    utilities = [owner] if owner is not None else catalogue.list_utilities()
    return year, [report.year_report(utility, year) for utility in utilities]


def report_rows(reports: list[report.YearReport]) -> list[list[Any]]:
    """The reports as rows in report.COLUMNS order."""
    return [[r.row()[name] for name in report.COLUMNS] for r in reports]


@api_bp.get("/v1/requests/report")
@cached_page(reads=("year", "utility"))
def requests_report_json():
    year, reports = report_asked()
    return {"data": {"year": year, "utilities": [r.row() for r in reports]}}


@api_bp.get("/v1/exports/requests-report.<any(csv, xlsx):extension>")
@cached_page(reads=("year", "utility"))
def requests_report_export(extension: str):
    year, reports = report_asked()
    stem = f"gongshi-requests-report-{year}"
    slug = single("utility")
    if slug:
        stem += f"-{reports[0].utility}"
    columns = list(report.COLUMNS)
    rows = report_rows(reports)
    if extension == "xlsx":
        body = formats.xlsx_bytes([("requests", columns, rows)])
        return formats.download(body, f"{stem}.xlsx", formats.XLSX)
    return formats.download(formats.csv_bytes(columns, rows), f"{stem}.csv", formats.CSV)
