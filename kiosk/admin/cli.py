"""`flask --app kiosk catalogue export|import`: the whole catalogue as one workbook."""

from __future__ import annotations

from pathlib import Path

import click
import flask_babel
from flask import current_app
from flask.cli import AppGroup

from kiosk.cli import committed
from services.catalogue.workbook.exporting import FORMATS, export_catalogue
from services.catalogue.workbook.importing import STATES, plan_import
from services.catalogue.workbook.layout import Uncovered
from services.catalogue.workbook.messages import Problem, Refused
from services.catalogue.workbook.sheets import SHEETS
from services.catalogue.workbook.writing import apply_import
from services.db import db
from services.publishing.accounts import user_by_username
from services.spreadsheets.isolation import parse_limits

catalogue_cli = AppGroup("catalogue", help="The whole catalogue as one workbook (XLSX or JSON).")


@catalogue_cli.command("export")
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), help="xlsx or json; default: from --out."
)
def export_command(out: Path, fmt: str | None) -> None:
    """Write every utility, hall, legal basis, channel and item, one sheet per kind."""
    fmt = fmt or ("json" if out.suffix.lower() == ".json" else "xlsx")
    try:
        data = export_catalogue(fmt)
    except Uncovered as error:
        raise click.ClickException(f"the workbook has no column for {error}") from None
    finally:
        db.session.rollback()  # the export only read; end its transaction
    out.write_bytes(data)
    click.echo(f"wrote {out} ({fmt}, {len(data)} bytes)")


def _show(problems: list[Problem], lang: str) -> None:
    with flask_babel.force_locale(lang):
        for problem in problems:
            click.echo(problem.text(flask_babel.gettext), err=True)


@catalogue_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True, help="The account the import is made by.")
@click.option("--dry-run", is_flag=True, help="Check the file and show the changes; save nothing.")
@click.option("--publish", is_flag=True, help="Publish the items at once (administrators only).")
@click.option("--lang", help="Language of the messages: zh_Hans, zh_Hant or en.")
def import_command(path: Path, username: str, dry_run: bool, publish: bool, lang: str | None):
    """Check the whole file; change nothing unless every row is valid. Items arrive in
    review for a reviewer, or published with --publish."""
    languages = current_app.config["LANGUAGES"]
    lang = lang or current_app.config["BABEL_DEFAULT_LOCALE"]
    if lang not in languages:
        raise click.BadParameter(f"one of {', '.join(languages)}", param_hint="--lang")
    user = user_by_username(username)
    if user is None or not user.is_active:
        _show([Problem("", "inactive_user", {"value": username})], lang)
        raise SystemExit(1)
    try:
        plan = plan_import(
            path.read_bytes(),
            user,
            publish,
            parse_limits(current_app.config),
            Path(current_app.config["UPLOAD_DIR"]),
        )
    except Refused as refused:
        db.session.rollback()
        _show(refused.problems, lang)
        click.echo(f"{path.name}: nothing imported ({len(refused.problems)} problems)", err=True)
        raise SystemExit(1) from None
    for spec in SHEETS:
        counts = plan.counts.get(spec.name, {})
        click.echo(f"{spec.name}: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATES))
    if dry_run:
        db.session.rollback()
        click.echo("dry run: nothing saved")
        return
    if plan.changes == 0:
        db.session.rollback()
        click.echo("nothing to change")
        return
    with committed():
        summary = apply_import(plan, user, path.name)
    revisions = summary.get("revisions", [])
    published = sum(1 for r in revisions if r["status"] == "published")
    click.echo(f"imported: {published} revisions published, {len(revisions) - published} in review")


COMMANDS = (catalogue_cli,)
