"""Residents' priorities on the web: a consultation's page and its answer form (anyone, without
an account), and its council's staff setting it up, opening and closing it, entering answers
taken offline and moderating comments. Counts appear only once it is closed."""

from __future__ import annotations

import secrets
from typing import Any, NoReturn

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from app.auth import service as auth_service
from app.auth.permissions import PUBLIC, authorise, requires
from app.choosing import answers, consultations, moderation
from app.choosing.consultation_forms import (
    ActionForm,
    ConsultationForm,
    ModerationForm,
    answer_form,
)
from app.choosing.consultation_results import (
    CHANNEL_NAMES,
    ConsultationResults,
    published_results,
)
from app.choosing.models.consultations import Consultation
from app.common.db_types import utcnow
from app.common.figures.charts import bar_chart
from app.common.figures.tables import Column, Table, cell_text, table_csv_lines
from app.common.forms import add_errors
from app.councils.models import Council
from app.councils.service import council_by_code
from app.extensions import limiter

bp = Blueprint("consultations", __name__)
ANSWERING_BROWSER = "consultation_browser"
# Per address, on top of every form's limits: a household or a library shares one address, so
# this allows a few dozen answers an hour while stopping a script from stuffing the count.
ANSWERS_PER_ADDRESS = "30 per hour"
# The service names the options as a whole; the form shows it on the first list of them.
OPTION_ERRORS = {"options": "service_areas"}
TOO_MANY_ANSWERS = "Too many answers have come from your connection. Try again in an hour."


def _answers_limit() -> str:
    return str(current_app.config.get("RATELIMIT_CONSULTATION_ANSWERS") or ANSWERS_PER_ADDRESS)


def _expired_form() -> NoReturn:
    abort(400, "The form had expired. Go back and try again.")


def _council_or_404(code: str) -> Council:
    found = council_by_code(code) if len(code) <= 10 else None
    if found is None:
        abort(404)
    return found


def _consultation_or_404(consultation_id: int) -> Consultation:
    found = consultations.visible_consultation(consultation_id, auth_service.current_user())
    if found is None:
        abort(404)
    return found


def _editable(consultation_id: int) -> Consultation:
    found = _consultation_or_404(consultation_id)
    authorise(consultations.can_edit_consultations(auth_service.current_user(), found.council_id))
    return found


