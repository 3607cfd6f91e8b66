"""`flask db ...` and Flask-Migrate's functions, with Alembic imported only when they run.

Flask-Migrate imports Alembic, and with it Mako and Pygments, as soon as it is imported:
about 11 MB in every web worker, which never migrates.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask

from kiosk.config import ROOT
from services.db import db

DIRECTORY = str(ROOT / "migrations")


def _bind(app: Flask) -> None:
    from flask_migrate import Migrate

    # Puts Flask-Migrate's own configuration in app.extensions["migrate"] and its `db` group
    # in app.cli, in place of the ones below.
    Migrate(app, db, directory=DIRECTORY, render_as_batch=True)


class Migrations:
    """Stands in app.extensions["migrate"] until Flask-Migrate's is first asked for."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        _bind(self.app)
        return getattr(self.app.extensions["migrate"], name)


class MigrationCommands(click.Group):
    """Flask-Migrate's `db` command group, imported when `flask db` runs."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        from flask_migrate.cli import db as commands

        # The context, and so the options, subcommands and callback, are Flask-Migrate's.
        return commands.make_context(info_name, args, parent=parent, **extra)


def init_app(app: Flask) -> None:
    app.extensions["migrate"] = Migrations(app)
    app.cli.add_command(MigrationCommands("db", help="Perform database migrations."))
