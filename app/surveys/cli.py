"""`flask survey ...` commands: check survey files before anyone publishes them."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from .loader import check_file, load_definition

survey_cli = AppGroup("survey", help="Enkätdefinitioner (surveys/*.yaml).")


@survey_cli.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def check_command(files: tuple[str, ...]) -> None:
    """Check survey files and print every problem; exit 1 if any file has one."""
    failed = False
    for name in files:
        problems = check_file(name)
        if problems:
            failed = True
            for problem in problems:
                click.echo(str(problem))
            continue
        definition = load_definition(name)
        count = sum(1 for q in definition.questions if q.answerable)
        click.echo(f"OK: {name} ({count} frågor, hash {definition.content_hash()[:12]})")
    if failed:
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    """Register the `survey` command group on the app."""
    app.cli.add_command(survey_cli)
