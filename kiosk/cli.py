"""The app's own commands: demo data, accounts, the audit trail, the holiday calendar,
backups and uploaded files.

Every command module defines click commands and groups; `create_app` adds them from one list.
Blueprint-specific commands live in the blueprint's cli.py.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from services import orphaned_uploads
from services.backup import archive as backup
from services.calendar import working_days as calendar
from services.catalogue import queries as catalogue
from services.db import db
from services.models import HolidayKind, Role
from services.publishing import accounts, audit

DAY = click.DateTime(formats=["%Y-%m-%d"])
DEMO_NAMES = (
    Path(__file__).resolve().parent.parent / "fixtures" / "demo_city" / "traditional-names.txt"
)


@contextmanager
def committed() -> Iterator[None]:
    """Commit what the block changed, or roll it back if the block raises."""
    try:
        yield
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Load the demo city, its holiday calendar and search index (safe to run again)."""
    from fixtures.demo import load_demo_city

    with committed():
        lines = load_demo_city()
    names = Path(current_app.instance_path) / "traditional-names.txt"
    if not names.exists():
        # The demo's place names stay as written on Traditional pages from the next start.
        shutil.copyfile(DEMO_NAMES, names)
        lines.append(f"names kept in Traditional: {names}")
    click.echo("\n".join(lines))


@click.command("seed-synthetic")
@click.option("--items", default=2000, show_default=True, help="How many service items.")
@click.option("--seed", default=1, show_default=True, help="Random seed: same seed, same data.")
@with_appcontext
def seed_synthetic_command(items: int, seed: int) -> None:
    """Add a large synthetic catalogue for benchmarks."""
    from fixtures.synthetic import seed_synthetic

    with committed():
        report = seed_synthetic(items=items, seed=seed)
    click.echo(report.summary())


users_cli = AppGroup("users", help="Editor, reviewer and admin accounts.")
audit_cli = AppGroup("audit", help="The hash-chained audit trail.")
holidays_cli = AppGroup("holidays", help="The holiday calendar that working-day deadlines use.")
backup_cli = AppGroup("backup", help="The database and uploaded files in one archive.")
uploads_cli = AppGroup("uploads", help="Uploaded blank forms, samples and reply files.")


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
        with committed():
            user = accounts.create_user(
                username, password, Role(role), utility, display_name, actor="cli"
            )
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    where = f" of {utility.slug}" if utility else ""
    click.echo(f"created {user.role.value} {user.username}{where}")


@users_cli.command("set-password")
@click.argument("username")
@click.password_option(prompt="New password", help="Asked for when not given.")
def set_password_command(username: str, password: str) -> None:
    """Give an account a new password; every session it has is ended."""
    user = accounts.user_by_username(username)
    if user is None:
        raise click.BadParameter(f"no account {username!r}", param_hint="USERNAME")
    try:
        with committed():
            accounts.set_password(user, password, actor="cli")
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"new password set for {user.username}; its sessions have ended")


@audit_cli.command("verify")
@click.option("--head", "expected_head", help="A head hash printed by an earlier check.")
def verify_command(expected_head: str | None) -> None:
    """Recompute the chain; exit 1 on any altered, inserted or deleted row."""
    report = audit.verify_chain(expected_head)
    for problem in report.problems:
        click.echo(f"{problem.kind}: {problem.detail}", err=True)
    content = audit.verify_published_content()
    for problem in content.problems:
        click.echo(f"content: {problem.detail}", err=True)
    if not report.is_ok:
        summary = f"{len(report.problems)} problem(s) in {report.count} events"
        click.echo(f"audit chain BROKEN: {summary}", err=True)
    if content.problems:
        summary = f"{len(content.problems)} of {content.checked} published revisions"
        click.echo(f"published content CHANGED: {summary}", err=True)
    if not report.is_ok or content.problems:
        raise SystemExit(1)
    click.echo(f"audit chain OK: {report.count} events, head {report.head}")
    unhashed = f", {content.without_hash} published before hashing" if content.without_hash else ""
    click.echo(f"published content OK: {content.checked} revisions{unhashed}")


