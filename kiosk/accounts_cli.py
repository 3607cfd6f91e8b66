"""`flask --app kiosk users create ...` and `flask --app kiosk audit verify`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from services.catalogue import queries as catalogue
from services.db import db
from services.models import Role
from services.publishing import accounts, audit

users_cli = AppGroup("users", help="Editor, reviewer and admin accounts.")
audit_cli = AppGroup("audit", help="The hash-chained audit trail.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--utility", "utility_slug", help="The utility an editor works for (its slug).")
@click.option("--name", "display_name", default="", help="The name shown to colleagues.")
@click.password_option(prompt="Password", help="Asked for when not given.")
def create_user_command(
    username: str, role: str, utility_slug: str | None, display_name: str, password: str
) -> None:
    """Add an account; editors need --utility."""
    utility = None
    if utility_slug:
        utility = catalogue.utility_by_slug(utility_slug)
        if utility is None:
            message = f"no utility with slug {utility_slug!r}"
            raise click.BadParameter(message, param_hint="--utility")
    try:
        user = accounts.create_user(
            username, password, Role(role), utility, display_name, actor="cli"
        )
        db.session.commit()
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    where = f" of {utility.slug}" if utility else ""
    click.echo(f"created {user.role.value} {user.username}{where}")


@audit_cli.command("verify")
@click.option("--head", "expected_head", help="A head hash printed by an earlier check.")
def verify_command(expected_head: str | None) -> None:
    """Recompute the chain; exit 1 on any altered, inserted or deleted row."""
    report = audit.verify_chain(expected_head)
    for problem in report.problems:
        click.echo(f"{problem.kind}: {problem.detail}", err=True)
    if not report.is_ok:
        summary = f"{len(report.problems)} problem(s) in {report.count} events"
        click.echo(f"audit chain BROKEN: {summary}", err=True)
        raise SystemExit(1)
    click.echo(f"audit chain OK: {report.count} events, head {report.head}")


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
