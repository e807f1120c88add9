from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app.search import indexing
from app.search.service import index_state

search_cli = AppGroup("search", help="Build and check the search index.")


@search_cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the index from the database beside the old one, then swap it in."""
    started = time.monotonic()
    try:
        count = indexing.reindex()
    except Exception as error:
        message = f"reindex failed, the old index is still serving: {error}"
        raise click.ClickException(message) from error
    click.echo(f"Indexed {count} public pilots in {time.monotonic() - started:.1f}s.")


@search_cli.command("check")
def check_command() -> None:
    """Compare the index with the database; exit 1 listing every difference."""
    problems = indexing.check()
    state = index_state()
    if "applied_change" in state:
        click.echo(
            f"The index holds the change log to change {state['applied_change']}; "
            f"{state['changes_behind']} change(s) behind."
        )
    if problems:
        for problem in problems:
            click.echo(problem)
        click.echo(f"{len(problems)} difference(s) between the index and the database.", err=True)
        raise SystemExit(1)
    click.echo("The search index matches the database.")
