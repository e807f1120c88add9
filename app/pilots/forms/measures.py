"""Success measures: the form that sets one, and the outcome report that gives each its value."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from app.common.forms import DecimalTextField, GovDateField, choices, clean_text, no_longer_than
from app.pilots.measures import MeasureData
from app.pilots.models import VERDICTS, SuccessMeasure
from app.pilots.results import MeasuredValue, OutcomeData


def _http_link(form: Any, field: StringField) -> None:
    if field.data and not field.data.startswith(("https://", "http://")):
        raise ValidationError(gettext("The evidence link must start with https:// or http://"))


def required_number(label: str, message: str, **kwargs: Any) -> DecimalTextField:
    return DecimalTextField(label, validators=[InputRequired(message)], **kwargs)


class MeasureForm(FlaskForm):
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the name of the measure")),
            no_longer_than(140, _l("The name")),
        ],
        description=_l("For example, share of repairs needing a second visit."),
    )
    method = TextAreaField(
        _l("What is measured, and how"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Say what is measured and how")),
            no_longer_than(2000, _l("The answer")),
        ],
        description=_l("The data source, who collects it and how often."),
    )
    unit = StringField(
        _l("Unit"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[no_longer_than(40, _l("The unit"))],
        description=_l("For example, %, days or £."),
    )
    baseline = DecimalTextField(_l("Baseline (optional)"), validators=[Optional()])
    target = required_number(_l("Target"), _l("Enter the target"))
    disproved_if = required_number(
        _l("Disproved if it reaches"),
        _l("Enter the value at which the hypothesis is disproved"),
        description=_l(
            "Set now, before the pilot runs: the value that would show the idea failed."
        ),
    )
    direction = RadioField(
        _l("Which is better?"),
        widget=GovRadioInput(),
        choices=choices([("higher", _l("Higher is better")), ("lower", _l("Lower is better"))]),
        validators=[InputRequired(_l("Choose whether higher or lower is better"))],
    )
    time_frame = StringField(
        _l("Time frame"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the time frame")),
            no_longer_than(200, _l("The time frame")),
        ],
        description=_l(
            "For example, the four months of the trial, against the same months last year."
        ),
    )
    kind = RadioField(
        _l("Type"),
        widget=GovRadioInput(),
        choices=choices(
            [
                ("primary", _l("Primary: decides the verdict")),
                ("secondary", _l("Secondary: reported, but does not decide the verdict")),
            ]
        ),
        validators=[InputRequired(_l("Choose primary or secondary"))],
    )
    submit = SubmitField(_l("Save measure"), widget=GovSubmitInput())

    def measure_data(self) -> MeasureData:
        return MeasureData(
            name=self.name.data,
            method=self.method.data,
            unit=self.unit.data or "",
            baseline=self.baseline.data,
            target=cast(Decimal, self.target.data),
            disproved_if=cast(Decimal, self.disproved_if.data),
            direction=self.direction.data,
            time_frame=self.time_frame.data,
            kind=self.kind.data,
        )


def verdict_field() -> RadioField:
    return RadioField(
        _l("Verdict"),
        widget=GovRadioInput(),
        choices=choices([(v, v.capitalize()) for v in VERDICTS]),
        validators=[Optional()],
    )


class ResultsForm(FlaskForm):
    narrative = TextAreaField(
        _l("What was learnt"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Say what was learnt")),
            no_longer_than(20000, _l("The narrative")),
        ],
    )
    advice = TextAreaField(
        _l("What others should know before trying it"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(10000, _l("The advice"))],
    )
    actual_end_date = GovDateField(
        _l("Actual end date"), validators=[InputRequired(_l("Enter the actual end date"))]
    )
    verdict = verdict_field()
    justification = TextAreaField(
        _l("Why the verdict differs from the one proposed (only if it does)"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(5000, _l("The justification"))],
    )
    preview = SubmitField(_l("Check the proposed verdict"), widget=GovSubmitInput())
    submit = SubmitField(_l("Conclude the pilot"), widget=GovSubmitInput())

    def outcome_data(self, measures: list[SuccessMeasure]) -> OutcomeData:
        """What was entered, with the value, date and evidence of each measure."""
        return OutcomeData(
            values=[
                MeasuredValue(
                    m,
                    self[f"value_{m.id}"].data,
                    self[f"on_{m.id}"].data,
                    self[f"url_{m.id}"].data or "",
                    self[f"evidence_{m.id}"].data or "",
                )
                for m in measures
            ],
            narrative=self.narrative.data,
            advice=self.advice.data or "",
            verdict=self.verdict.data or "",
            justification=self.justification.data or "",
            actual_end_date=self.actual_end_date.data,
        )


def results_form_for(measures: list[SuccessMeasure], **kwargs: Any) -> ResultsForm:
    """The results form with a value, date and evidence for each measure."""
    fields: dict[str, Any] = {}
    for m in measures:
        value_label = (
            gettext("%(measure)s: measured value (%(unit)s)", measure=m.name, unit=m.unit)
            if m.unit
            else gettext("%(measure)s: measured value", measure=m.name)
        )
        fields[f"value_{m.id}"] = DecimalTextField(value_label, validators=[Optional()])
        fields[f"on_{m.id}"] = GovDateField(gettext("%(measure)s: date measured", measure=m.name))
        fields[f"url_{m.id}"] = StringField(
            gettext("%(measure)s: link to the evidence", measure=m.name),
            widget=GovTextInput(),
            filters=[clean_text],
            validators=[Optional(), no_longer_than(500, gettext("The link")), _http_link],
        )
        fields[f"evidence_{m.id}"] = TextAreaField(
            gettext("%(measure)s: what the evidence is", measure=m.name),
            widget=GovTextArea(),
            filters=[clean_text],
            validators=[no_longer_than(2000, gettext("The description"))],
        )
    form_class = type("MeasuresResultsForm", (ResultsForm,), fields)
    return form_class(**kwargs)  # type: ignore[no-any-return]
