"""Forms for the prove/disprove tracker: measures, transitions, amendments, results, updates."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

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
            raise ValueError(
                gettext("%(field)s must be a number, like 22 or 3.5", field=self.label.text)
            ) from None
        if not value.is_finite() or abs(value) >= LIMIT:
            self.data = None
            raise ValueError(
                gettext("%(field)s must be a number under 100 billion", field=self.label.text)
            )
        self.data = value.quantize(Decimal("0.0001"))

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format(self.data.normalize(), "f")


def _http_link(form: Any, field: StringField) -> None:
    if field.data and not field.data.startswith(("https://", "http://")):
        raise ValidationError(gettext("The evidence link must start with https:// or http://"))


def _required_number(label: str, message: str, **kwargs: Any) -> NumberField:
    return NumberField(label, validators=[InputRequired(message)], **kwargs)


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
    baseline = NumberField(_l("Baseline (optional)"), validators=[Optional()])
    target = _required_number(_l("Target"), _l("Enter the target"))
    disproved_if = _required_number(
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
    """A button that posts a transition with no other input (start)."""

    submit = SubmitField(_l("Mark as started"), widget=GovSubmitInput())


def _verdict_field() -> RadioField:
    return RadioField(
        _l("Verdict"),
        widget=GovRadioInput(),
        choices=choices([(v, v.capitalize()) for v in VERDICTS]),
        validators=[Optional()],
    )


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
    verdict = _verdict_field()
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


def amend_form_for(measures: list[SuccessMeasure], **kwargs: Any) -> AmendForm:
    """The amendment form with a target and threshold box for each frozen primary measure."""
    fields: dict[str, Any] = {}
    for m in measures:
        fields[f"target_{m.id}"] = _required_number(
            gettext("%(measure)s: target", measure=m.name), gettext("Enter the target")
        )
        fields[f"threshold_{m.id}"] = _required_number(
            gettext("%(measure)s: disproved if it reaches", measure=m.name),
            gettext("Enter the disproved-if value"),
        )
    form_class = type("MeasuresAmendForm", (AmendForm,), fields)
    return form_class(**kwargs)  # type: ignore[no-any-return]


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
    verdict = _verdict_field()
    justification = TextAreaField(
        _l("Why the verdict differs from the one proposed (only if it does)"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(5000, _l("The justification"))],
    )
    preview = SubmitField(_l("Check the proposed verdict"), widget=GovSubmitInput())
    submit = SubmitField(_l("Conclude the pilot"), widget=GovSubmitInput())


def results_form_for(measures: list[SuccessMeasure], **kwargs: Any) -> ResultsForm:
    """The results form with a value, date and evidence for each measure."""
    fields: dict[str, Any] = {}
    for m in measures:
        value_label = (
            gettext("%(measure)s: measured value (%(unit)s)", measure=m.name, unit=m.unit)
            if m.unit
            else gettext("%(measure)s: measured value", measure=m.name)
        )
        fields[f"value_{m.id}"] = NumberField(value_label, validators=[Optional()])
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


class UpdateForm(FlaskForm):
    on = GovDateField(_l("Date"), validators=[InputRequired(_l("Enter the date of the update"))])
    text = TextAreaField(
        _l("Update"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired(_l("Write the update")), no_longer_than(1000, _l("The update"))],
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
