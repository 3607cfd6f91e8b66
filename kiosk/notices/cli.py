"""`flask --app kiosk notices build`: print a hall's notices into a folder, one PDF per language."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask.cli import AppGroup

from kiosk.config import Config
from kiosk.notices.printer import notice_printer
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


COMMANDS = (notices_cli,)
