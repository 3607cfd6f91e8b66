"""Fee tables as spreadsheets in the editor: templates, exports, and imports into drafts."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from kiosk.editor import EDIT, VIEW, authorize, chosen_utility, editor_bp, may, own_utility
from kiosk.field_labels import problem_text
from kiosk.htmx import render_view
from services.db import db
from services.fees.exporting import FORMATS, export_fee_sheet, fee_template
from services.fees.importing import apply_fee_import, plan_fee_import
from services.fees.sheet import ERROR_MESSAGES, SheetError
from services.publishing.revisions import WorkflowError


def sheet_error_text(error: SheetError) -> str:
    """One import problem in the reader's language."""
    return gettext(ERROR_MESSAGES[error.code], **error.params)


def download(data: bytes, fmt: str, name: str):
    response = make_response(data)
    response.mimetype = FORMATS[fmt].split(";")[0]
    if fmt == "csv":
        response.charset = "utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename={name}.{fmt}"
    return response


def fees_page(status: int = 200, **context):
    utility = chosen_utility()
    return render_view(
        "editor/fee_sheets",
        status=status,
        title=gettext("Fee spreadsheets"),
        back_url=url_for("editor.dashboard"),
        utility=utility,
        can_import=may(EDIT, utility.id if utility else None),
        formats=list(FORMATS),
        sheet_error_text=sheet_error_text,
        **context,
    )


@editor_bp.get("/fees")
def fee_sheets():
    return fees_page()


@editor_bp.get("/fees/template.<fmt>")
def fee_sheet_template(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    return download(fee_template(fmt), fmt, "fee-template")


@editor_bp.get("/fees/export.<fmt>")
def fee_sheet_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    utility = chosen_utility()
    authorize(VIEW, utility.id if utility else None)
    name = f"fees-{utility.slug}" if utility else "fees"
    return download(export_fee_sheet(fmt, utility), fmt, name)


@editor_bp.post("/fees/import")
def fee_sheet_import():
    """Check an uploaded sheet; if it is clean and not a trial, put its fees into drafts."""
    utility = own_utility()
    authorize(EDIT, utility.id if utility else None)
    upload = request.files.get("sheet")
    if upload is None or not upload.filename:
        return fees_page(status=400, upload_problem=gettext("Choose a file to import."))
    plan = plan_fee_import(upload.read(), utility)
    if not plan.is_ok:
        return fees_page(status=422, plan=plan, file_name=upload.filename)
    if request.form.get("check_only"):
        return fees_page(plan=plan, file_name=upload.filename, checked=True)
    try:
        drafts = apply_fee_import(plan, current_user)
    except WorkflowError as error:
        db.session.rollback()
        return fees_page(status=409, upload_problem=problem_text(error))
    db.session.commit()
    flash(
        ngettext(
            "%(num)d draft saved from the sheet; nothing is published until a reviewer does so.",
            "%(num)d drafts saved from the sheet; nothing is published until a reviewer does so.",
            len(drafts),
        )
    )
    return redirect(url_for("editor.dashboard"))