@audit_cli.command("rekey")
@click.option(
    "--old-key-env",
    help="The environment variable holding the key the chain was written with; "
    "leave out for a chain written before the chain was keyed.",
)
def rekey_command(old_key_env: str | None) -> None:
    """Recompute the chain under the present key (GONGSHI_AUDIT_KEY), once it verifies
    under the old one; run after setting or changing the key."""
    old_key = None
    if old_key_env:
        value = os.environ.get(old_key_env)
        if not value:
            raise click.BadParameter(f"{old_key_env} is not set", param_hint="--old-key-env")
        old_key = value.encode()
    with committed():
        report = audit.rekey_chain(old_key)
    if report.problems:
        for problem in report.problems[:20]:
            click.echo(f"{problem.kind}: {problem.detail}", err=True)
        click.echo("the old chain does not verify: nothing was changed", err=True)
        raise SystemExit(1)
    click.echo(f"audit chain rekeyed: {report.count} events, head {report.head}")


@holidays_cli.command("seed")
@click.option("--from-year", type=int, help="First year to load (default: last year).")
def seed_holidays_command(from_year: int | None) -> None:
    """Load the official calendar of every year the holidays package knows."""
    with committed():
        result = calendar.seed_holidays(from_year)
    years = ", ".join(str(year) for year in result.years) or "none"
    click.echo(f"Official years loaded: {years}. Calendar known until: {result.known_until}.")


@holidays_cli.command("set")
@click.argument("day", type=DAY, metavar="YYYY-MM-DD")
@click.argument("kind", type=click.Choice([kind.value for kind in HolidayKind]))
@click.option("--name", default="", help="What the day is, e.g. 春节.")
def set_holiday_command(day: datetime, kind: str, name: str) -> None:
    """Make DAY a holiday or a workday; a later seed keeps this decision."""
    with committed():
        calendar.set_day(day.date(), HolidayKind(kind), name)
    click.echo(f"{day.date()} is now a {kind}.")


@holidays_cli.command("remove")
@click.argument("day", type=DAY, metavar="YYYY-MM-DD")
def remove_holiday_command(day: datetime) -> None:
    """Drop the decision made for DAY and go back to the official calendar."""
    with committed():
        removed = calendar.remove_override(day.date())
    if not removed:
        raise click.ClickException(f"{day.date()} has no decision of its own.")
    click.echo(f"{day.date()} follows the official calendar again.")


@holidays_cli.command("known-until")
@click.argument("day", type=DAY, metavar="YYYY-MM-DD")
def known_until_command(day: datetime) -> None:
    """Record that the official calendar is known until DAY (after entering it by hand)."""
    with committed():
        calendar.set_known_until(day.date())
    click.echo(f"Calendar known until {day.date()}.")


@backup_cli.command("create")
@click.option("--out", "target", type=click.Path(dir_okay=False, path_type=Path), required=True)
def create_backup_command(target: Path) -> None:
    """Write every table and the uploaded files into one .tar.gz archive."""
    summary = backup.create_backup(db.session, target, Path(current_app.config["UPLOAD_DIR"]))
    db.session.rollback()  # the dump only read; end its transaction
    click.echo(
        f"{target}: {summary.rows} rows in {summary.tables} tables, {summary.files} files, "
        f"migration {summary.migration}"
    )


@backup_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_backup_command(source: Path) -> None:
    """Load an archive into this empty, migrated database (`flask db upgrade` first)."""
    try:
        with committed():
            summary = backup.restore_backup(
                db.session, source, Path(current_app.config["UPLOAD_DIR"])
            )
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored {summary.rows} rows in {summary.tables} tables, {summary.files} files")


@uploads_cli.command("prune")
@click.option("--dry-run", is_flag=True, help="Count what would go; remove nothing.")
def prune_uploads_command(dry_run: bool) -> None:
    """Remove uploaded files no record names, a day after they were last written (run daily)."""
    root = Path(current_app.config["UPLOAD_DIR"])
    report = orphaned_uploads.prune_orphans(root, time.time(), dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    click.echo(
        f"{verb} {report.removed} files no record names ({report.freed_bytes / 2**20:.1f} MB); "
        f"kept {report.kept}"
    )


COMMANDS = (
    seed_demo_command,
    seed_synthetic_command,
    users_cli,
    audit_cli,
    holidays_cli,
    backup_cli,
    uploads_cli,
)
