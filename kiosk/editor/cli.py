"""`flask --app kiosk revisions settle`: bring stored statuses up to date with the calendar;
`flask --app kiosk fees export|import`: fee tables as XLSX or CSV spreadsheets."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from kiosk.cli import committed
from services.catalogue.queries import utility_by_slug
from services.fees.exporting import FORMATS, export_fee_sheet
from services.fees.importing import apply_fee_import, plan_fee_import
from services.models import Role
from services.publishing import revisions
from services.publishing.accounts import user_by_username
from services.spreadsheets.isolation import parse_limits

revisions_cli = AppGroup("revisions", help="Published revisions and the dates they take effect.")


@revisions_cli.command("settle")
def settle_command() -> None:
    """Mark revisions replaced by one now in force as superseded (run daily after midnight).

    The kiosk already shows the right revision on its date; this keeps the stored status,
    effective_to and the search index in step with it.
    """
    with committed():
        settled = revisions.settle_schedule()
    click.echo(f"superseded {len(settled)} revision(s)")
    for revision in settled:
        click.echo(
            f"  {revision.item.code} version {revision.number}, in force until "
            f"{revision.effective_to}"
        )


fees_cli = AppGroup("fees", help="Export and import fee tables as spreadsheets.")


@fees_cli.command("export")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write; .xlsx or .csv decides the format.",
)
@click.option("--utility", "utility_slug", help="Only this utility's items (its slug).")
def export_command(out: Path, utility_slug: str | None) -> None:
    """Write the published fee tables in the import format."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.BadParameter("the file name must end in .xlsx or .csv", param_hint="--out")
    utility = None
    if utility_slug:
        utility = utility_by_slug(utility_slug)
        if utility is None:
            raise click.BadParameter(f"no utility {utility_slug!r}", param_hint="--utility")
    out.write_bytes(export_fee_sheet(fmt, utility))
    click.echo(f"wrote {out}")


@fees_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True, help="The account the drafts are made by.")
@click.option("--dry-run", is_flag=True, help="Check the sheet and show the changes; save nothing.")
def import_command(path: Path, username: str, dry_run: bool) -> None:
    """Check a fee sheet and put the new fees into draft revisions (never published)."""
    user = user_by_username(username)
    if user is None or not user.is_active:
        raise click.BadParameter(f"no active account {username!r}", param_hint="--as")
    if user.role == Role.EDITOR and user.utility is None:
        raise click.BadParameter(f"{username} edits no utility", param_hint="--as")
    utility = user.utility if user.role == Role.EDITOR else None
    plan = plan_fee_import(path.read_bytes(), utility, parse_limits(current_app.config))
    if not plan.is_ok:
        for error in plan.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(f"{path.name}: nothing imported ({len(plan.errors)} errors)")
    for planned in plan.items:
        state = "changed" if planned.is_changed else "unchanged"
        click.echo(f"{planned.item.code}: {len(planned.fees)} fees, {state}")
    for planned, warning in plan.warnings:
        click.echo(f"warning: {planned.item.code} {warning}", err=True)
    if dry_run:
        click.echo("dry run: nothing saved")
        return
    with committed():
        drafts = apply_fee_import(plan, user)
    for draft in drafts:
        click.echo(f"draft saved: {draft.item.code} revision {draft.number}")
    click.echo(f"{len(drafts)} drafts saved, nothing published")


COMMANDS = (revisions_cli, fees_cli)
