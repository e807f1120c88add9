from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.common.importing import ImportFailed
from app.councils.cli import report_import_failure
from app.pilots.importer import import_pilots

pilots_cli = AppGroup("pilots", help="Manage pilots.")


@pilots_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
def import_command(path: str) -> None:
    """Upsert pilots from a CSV file (format in CONTRACT.md); all or nothing."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"could not read {path}: {error}") from error
    try:
        summary = import_pilots(text)
    except ImportFailed as error:
        raise report_import_failure(error) from error
    click.echo(
        f"Pilots: {summary.created} created, {summary.updated} updated, "
        f"{summary.unchanged} unchanged."
    )


@pilots_cli.command("refresh-report-dates")
def refresh_report_dates_command() -> None:
    """Work out every pilot's report dates again (after REPORT_DUE_DAYS or REPORT_GRACE_DAYS
    change: the stored dates hold them)."""
    from app.extensions import db
    from app.pilots.report_dates import refresh_all_report_dates

    owing = refresh_all_report_dates()
    db.session.commit()
    click.echo(f"Report dates worked out again for {owing} pilots.")


history_cli = AppGroup("history", help="The amendment history of pilots.")


@history_cli.command("verify")
def verify_command() -> None:
    """Check every pilot's chain of versions; exit 1 naming the first broken version."""
    from app.pilots.history import verify_chain

    breaks = verify_chain()
    if breaks:
        for chain_break in breaks:
            click.echo(f"Broken: {chain_break}", err=True)
        raise click.ClickException(f"the history chain is broken at {breaks[0]}")
    click.echo("History verified: every version matches its hash and links to the one before.")
