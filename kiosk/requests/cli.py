"""`flask --app kiosk requests purge`: delete the names and contacts of information requests
closed longer ago than REQUEST_CONTACT_RETENTION_DAYS; `requests limits`: a utility's own
working days to answer and to extend by."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from services import clock
from services.catalogue import queries as catalogue
from services.db import db
from services.publishing import audit
from services.requests import deadlines, handling

requests_cli = AppGroup("requests", help="Information requests (依申请公开).")


@requests_cli.command("purge")
def purge_command() -> None:
    """Delete the names and contacts of requests closed before the retention."""
    days = current_app.config["REQUEST_CONTACT_RETENTION_DAYS"]
    purged = handling.purge_contacts(clock.now(), timedelta(days=days))
    db.session.commit()
    click.echo(f"Deleted the names and contacts of {purged} requests (kept {days} days).")


@requests_cli.command("limits")
@click.argument("utility_slug")
@click.argument("days", type=int)
@click.argument("extension", type=int)
def limits_command(utility_slug: str, days: int, extension: int) -> None:
    """Set a utility's working days to answer and to extend once by (its own rules)."""
    utility = catalogue.utility_by_slug(utility_slug)
    if utility is None:
        raise click.ClickException(f"There is no utility {utility_slug!r}.")
    try:
        deadlines.set_limits(utility, days, extension, audit.SYSTEM)
    except deadlines.LimitError as error:
        raise click.ClickException("Both limits must be 1 to 60 working days.") from error
    db.session.commit()
    click.echo(f"{utility.slug}: {days} working days, extendable once by {extension}.")


COMMANDS = [requests_cli]
