from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.auth import service
from app.auth.forms import DevSignInForm, SignOutForm
from app.auth.permissions import PUBLIC, requires
from app.auth.redirects import safe_next
from app.common.forms import choices

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.get("/sign-in")
def sign_in() -> str:
    return render_template(
        "auth/sign-in.html",
        providers=current_app.config["AUTH_PROVIDERS"],
        dev_enabled=current_app.config["APP_ENV"] == "development",
        next_path=safe_next(request.args.get("next")),
    )


@bp.post("/sign-out")
@requires(PUBLIC)
def sign_out() -> Response:
    form = SignOutForm()
    if not form.validate_on_submit():
        abort(400)
    service.sign_out()
    flash("You have signed out.")
    return redirect(url_for("content.home"))


@bp.route("/dev", methods=["GET", "POST"])
@requires(PUBLIC)
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
        flash(f"Signed in as {user.display_name}.")
        return redirect(safe_next(request.args.get("next")))
    return render_template("auth/dev-sign-in.html", form=form)
