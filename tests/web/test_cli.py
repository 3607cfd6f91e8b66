"""The command line: every command under the name the README gives it, and one transaction each."""

from __future__ import annotations

import click
import pytest
from sqlalchemy import select

from kiosk.cli import committed
from services.db import db
from services.models import Utility
from tests.factories import make_utility, unique

# Commands and their subcommands as the README lists them ("db" is Flask-Migrate's).
COMMANDS = {
    "seed-demo": None,
    "seed-synthetic": None,
    "users": {"create", "set-password"},
    "audit": {"verify", "rekey"},
    "holidays": {"seed", "set", "remove", "known-until"},
    "revisions": {"settle"},
    "fees": {"export", "import"},
    "notices": {"build", "prune"},
    "jobs": {"worker"},
    "backup": {"create", "restore"},
    "hearings": {"purge-contacts"},
    "requests": {"purge", "limits"},
    "ratings": {"purge", "deadline"},
    "catalogue": {"export", "import"},
    "uploads": {"prune"},
    "db": None,
}


def test_every_command_answers_to_its_documented_name(app):
    context = click.Context(app.cli)
    found = {}
    for name in app.cli.list_commands(context):
        command = app.cli.get_command(context, name)
        is_group = isinstance(command, click.Group) and name != "db"
        found[name] = set(command.list_commands(context)) if is_group else None
    assert found == COMMANDS


def test_a_command_that_fails_leaves_nothing_behind(ctx):
    slug = unique("utility")
    with pytest.raises(RuntimeError), committed():
        make_utility(slug=slug)
        raise RuntimeError("the command failed half-way")
    assert db.session.scalar(select(Utility).where(Utility.slug == slug)) is None
