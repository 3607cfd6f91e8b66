"""`flask --app kiosk requests purge`: delete the names and contacts of information requests
closed longer ago than REQUEST_CONTACT_RETENTION_DAYS."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from services import clock
from services.db import db
from services.requests import handling

requests_cli = AppGroup("requests", help="Information requests (依申请公开).")


@requests_cli.command("purge")
def purge_command() -> None:
    """Delete the names and contacts of requests closed before the retention."""
    days = current_app.config["REQUEST_CONTACT_RETENTION_DAYS"]
    purged = handling.purge_contacts(clock.now(), timedelta(days=days))
    db.session.commit()
    click.echo(f"Deleted the names and contacts of {purged} requests (kept {days} days).")


COMMANDS = [requests_cli]
