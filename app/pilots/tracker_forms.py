"""Forms for the prove/disprove tracker: measures, transitions, amendments, results, updates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from app.common.forms import GovDateField, choices, clean_text, no_longer_than
from app.pilots.forms import EVALUATION_DESIGNS
from app.pilots.models import VERDICTS, SuccessMeasure

LIMIT = Decimal("100000000000")


class NumberField(StringField):
    """A number typed as text; kept to four decimal places."""

    widget = GovTextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = clean_text(valuelist[0]).replace(",", "") if valuelist else ""
        self.raw_data = [raw]
        if not raw:
            self.data = None
            return
        try:
            value = Decimal(raw.rstrip("%"))
        except InvalidOperation:
            self.data = None
            raise ValueError(f"{self.label.text} must be a number, like 22 or 3.5") from None
        if not value.is_finite() or abs(value) >= LIMIT:
            self.data = None
            raise ValueError(f"{self.label.text} must be a number under 100 billion")
        self.data = value.quantize(Decimal("0.0001"))

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format(self.data.normalize(), "f")


def _http_link(form: Any, field: StringField) -> None:
    if field.data and not field.data.startswith(("https://", "http://")):
        raise ValidationError("The evidence link must start with https:// or http://")


def _required_number(label: str, message: str, **kwargs: Any) -> NumberField:
    return NumberField(label, validators=[InputRequired(message)], **kwargs)


class MeasureForm(FlaskForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter the name of the measure"), no_longer_than(140, "The name")],
        description="For example, share of repairs needing a second visit.",
    )
    method = TextAreaField(
        "What is measured, and how",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired("Say what is measured and how"),
            no_longer_than(2000, "The answer"),
        ],
        description="The data source, who collects it and how often.",
    )
    unit = StringField(
        "Unit",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[no_longer_than(40, "The unit")],
        description="For example, %, days or £.",
    )
    baseline = NumberField("Baseline (optional)", validators=[Optional()])
    target = _required_number("Target", "Enter the target")
    disproved_if = _required_number(
        "Disproved if it reaches",
        "Enter the value at which the hypothesis is disproved",
        description="Set now, before the pilot runs: the value that would show the idea failed.",
    )
    direction = RadioField(
        "Which is better?",
        widget=GovRadioInput(),
        choices=choices([("higher", "Higher is better"), ("lower", "Lower is better")]),
        validators=[InputRequired("Choose whether higher or lower is better")],
    )
    time_frame = StringField(
        "Time frame",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter the time frame"), no_longer_than(200, "The time frame")],
        description="For example, the four months of the trial, against the same months last year.",
    )
    kind = RadioField(
        "Type",
        widget=GovRadioInput(),
        choices=choices(
            [
                ("primary", "Primary: decides the verdict"),
                ("secondary", "Secondary: reported, but does not decide the verdict"),
            ]
        ),
        validators=[InputRequired("Choose primary or secondary")],
    )
    submit = SubmitField("Save measure", widget=GovSubmitInput())


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Give the reason"), no_longer_than(3000, "The reason")],
        description="Shown publicly on the pilot's page.",
    )
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    """A button that posts a transition with no other input (start)."""

    submit = SubmitField("Mark as started", widget=GovSubmitInput())


def _verdict_field() -> RadioField:
    return RadioField(
        "Verdict",
        widget=GovRadioInput(),
        choices=choices([(v, v.capitalize()) for v in VERDICTS]),
        validators=[Optional()],
    )


class AmendForm(FlaskForm):
    hypothesis = TextAreaField(
        "Hypothesis",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Enter the hypothesis"), no_longer_than(3000, "The hypothesis")],
    )
    planned_end_date = GovDateField(
        "Planned end date", validators=[InputRequired("Enter the planned end date")]
    )
    evaluation_design = RadioField(
        "Evaluation design",
        widget=GovRadioInput(),
        choices=choices(EVALUATION_DESIGNS),
        validators=[Optional()],
    )
    verdict = _verdict_field()
    reason = TextAreaField(
        "Reason for the amendment",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired("Give the reason for the amendment"),
            no_longer_than(3000, "The reason"),
        ],
        description="Shown publicly in the pilot's history beside the change.",
    )
    submit = SubmitField("Make the amendment", widget=GovSubmitInput())


def amend_form_for(measures: list[SuccessMeasure], **kwargs: Any) -> AmendForm:
    """The amendment form with a target and threshold box for each frozen primary measure."""
    fields: dict[str, Any] = {}
    for m in measures:
        fields[f"target_{m.id}"] = _required_number(f"{m.name}: target", "Enter the target")
        fields[f"threshold_{m.id}"] = _required_number(
            f"{m.name}: disproved if it reaches", "Enter the disproved-if value"
        )
    form_class = type("MeasuresAmendForm", (AmendForm,), fields)
    return form_class(**kwargs)  # type: ignore[no-any-return]


class ResultsForm(FlaskForm):
    narrative = TextAreaField(
        "What was learnt",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Say what was learnt"), no_longer_than(20000, "The narrative")],
    )
    advice = TextAreaField(
        "What others should know before trying it",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(10000, "The advice")],
    )
    actual_end_date = GovDateField(
        "Actual end date", validators=[InputRequired("Enter the actual end date")]
    )
    verdict = _verdict_field()
    justification = TextAreaField(
        "Why the verdict differs from the one proposed (only if it does)",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(5000, "The justification")],
    )
    preview = SubmitField("Check the proposed verdict", widget=GovSubmitInput())
    submit = SubmitField("Conclude the pilot", widget=GovSubmitInput())


def results_form_for(measures: list[SuccessMeasure], **kwargs: Any) -> ResultsForm:
    """The results form with a value, date and evidence for each measure."""
    fields: dict[str, Any] = {}
    for m in measures:
        unit = f" ({m.unit})" if m.unit else ""
        fields[f"value_{m.id}"] = NumberField(
            f"{m.name}: measured value{unit}", validators=[Optional()]
        )
        fields[f"on_{m.id}"] = GovDateField(f"{m.name}: date measured")
        fields[f"url_{m.id}"] = StringField(
            f"{m.name}: link to the evidence",
            widget=GovTextInput(),
            filters=[clean_text],
            validators=[Optional(), no_longer_than(500, "The link"), _http_link],
        )
        fields[f"evidence_{m.id}"] = TextAreaField(
            f"{m.name}: what the evidence is",
            widget=GovTextArea(),
            filters=[clean_text],
            validators=[no_longer_than(2000, "The description")],
        )
    form_class = type("MeasuresResultsForm", (ResultsForm,), fields)
    return form_class(**kwargs)  # type: ignore[no-any-return]


class UpdateForm(FlaskForm):
    on = GovDateField("Date", validators=[InputRequired("Enter the date of the update")])
    text = TextAreaField(
        "Update",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Write the update"), no_longer_than(1000, "The update")],
    )
    submit = SubmitField("Post update", widget=GovSubmitInput())


class ExtensionForm(FlaskForm):
    due_date = GovDateField("New due date", validators=[InputRequired("Enter the new due date")])
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired("Give the reason for the extension"),
            no_longer_than(3000, "The reason"),
        ],
    )
    submit = SubmitField("Approve the extension", widget=GovSubmitInput())
