"""Commands for what residents leave behind: `flask ratings purge` deletes phone numbers
past their retention (run it daily), `flask ratings deadline` sets the rectification limit."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from kiosk.cli import committed
from services.ratings import cases, contacts

ratings_cli = AppGroup("ratings", help="Residents' ratings (好差评) and their rectification.")


@ratings_cli.command("purge")
@click.option("--days", type=int, default=None, help="Retention in days (default: the setting).")
def purge_command(days: int | None) -> None:
    """Delete phone numbers left with bad reviews longer ago than the retention period."""
    days = days if days is not None else current_app.config["RATING_PHONE_RETENTION_DAYS"]
    with committed():
        count = contacts.purge_contacts(days)
    click.echo(f"{count} phone numbers older than {days} days deleted")


@ratings_cli.command("deadline")
@click.argument("working_days", type=int)
def deadline_command(working_days: int) -> None:
    """Set how many working days a bad review has to be put right in (default 10)."""
    with committed():
        try:
            cases.set_case_working_days(working_days, "cli")
        except cases.CaseError as error:
            raise click.BadParameter("between 1 and 60 working days") from error
    click.echo(f"bad reviews are due {working_days} working days after they are made")


COMMANDS = [ratings_cli]
