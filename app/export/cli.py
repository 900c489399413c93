"""`platsdialog export DIALOGUE --format ... --crs ... --output PATH`: the same exports from a shell,
written straight to the file (no job queue), with a progress bar on a terminal."""

from __future__ import annotations

import shutil
import sys

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from ..extensions import db
from ..models import Dialogue
from .progress import reporting
from .service import FORMATS, ExportRefused, expected_rows, log_export, produce
from .source import ALLOWED_CRS, ExportOptions


def _dialogue(reference: str) -> Dialogue:
    """A dialogue by id or slug, or a clear error."""
    column = Dialogue.id if reference.isdigit() else Dialogue.slug
    value = int(reference) if reference.isdigit() else reference
    dialogue = db.session.execute(select(Dialogue).where(column == value)).scalar_one_or_none()
    if dialogue is None:
        raise click.ClickException(f"Det finns ingen dialog {reference}.")
    return dialogue


@click.command("export")
@click.argument("dialogue")
@click.option("--format", "fmt", required=True, type=click.Choice(list(FORMATS)))
@click.option("--crs", type=click.Choice([str(c) for c in ALLOWED_CRS]),
              help="EPSG code: 3006 (default), 4326 or a local SWEREF 99 zone 3007-3018.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True))
@click.option("--include-hidden", is_flag=True, help="Include hidden pins, flagged in column hidden.")
@click.option("--photos", is_flag=True,
              help="A ZIP: the file plus photos/<pin id>.jpg (gpkg, geojson, csv, xlsx).")
@with_appcontext
def export_command(dialogue: str, fmt: str, crs: str | None, output: str, include_hidden: bool,
                   photos: bool) -> None:
    """Export a dialogue (id or slug) for consultation; the export is written to the audit log."""
    chosen = FORMATS[fmt]
    default = 4326 if fmt == "geojson" else 3006
    options = ExportOptions(crs=int(crs or default), include_hidden=include_hidden, photos=photos)
    target = _dialogue(dialogue)
    total = expected_rows(target.id, chosen, options)
    # The bar shows on a terminal only (click hides it when stderr is not one, e.g. under cron).
    with force_locale("sv"), click.progressbar(length=total, label="Exporterar", file=sys.stderr,
                                               show_pos=True) as bar, reporting(bar.update):
        try:
            export = produce(target, chosen, options)
        except ExportRefused as refusal:
            raise click.ClickException(str(refusal.message)) from None
        if export.chunks is not None:
            with open(output, "w", encoding="utf-8", newline="") as out:
                for chunk in export.chunks:
                    out.write(chunk)
        else:
            shutil.move(export.path, output)
    log_export(target, chosen, options, export.rows, via="cli")
    db.session.commit()
    click.echo(f"{output}: {chosen.key}, {export.rows} rader, EPSG:{options.crs}.")
