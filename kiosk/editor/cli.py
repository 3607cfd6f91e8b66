"""`flask --app kiosk revisions settle`: bring stored statuses up to date with the calendar."""

from __future__ import annotations

import click

from kiosk.editor import editor_bp
from services.db import db
from services.publishing import revisions

editor_bp.cli.help = "Published revisions and the dates they take effect."


@editor_bp.cli.command("settle")
def settle_command() -> None:
    """Mark revisions replaced by one now in force as superseded (run daily after midnight).

    The kiosk already shows the right revision on its date; this keeps the stored status,
    effective_to and the search index in step with it.
    """
    try:
        settled = revisions.settle_schedule()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"superseded {len(settled)} revision(s)")
    for revision in settled:
        click.echo(f"  {revision.item.code} version {revision.number}, in force until "
                   f"{revision.effective_to}")  # fmt: skip
