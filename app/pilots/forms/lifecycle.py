"""Changing a pilot's course: start, stop or withdraw it, amend what registration froze, post a
progress update, approve a later report date."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from app.common.forms import GovDateField, choices, clean_text, no_longer_than
from app.pilots.forms.measures import required_number, verdict_field
from app.pilots.forms.pilot import EVALUATION_DESIGNS
from app.pilots.history import AmendmentData
from app.pilots.models import Pilot, SuccessMeasure


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired(_l("Give the reason")), no_longer_than(3000, _l("The reason"))],
        description=_l("Shown publicly on the pilot's page."),
    )
    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that posts an action with no other input (removing a measure)."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class StartForm(FlaskForm):
    """Mark as started: the day it actually started (today unless changed)."""

    started_on = GovDateField(
        _l("When did the pilot start?"),
        description=_l(
            "The day it began working with residents or staff, for example 27 3 2026. This "
            "becomes its start date, shown publicly."
        ),
        validators=[InputRequired(_l("Enter the date the pilot started"))],
    )
    submit = SubmitField(_l("Mark as started"), widget=GovSubmitInput())


class AmendForm(FlaskForm):
    hypothesis = TextAreaField(
        _l("Hypothesis"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the hypothesis")),
            no_longer_than(3000, _l("The hypothesis")),
        ],
    )
    planned_end_date = GovDateField(
        _l("Planned end date"), validators=[InputRequired(_l("Enter the planned end date"))]
    )
    evaluation_design = RadioField(
        _l("Evaluation design"),
        widget=GovRadioInput(),
        choices=choices(EVALUATION_DESIGNS),
        validators=[Optional()],
    )
    verdict = verdict_field()
    reason = TextAreaField(
        _l("Reason for the amendment"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Give the reason for the amendment")),
            no_longer_than(3000, _l("The reason")),
        ],
        description=_l("Shown publicly in the pilot's history beside the change."),
    )
    submit = SubmitField(_l("Make the amendment"), widget=GovSubmitInput())

    def amendment_data(self, measures: list[SuccessMeasure]) -> AmendmentData:
        return AmendmentData(
            reason=self.reason.data,
            hypothesis=self.hypothesis.data,
            planned_end_date=self.planned_end_date.data,
            evaluation_design=int(self.evaluation_design.data)
            if self.evaluation_design.data
            else None,
            verdict=self.verdict.data or None,
            thresholds={
                m.id: (self[f"target_{m.id}"].data, self[f"threshold_{m.id}"].data)
                for m in measures
            },
        )


def amend_form_for(pilot: Pilot, measures: list[SuccessMeasure], filled: bool) -> AmendForm:
    """The amendment form with a target and threshold box for each frozen primary measure,
    starting from the pilot's frozen values unless `filled` (a submission) says otherwise."""
    fields: dict[str, Any] = {}
    for m in measures:
        fields[f"target_{m.id}"] = required_number(
            gettext("%(measure)s: target", measure=m.name), gettext("Enter the target")
        )
        fields[f"threshold_{m.id}"] = required_number(
            gettext("%(measure)s: disproved if it reaches", measure=m.name),
            gettext("Enter the disproved-if value"),
        )
    form_class = type("MeasuresAmendForm", (AmendForm,), fields)
    if filled:
        return form_class()  # type: ignore[no-any-return]
    initial: dict[str, Any] = {
        "hypothesis": pilot.hypothesis,
        "planned_end_date": pilot.planned_end_date,
        "evaluation_design": str(pilot.evaluation_design) if pilot.evaluation_design else None,
        "verdict": pilot.verdict,
    }
    for m in measures:
        initial[f"target_{m.id}"], initial[f"threshold_{m.id}"] = m.target, m.disproved_if
    return form_class(data=initial)  # type: ignore[no-any-return]


class UpdateForm(FlaskForm):
    on = GovDateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the update"))])
    text = TextAreaField(
        _l("Update"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired(_l("Write the update")), no_longer_than(1000, _l("The update"))],
        description=_l(
            "Shown publicly on the pilot's page. You can use Markdown: **bold**, a line starting "
            "with - for a list, and [words](https://…) for a link."
        ),
    )
    submit = SubmitField(_l("Post update"), widget=GovSubmitInput())


class ExtensionForm(FlaskForm):
    due_date = GovDateField(
        _l("New due date"), validators=[InputRequired(_l("Enter the new due date"))]
    )
    reason = TextAreaField(
        _l("Reason"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Give the reason for the extension")),
            no_longer_than(3000, _l("The reason")),
        ],
    )
    submit = SubmitField(_l("Approve the extension"), widget=GovSubmitInput())
