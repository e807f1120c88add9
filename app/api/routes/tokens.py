"""A council's API tokens page (council admins): make one (shown once), see when each was last
used, revoke one at once."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from app.api import tokens
from app.api.forms import ApiTokenForm, RevokeTokenForm
from app.api.routes import bp
from app.auth import service as auth_service
from app.auth.memberships import can_admin_council
from app.auth.permissions import authorise, requires
from app.common.db_types import utcnow
from app.common.forms import add_errors
from app.councils import service as councils_service
from app.councils.models import Council


def _administered_council(code: str) -> Council:
    council = councils_service.council_by_code(code) if len(code) <= 10 else None
    if council is None:
        abort(404)
    authorise(can_admin_council(auth_service.current_user(), council.id))
    return council


def _page(
    council: Council, form: ApiTokenForm, status: int, secret: str = ""
) -> ResponseReturnValue:
    return render_template(
        "api/council-tokens.html",
        council=council,
        form=form,
        tokens=tokens.council_tokens(council),
        now=utcnow(),
        secret=secret,
        max_active=tokens.MAX_ACTIVE,
    ), status


@bp.route("/councils/<code>/api-tokens", methods=["GET", "POST"])
@requires("manage-api-tokens")
def council_tokens(code: str) -> ResponseReturnValue:
    council = _administered_council(code)
    form = ApiTokenForm()
    if form.validate_on_submit():
        try:
            made = tokens.create_token(
                council,
                form.name.data or "",
                list(form.scopes.data or []),
                int(form.days.data or 0),
                auth_service.current_user(),
            )
        except tokens.TokenError as error:
            add_errors(form, error.errors)
        else:
            # Shown on this answer only (never stored, never redirected to in an address).
            return _page(council, ApiTokenForm(formdata=None), 200, made.secret)
    return _page(council, form, 400 if form.errors else 200)


@bp.post("/councils/<code>/api-tokens/<id:token_id>/revoke")
@requires("manage-api-tokens")
def revoke(code: str, token_id: int) -> ResponseReturnValue:
    council = _administered_council(code)
    token = tokens.token_of_council(council, token_id)
    if token is None:
        abort(404)
    if RevokeTokenForm().validate_on_submit():
        tokens.revoke_token(token, auth_service.current_user())
        flash(gettext("The token %(name)s no longer works.", name=token.name))
    return redirect(url_for(".council_tokens", code=council.slug))
