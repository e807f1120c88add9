from __future__ import annotations

import click
from flask.cli import AppGroup

from app.common.importing import ImportFailed
from app.content.demo import load_demo
from app.councils.cli import report_import_failure

demo_cli = AppGroup("demo", help="Demo content.")


@demo_cli.command("load")
def load_command() -> None:
    """Load the demo content in content/demo/ (idempotent)."""
    try:
        summary = load_demo()
    except ImportFailed as error:
        raise report_import_failure(error) from error
    except OSError as error:
        raise click.ClickException(f"could not read the demo content: {error}") from error
    click.echo(
        f"Demo loaded: councils {summary.councils.created} created, "
        f"{summary.councils.updated} updated; pilots {summary.pilots.created} created, "
        f"{summary.pilots.updated} updated, {summary.pilots.unchanged} unchanged; "
        f"{summary.users_created} demo users created; "
        f"tracker records added to {summary.tracker_pilots} pilots; "
        f"appraisals added to {summary.appraisals} pilots; "
        f"{summary.rounds_created} prioritisation rounds created; "
        f"{summary.consultations} consultations added."
    )
