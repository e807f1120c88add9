from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.auth import oidc, service
from app.auth.forms import DevSignInForm, SignOutForm
from app.auth.permissions import PUBLIC, requires
from app.auth.rate_limits import dev_sign_in_limit, sign_in_limit
from app.auth.redirects import safe_next
from app.common.forms import choices
from app.common.web import render_error

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.get("/sign-in")
def sign_in() -> str:
    return render_template(
        "auth/sign-in.html",
        providers=current_app.config["AUTH_PROVIDERS"],
        dev_enabled=current_app.config["APP_ENV"] == "development",
        next_path=safe_next(request.args.get("next")),
    )


@bp.route("/sign-in/<provider>", methods=["GET", "POST"])
@requires(PUBLIC)
@sign_in_limit
def start(provider: str) -> Response | tuple[str, int]:
    settings = oidc.provider_settings(provider)
    if settings is None:
        abort(404)
    next_path = safe_next(request.values.get("next"))
    try:
        return redirect(oidc.begin_sign_in(provider, settings, next_path))
    except oidc.SignInError as error:
        return render_error(503, str(error))


@bp.get("/callback/<provider>")
@sign_in_limit
def callback(provider: str) -> Response | tuple[str, int]:
    settings = oidc.provider_settings(provider)
    if settings is None:
        abort(404)
    try:
        identity, next_path = oidc.finish_sign_in(provider, settings, request.args.to_dict())
    except oidc.SignInError as error:
        return render_error(400, str(error))
    user = service.user_from_identity(identity)
    service.sign_in(user)
    flash(gettext("Signed in as %(name)s.", name=user.display_name))
    return redirect(safe_next(next_path))


@bp.post("/sign-out")
@requires(PUBLIC)
def sign_out() -> Response:
    form = SignOutForm()
    if not form.validate_on_submit():
        abort(400)
    service.sign_out()
    flash(gettext("You have signed out."))
    return redirect(url_for("content.home"))


@bp.route("/dev", methods=["GET", "POST"])
@requires(PUBLIC)
@dev_sign_in_limit
def dev_sign_in() -> str | Response:
    # The development sign-in exists only in development: 404 elsewhere, as if never routed.
    if current_app.config["APP_ENV"] != "development":
        abort(404)
    form = DevSignInForm()
    form.user_id.choices = choices((u.id, label) for u, label in service.demo_users())
    if form.validate_on_submit():
        user = service.demo_user(form.user_id.data)
        if user is None:
            abort(400)
        service.sign_in(user)
        flash(gettext("Signed in as %(name)s.", name=user.display_name))
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/dev-sign-in.html", form=form)


@bp.before_app_request
def _load_signed_in_user() -> None:
    # Look the session up before any view runs, so its last-seen time is written (and committed)
    # before the view starts its own transaction.
    # Feeds and exports are the same for everyone: reading the session there would add
    # "Vary: Cookie" and split shared caches by cookie.
    if request.endpoint != "static" and request.blueprint not in ("feeds", "exports"):
        service.current_user()
