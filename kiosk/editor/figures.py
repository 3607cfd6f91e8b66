"""Monthly handling figures in the editor: a form per month of a utility's services, and a
spreadsheet of many items and months at once. They appear beside the ratings on the
published results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask import current_app, flash, make_response, redirect, request, url_for
from flask_babel import format_date, gettext, ngettext
from flask_login import current_user

from kiosk.editor import editor_bp
from kiosk.editor.access import EDIT, VIEW, authorize, chosen_utility, may, own_utility
from kiosk.forms import ActionForm
from kiosk.htmx import render_view
from services import clock
from services.catalogue import queries as catalogue
from services.db import db
from services.models import ItemKind, Role, Utility
from services.ratings import figures as handling
from services.ratings import figures_sheet
from services.ratings.results import month_of
from services.spreadsheets.files import XLSX_MIMETYPE
from services.spreadsheets.isolation import parse_limits

PROBLEMS = {
    "month": lambda: gettext("The month must be one that has begun, written like 2026-11."),
    "count": lambda: gettext("Counts are whole numbers from 0."),
    "on_time": lambda: gettext("More were completed on time than were completed."),
    "days": lambda: gettext("Average working days must be a number from 0 to 999.9."),
    "number": lambda: gettext("Counts are whole numbers from 0."),
    "item": lambda: gettext("No service of yours has this item code."),
    "duplicate": lambda: gettext("The same item and month appear twice."),
    "header": lambda: gettext(
        "The sheet needs the columns item code, month, received, completed and completed "
        "on time (download the template)."
    ),
    "empty": lambda: gettext("The sheet has no rows of figures."),
}


def problem_text(code: str) -> str:
    return PROBLEMS.get(code, lambda: gettext("The file could not be read as XLSX or CSV."))()


def chosen_month() -> date:
    raw = request.values.get("month", "")
    try:
        return min(month_of(date.fromisoformat(f"{raw}-01")), month_of(clock.today()))
    except ValueError:
        return month_of(clock.today())


def _services(utility: Utility):
    items = [item for item in utility.items if item.kind == ItemKind.SERVICE]
    revisions = catalogue.current_revisions(items)
    return [(item, revisions[item.id].content["name"]) for item in items if item.id in revisions]


def figures_page(status: int = 200, problems: dict[int, str] | None = None, typed=None, **context):
    utility = chosen_utility()
    if utility is not None:
        authorize(VIEW, utility.id)
    month = chosen_month()
    rows = []
    for item, name in _services(utility) if utility else []:
        saved = handling.figures_of(item, month)
        rows.append((item, name, saved))
    return render_view(
        "editor/figures",
        status=status,
        title=gettext("Handling figures"),
        back_url=url_for("editor.dashboard"),
        utility=utility,
        utilities=catalogue.list_utilities() if current_user.role != Role.EDITOR else [],
        month=month,
        month_text=format_date(month, "yyyy-MM"),
        rows=rows,
        typed=typed or {},
        problems=problems or {},
        can_edit=bool(utility) and may(EDIT, utility.id),
        can_import=may(EDIT, own_utility().id if own_utility() else None),
        form=ActionForm(),
        **context,
    )


@editor_bp.get("/figures")
def figures():
    return figures_page()


def _read_row(item_id: int, month: date) -> handling.MonthFigures | None:
    """The figures typed for one item, None when its row was left blank; ValueError if not
    numbers."""
    fields = [request.form.get(f"{name}-{item_id}", "").strip() for name in handling.FIELDS]
    if not any(fields):
        return None
    received, completed, on_time, days = fields
    try:
        average = Decimal(days).quantize(Decimal("0.1")) if days else None
    except InvalidOperation as error:
        raise ValueError(days) from error
    return handling.MonthFigures(month, int(received), int(completed), int(on_time), average)


@editor_bp.post("/figures")
def figures_save():
    utility = chosen_utility() or own_utility()
    authorize(EDIT, utility.id if utility else None)
    if utility is None or not ActionForm().validate_on_submit():
        return figures_page(status=400)
    month = chosen_month()
    planned, problems = [], {}
    for item, _name in _services(utility):
        try:
            row = _read_row(item.id, month)
            if row is not None:
                handling.check_figures(row)
                planned.append((item, row))
        except handling.FiguresError as error:
            problems[item.id] = problem_text(error.code)
        except ValueError:
            problems[item.id] = problem_text("number")
    if problems:  # nothing is saved while any row is wrong
        return figures_page(status=422, problems=problems, typed=request.form)
    for item, row in planned:
        handling.save_figures(item, row, current_user.username)
    db.session.commit()
    flash(
        ngettext(
            "Figures saved for %(num)d service.",
            "Figures saved for %(num)d services.",
            len(planned),
        )
    )
    scope = {"utility": utility.slug} if current_user.role != Role.EDITOR else {}
    return redirect(url_for("editor.figures", month=format_date(month, "yyyy-MM"), **scope))


@editor_bp.get("/figures/template.xlsx")
def figures_template():
    response = make_response(figures_sheet.figures_template())
    response.mimetype = XLSX_MIMETYPE
    response.headers["Content-Disposition"] = "attachment; filename=handling-figures.xlsx"
    return response


@editor_bp.post("/figures/import")
def figures_import():
    """Load a sheet of figures: all its rows, or none if any is wrong."""
    utility = own_utility()
    authorize(EDIT, utility.id if utility else None)
    upload = request.files.get("sheet")
    if upload is None or not upload.filename:
        return figures_page(status=400, upload_problem=gettext("Choose a file to import."))
    limits = parse_limits(current_app.config)
    plan = figures_sheet.plan_figures(upload.read(), utility, limits)
    if plan.problems:
        listed = [(p.row, p.value, problem_text(p.code)) for p in plan.problems]
        return figures_page(status=422, sheet_problems=listed, file_name=upload.filename)
    count = figures_sheet.apply_figures(plan, current_user)
    db.session.commit()
    flash(ngettext("%(num)d row of figures loaded.", "%(num)d rows of figures loaded.", count))
    return redirect(url_for("editor.figures"))