def _form_page(template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    return render_template(f"choosing/{template}", **context), status


@bp.route("/councils/<code>/consultations/new", methods=["GET", "POST"])
@requires("edit-consultation")
def new_consultation(code: str) -> ResponseReturnValue:
    council = _council_or_404(code)
    user = auth_service.current_user()
    authorise(consultations.can_edit_consultations(user, council.id))
    form = ConsultationForm()
    form.prepare(consultations.council_ideas(council))
    if form.validate_on_submit() and user is not None:
        try:
            saved = consultations.save_consultation(council, form.consultation_data(), user)
        except consultations.ConsultationError as error:
            add_errors(form, error.errors, OPTION_ERRORS)
        else:
            flash(gettext("Draft consultation saved. Open it when it is ready for answers."))
            return redirect(url_for(".show", consultation_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return _form_page("consultation-form.html", status, form=form, council=council, found=None)


@bp.route("/consultations/<id:consultation_id>/edit", methods=["GET", "POST"])
@requires("edit-consultation")
def edit_consultation(consultation_id: int) -> ResponseReturnValue:
    found = _editable(consultation_id)
    if found.status != "draft":
        abort(400, "Only a draft consultation can be changed.")
    user = auth_service.current_user()
    form = ConsultationForm()
    form.prepare(consultations.council_ideas(found.council))
    if request.method == "GET":
        form.fill_from(found)
    elif form.validate_on_submit() and user is not None:
        try:
            consultations.save_consultation(found.council, form.consultation_data(), user, found)
        except consultations.ConsultationError as error:
            add_errors(form, error.errors, OPTION_ERRORS)
        else:
            flash(gettext("Your changes have been saved."))
            return redirect(url_for(".show", consultation_id=found.id))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "council": found.council, "found": found}
    return _form_page("consultation-form.html", status, **context)


@bp.post("/consultations/<id:consultation_id>/<any(open, close):action>")
@requires("edit-consultation")
def change_state(consultation_id: int, action: str) -> Response:
    found = _editable(consultation_id)
    user = auth_service.current_user()
    if not ActionForm().validate_on_submit() or user is None:
        _expired_form()
    change = (
        consultations.open_consultation if action == "open" else consultations.close_consultation
    )
    try:
        change(found, user)
    except consultations.ConsultationError as error:
        abort(400, str(error) + ".")
    if action == "open":
        flash(gettext("The consultation is open for answers."))
    else:
        flash(gettext("The consultation is closed and its results are published."))
    return redirect(url_for(".show", consultation_id=found.id))


TABLE_KEYS = ("by-option", "by-channel")


def _results_tables(found: Consultation, results: ConsultationResults) -> dict[str, Table]:
    """The published counts as tables: one definition for the page, the chart and the CSV."""
    channels = [Column(c, CHANNEL_NAMES[c], "count") for c in CHANNEL_NAMES]
    columns = [
        Column("option", gettext("Option")),
        *channels,
        Column("total", gettext("Total"), "count"),
    ]
    if results.ranked:
        columns += [
            Column("first_places", gettext("Ranked first"), "count"),
            Column("points", gettext("Points"), "count"),
        ]
    by_option = Table(
        "by-option",
        gettext("Answers choosing each option"),
        columns,
        [
            [o.label, *(o.by_channel[c] for c in CHANNEL_NAMES), o.total]
            + ([o.first_places, o.points] if results.ranked else [])
            for o in results.options
        ],
    )
    by_channel = Table(
        "by-channel",
        gettext("Answers by how they were given"),
        [Column("channel", gettext("How")), Column("answers", gettext("Answers"), "count")],
        [[CHANNEL_NAMES[c], n] for c, n in results.answers_by_channel.items()],
        total=[gettext("All answers"), results.answers],
    )
    return {"by-option": by_option, "by-channel": by_channel}


def _page(found: Consultation, form: Any = None, status: int = 200) -> ResponseReturnValue:
    user = auth_service.current_user()
    results = published_results(found)
    tables = _results_tables(found, results) if results else {}
    may_edit = consultations.can_edit_consultations(user, found.council_id)
    answered = answers.already_answered(found, session.get(ANSWERING_BROWSER))
    if form is None and found.status == "open" and not answered:
        form = answer_form(found)
    return _form_page(
        "consultation.html",
        status,
        consultation=found,
        form=form,
        answered=answered,
        results=results,
        tables=tables,
        chart=bar_chart(tables["by-option"], "option", ["total"], tables["by-option"].caption)
        if tables
        else None,
        cell_text=cell_text,
        comments=moderation.published_comments(found),
        may_edit=may_edit,
        may_moderate=consultations.can_moderate_comments(user, found.council_id),
        entered_by_you=answers.answers_entered_by(found, user) if may_edit else 0,
        today=utcnow().date(),
    )


@bp.get("/consultations/<id:consultation_id>")
def show(consultation_id: int) -> ResponseReturnValue:
    return _page(_consultation_or_404(consultation_id))


@bp.post("/consultations/<id:consultation_id>/answer")
@requires(PUBLIC)
@limiter.limit(_answers_limit, key_func=get_remote_address, error_message=TOO_MANY_ANSWERS)
def answer(consultation_id: int) -> ResponseReturnValue:
    found = _consultation_or_404(consultation_id)
    if found.status != "open":
        abort(400, "This consultation is not taking answers.")
    form = answer_form(found)
    if not form.validate_on_submit():
        return _page(found, form, 400)
    token = session.setdefault(ANSWERING_BROWSER, secrets.token_hex(16))
    try:
        answers.answer_online(found, form.answer_data(), token)
    except answers.AnswerError as error:
        _add_answer_errors(form, error.errors)
        return _page(found, form, 400)
    flash(gettext("Thank you: your answer has been recorded."))
    return redirect(url_for(".show", consultation_id=found.id))


def _add_answer_errors(form: Any, errors: dict[str, str]) -> None:
    # A ranked form has a field per place: the error goes on the first.
    first = form.choice_fields()[0]
    if "choices" in errors:
        first.errors = [*first.errors, errors.pop("choices")]
    add_errors(form, errors)


@bp.route("/consultations/<id:consultation_id>/answers/new", methods=["GET", "POST"])
@requires("enter-offline-answers")
def enter_answer(consultation_id: int) -> ResponseReturnValue:
    found = _editable(consultation_id)
    user = auth_service.current_user()
    if found.status != "open":
        abort(400, "Answers can be entered only while the consultation is open.")
    form = answer_form(found, offline=True)
    if form.validate_on_submit() and user is not None:
        try:
            answers.enter_offline_answer(found, form.answer_data(), form.channel.data, user)
        except answers.AnswerError as error:
            _add_answer_errors(form, error.errors)
        else:
            flash(gettext("Answer saved. Enter the next one, or go back to the consultation."))
            return redirect(url_for(".enter_answer", consultation_id=found.id))
    status = 400 if request.method == "POST" else 200
    return _form_page(
        "offline-answer-form.html", status, consultation=found, form=form,
        entered_by_you=answers.answers_entered_by(found, user),
    )  # fmt: skip


def _moderatable(consultation_id: int) -> Consultation:
    found = _consultation_or_404(consultation_id)
    authorise(consultations.can_moderate_comments(auth_service.current_user(), found.council_id))
    return found


@bp.get("/consultations/<id:consultation_id>/comments")
@requires("moderate-comments")
def comments(consultation_id: int) -> ResponseReturnValue:
    found = _moderatable(consultation_id)
    return _form_page(
        "comments.html", consultation=found, answers=moderation.comments_to_moderate(found),
        form=ModerationForm(),
    )  # fmt: skip


@bp.post("/consultations/<id:consultation_id>/comments/<id:answer_id>")
@requires("moderate-comments")
def moderate(consultation_id: int, answer_id: int) -> Response:
    found = _moderatable(consultation_id)
    user = auth_service.current_user()
    form = ModerationForm()
    if not form.validate_on_submit() or user is None:
        abort(400, "Choose whether to approve or hide the comment.")
    try:
        moderation.moderate_comment(found, answer_id, form.decision.data, user)
    except moderation.ModerationError as error:
        abort(400, str(error) + ".")
    flash(
        gettext("Comment approved.")
        if form.decision.data == "approve"
        else gettext("Comment hidden.")
    )
    return redirect(url_for(".comments", consultation_id=found.id))


@bp.get("/consultations/<id:consultation_id>/results.csv")
def results_csv(consultation_id: int) -> Response:
    found = _consultation_or_404(consultation_id)
    results = published_results(found)
    if results is None:
        abort(404, "The results are published when the consultation closes.")
    key = request.args.get("table", "by-option")
    if key not in TABLE_KEYS:
        abort(400, "Choose a table: by-option or by-channel.")
    table = _results_tables(found, results)[key]
    name = f"consultation-{found.id}-{table.key}"
    return Response(
        stream_with_context(table_csv_lines(table)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
