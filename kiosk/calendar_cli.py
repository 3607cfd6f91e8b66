"""`flask --app kiosk holidays ...`: load the official holiday calendar and adjust it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup

from services.calendar import working_days as calendar
from services.db import db
from services.models import HolidayKind

holidays_cli = AppGroup("holidays", help="The holiday calendar that working-day deadlines use.")
DAY = click.DateTime(formats=["%Y-%m-%d"])


def committed(action: Callable[[], Any]) -> Any:
    """Run one service call and commit it, or roll back if it fails."""
    try:
        result = action()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


@holidays_cli.command("seed")
@click.option("--from-year", type=int, help="First year to load (default: last year).")
def seed_command(from_year: int | None) -> None:
    """Load the official calendar of every year the holidays package knows."""
    result = committed(lambda: calendar.seed_holidays(from_year))
    years = ", ".join(str(year) for year in result.years) or "none"
    click.echo(f"Official years loaded: {years}. Calendar known until: {result.known_until}.")


@holidays_cli.command("set")
@click.argument("day", type=DAY, metavar="YYYY-MM-DD")
@click.argument("kind", type=click.Choice([kind.value for kind in HolidayKind]))
@click.option("--name", default="", help="What the day is, e.g. 春节.")
def set_command(day: datetime, kind: str, name: str) -> None:
    """Make DAY a holiday or a workday; a later seed keeps this decision."""
    committed(lambda: calendar.set_day(day.date(), HolidayKind(kind), name))
    click.echo(f"{day.date()} is now a {kind}.")


@holidays_cli.command("remove")
@click.argument("day", type=DAY, metavar="YYYY-MM-DD")
def remove_command(day: datetime) -> None:
    """Drop the decision made for DAY and go back to the official calendar."""
    if not committed(lambda: calendar.remove_override(day.date())):
        raise click.ClickException(f"{day.date()} has no decision of its own.")
    click.echo(f"{day.date()} follows the official calendar again.")


@holidays_cli.command("known-until")
@click.argument("day", type=DAY, metavar="YYYY-MM-DD")
def known_until_command(day: datetime) -> None:
    """Record that the official calendar is known until DAY (after entering it by hand)."""
    committed(lambda: calendar.set_known_until(day.date()))
    click.echo(f"Calendar known until {day.date()}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(holidays_cli)
