"""`flask --app kiosk notices build`: print a hall's notices into a folder, one PDF per language."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from kiosk.config import Config
from kiosk.notices.printer import notice_printer
from services.notices import pdf_cache
from services.notices import render as notices

notices_cli = AppGroup("notices", help="Printed wall notices.")


@notices_cli.command("build")
@click.option("--hall", "hall_slug", required=True, help="Slug of the hall, e.g. civic-centre.")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the PDFs into (made if missing).",
)
@click.option(
    "--lang",
    "langs",
    multiple=True,
    type=click.Choice(Config.LANGUAGES),
    default=(Config.BABEL_DEFAULT_LOCALE,),
    show_default=True,
    help="Language of the notices; repeat for several.",
)
@click.option(
    "--paper",
    type=click.Choice(notices.PAPERS, case_sensitive=False),
    default="A4",
    show_default=True,
    help="Paper size.",
)
def build_command(hall_slug: str, out_dir: Path, langs: tuple[str, ...], paper: str) -> None:
    """Print every notice of a hall, after an index page, into one PDF per language."""
    hall = notices.hall_by_slug(hall_slug)
    if hall is None:
        raise click.BadParameter(f"there is no hall {hall_slug!r}", param_hint="--hall")
    paper = paper.upper()
    count = len(notices.hall_revisions(hall))
    out_dir.mkdir(parents=True, exist_ok=True)
    printer = notice_printer()
    written = []
    with click.progressbar(length=count * len(langs), label=f"{hall.name}: {count} notices") as bar:
        for done, lang in enumerate(langs, start=1):
            rendered = notices.hall_pdf(printer, hall, lang, paper, progress=bar.update)
            bar.update(count * done - bar.pos)  # a cached PDF made no progress calls
            target = out_dir / f"{hall.slug}-{lang}-{paper}.pdf"
            shutil.copyfile(rendered.path, target)
            written.append(target)
    for target in written:
        click.echo(target)


@notices_cli.command("prune")
@click.option("--max-age-days", type=int, help="Default: PDF_CACHE_MAX_AGE_DAYS (30).")
@click.option("--max-mb", type=int, help="Default: PDF_CACHE_MAX_MB (2048).")
def prune_command(max_age_days: int | None, max_mb: int | None) -> None:
    """Delete printed PDFs by age, then the oldest beyond the size limit (run daily)."""
    config = current_app.config
    days = config["PDF_CACHE_MAX_AGE_DAYS"] if max_age_days is None else max_age_days
    megabytes = config["PDF_CACHE_MAX_MB"] if max_mb is None else max_mb
    report = pdf_cache.prune(config["CACHE_DIR"], days * 86400, megabytes * 2**20, time.time())
    click.echo(
        f"removed {report.removed} files ({report.freed_bytes / 2**20:.1f} MB); "
        f"kept {report.kept} ({report.kept_bytes / 2**20:.1f} MB)"
    )


COMMANDS = (notices_cli,)
