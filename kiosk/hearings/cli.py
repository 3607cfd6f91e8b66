"""`flask --app kiosk hearings purge-contacts`: erase residents' names and contacts left on
hearing comments and sign-ups once their retention (HEARING_CONTACT_RETENTION_DAYS) has
passed."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from services import clock
from services.db import db
from services.hearings import comments, signups

hearings_cli = AppGroup("hearings", help="Price hearings and consultations.")


@hearings_cli.command("purge-contacts")
def purge_contacts_command() -> None:
    """Erase the names and contacts on comments whose window closed, and on sign-ups to
    hearings held, before the retention."""
    days = current_app.config["HEARING_CONTACT_RETENTION_DAYS"]
    now, retention = clock.now(), timedelta(days=days)
    purged = comments.purge_contacts(now, retention)
    attendees = signups.purge_contacts(now, retention)
    db.session.commit()
    click.echo(
        f"Purged the contact details of {purged} comments and {attendees} sign-ups "
        f"(kept {days} days)."
    )


COMMANDS = [hearings_cli]
