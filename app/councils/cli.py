from __future__ import annotations

import click
from flask.cli import AppGroup

from app.common.importing import ImportFailed
from app.councils.service import import_councils, read_source

councils_cli = AppGroup("councils", help="Manage the council register.")


def report_import_failure(error: ImportFailed) -> click.ClickException:
    """Print every bad row, then fail with the one-line reason."""
    for row_error in error.errors:
        click.echo(str(row_error), err=True)
    return click.ClickException(error.reason)


@councils_cli.command("import")
@click.argument("path_or_url")
def import_command(path_or_url: str) -> None:
    """Upsert councils from a mySociety register CSV (path or URL); all or nothing."""
    try:
        summary = import_councils(read_source(path_or_url))
    except ImportFailed as error:
        raise report_import_failure(error) from error
    click.echo(
        f"Councils: {summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged."
    )
