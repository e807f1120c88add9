from __future__ import annotations

import click
from flask.cli import AppGroup

from app.auth.roles import RoleError, revoke_by_email
from app.auth.service import GrantError, grant_role

users_cli = AppGroup("users", help="Manage users and their roles.")


@users_cli.command("grant")
@click.argument("email")
@click.argument("role")
@click.option("--council", "council_code", default=None, help="Council code for council roles.")
def grant_command(email: str, role: str, council_code: str | None) -> None:
    """Give EMAIL the ROLE (editor, council-admin, panel-member, funder, admin)."""
    try:
        membership = grant_role(email, role, council_code)
    except GrantError as error:
        raise click.ClickException(str(error)) from error
    where = f" for {membership.council.code}" if membership.council else ""
    click.echo(f"Granted {role}{where} to {email.strip().lower()}.")


@users_cli.command("revoke")
@click.argument("email")
@click.argument("role")
@click.option("--council", "council_code", default=None, help="Council code for council roles.")
def revoke_command(email: str, role: str, council_code: str | None) -> None:
    """Take the ROLE away from EMAIL; the registry's last admin keeps theirs."""
    try:
        revoke_by_email(email, role, council_code)
    except RoleError as error:
        raise click.ClickException(str(error)) from error
    where = f" for {council_code.upper()}" if council_code else ""
    click.echo(f"Revoked {role}{where} from {email.strip().lower()}.")
