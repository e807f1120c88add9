"""Email alerts' pages: sign up, confirm, manage (from a signed link or from /account), one-click
unsubscribe and the privacy notice. Signed links are the permission of the public routes that
change something: nothing in them can be guessed (see links.py)."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.alerts import service
from app.alerts.forms import ConfirmForm, ManageForm, SignUpForm
from app.alerts.links import LinkExpired, LinkInvalid, make_token
from app.alerts.models import SUBJECT_KINDS
from app.alerts.subjects import Subject, SubjectError, find_subject, subject_of
from app.auth import service as auth_service
from app.auth.permissions import PUBLIC, SIGNED_IN, requires
from app.extensions import csrf, limiter

bp = Blueprint("alerts", __name__)


def _sign_up_limit() -> str:
    return str(current_app.config["RATELIMIT_ALERT_SIGN_UPS"])


def _subject_from_args() -> Subject:
    given = [(kind, request.args[kind]) for kind in SUBJECT_KINDS if request.args.get(kind)]
    if len(given) != 1:
        abort(400, "Choose one pilot, council, pillar, programme or search to follow.")
    try:
        return find_subject(*given[0])
    except SubjectError as error:
        abort(400, str(error))


def _link_refused(error: LinkInvalid) -> Any:
    message = str(error)
    if isinstance(error, LinkExpired):
        message = "This confirmation link has expired (links last 7 days). Sign up again."
    return render_template("alerts/link-refused.html", message=message), 400


@bp.route("/alerts/new", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit(_sign_up_limit, methods=["POST"], error_message="Too many sign-ups. Try later.")
def new() -> Any:
    subject = _subject_from_args()
    form = SignUpForm()
    if form.validate_on_submit():
        try:
            service.sign_up(form.email.data or "", subject, form.frequency.data or "",
                            current_app.config["ALERTS_PER_ADDRESS"])  # fmt: skip
        except service.AlertInputError as error:
            form.email.errors = [*form.email.errors, str(error)]
        else:
            return redirect(url_for(".check_email"))
    status = 400 if request.method == "POST" else 200
    return render_template("alerts/new.html", form=form, subject=subject), status


@bp.get("/alerts/check-your-email")
def check_email() -> str:
    return render_template("alerts/check-email.html")


@bp.route("/alerts/confirm/<token>", methods=["GET", "POST"])
@requires(PUBLIC)
def confirm(token: str) -> Any:
    form = ConfirmForm()
    try:
        if form.validate_on_submit():
            address = service.confirm(token)
            flash(gettext("Your email alerts have started."))
            return redirect(url_for(".manage", token=make_token("manage", address)))
        address = service.address_to_confirm(token)
    except LinkInvalid as error:
        return _link_refused(error)
    waiting = [subject_of(a) for a in address.alerts if a.confirmed_at is None]
    return render_template("alerts/confirm.html", form=form, waiting=waiting)


@bp.route("/alerts/manage/<token>", methods=["GET", "POST"])
@requires(PUBLIC)
def manage(token: str) -> Any:
    try:
        address = service.address_to_manage(token)
    except LinkInvalid as error:
        return _link_refused(error)
    form = ManageForm()
    if form.validate_on_submit():
        try:
            done = _manage_action(address, form)
        except service.AlertInputError as error:
            abort(400, str(error))
        if done is not None:
            return done
        return redirect(url_for(".manage", token=token))
    alerts = [(alert, subject_of(alert)) for alert in address.alerts]
    page = make_response(render_template("alerts/manage.html", address=address, alerts=alerts,
                                         form=form))  # fmt: skip
    page.headers["Cache-Control"] = "private, no-store"  # it shows the address
    return page


def _manage_action(address: Any, form: ManageForm) -> Response | None:
    action, alert_id = form.action.data, (form.alert.data or "")
    if action == "stop-all":
        service.stop_all(address)
        return redirect(url_for(".stopped"))
    if not alert_id.isdigit():
        abort(400, "Choose an alert.")
    if action == "stop":
        if service.stop_alert(address, int(alert_id)):
            return redirect(url_for(".stopped"))
        flash(gettext("Alert stopped."))
    elif action == "frequency":
        service.change_frequency(address, int(alert_id), form.frequency.data or "")
        flash(gettext("Alert changed."))
    else:
        abort(400, "Choose stop or change.")
    return None


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click" with no session
@requires(PUBLIC)
def unsubscribe(token: str) -> Any:
    if request.method == "GET":  # a link scanner's GET must not unsubscribe anyone
        return render_template("alerts/unsubscribe.html", token=token)
    try:
        service.unsubscribe(token)
    except LinkInvalid as error:
        return _link_refused(error)
    return redirect(url_for(".stopped"))


@bp.get("/alerts/stopped")
def stopped() -> str:
    return render_template("alerts/stopped.html")


@bp.get("/alerts/mine")
@requires(SIGNED_IN)
def mine() -> Any:
    user = auth_service.current_user()
    address = service.address_of_user(user) if user else None
    if address is None:
        return render_template("alerts/none.html", user=user)
    return redirect(url_for(".manage", token=make_token("manage", address)))


@bp.get("/alerts/privacy")
def privacy() -> str:
    return render_template("alerts/privacy.html")
