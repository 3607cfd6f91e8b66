"""Command-line tasks: `flask --app kiosk seed-demo`, `seed-synthetic`, and friends."""

from __future__ import annotations

import click
from flask import Flask

from services.db import db


def register_cli(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Load the demo city, its holiday calendar and search index (safe to run again)."""
        from fixtures.demo import load_demo_city

        try:
            lines = load_demo_city()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        click.echo("\n".join(lines))

    @app.cli.command("seed-synthetic")
    @click.option("--items", default=2000, show_default=True, help="How many service items.")
    @click.option("--seed", default=1, show_default=True, help="Random seed: same seed, same data.")
    def seed_synthetic_command(items: int, seed: int) -> None:
        """Add a large synthetic catalogue for benchmarks."""
        from fixtures.synthetic import seed_synthetic

        try:
            report = seed_synthetic(items=items, seed=seed)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        click.echo(report.summary())
