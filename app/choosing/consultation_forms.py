"""Forms for residents' priorities: setting up a consultation, answering it (online, or entered
by staff with its channel), and moderating a comment."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.choosing.answers import MAX_COMMENT, AnswerData
from app.choosing.consultations import SERVICE_AREAS, ConsultationData
from app.choosing.models.consultations import Consultation
from app.choosing.models.ideas import Idea
from app.common.forms import (
    GovDateField,
    ListedChoiceField,
    ListedMultipleChoiceField,
    choices,
    clean_text,
    no_longer_than,
)

CHANNEL_CHOICES = (
    ("paper", _l("On paper")),
    ("phone", _l("By phone")),
    ("in-person", _l("In person")),
)


class WholeNumberField(IntegerField):
    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata([clean_text(v) for v in valuelist])
        except ValueError:
            raise ValueError(
                gettext("%(field)s must be a whole number, like 3", field=self.label.text)
            ) from None


class ConsultationForm(FlaskForm):
    """A consultation: the question, its options (service areas, other words, ideas), how people
    answer, and when it closes."""

    question = StringField(
        _l("Question"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the question")),
            no_longer_than(300, _l("The question")),
        ],
        description=_l("Like 'Which services should we improve first?'"),
    )
    description = TextAreaField(
        _l("More about the consultation (optional)"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(3000, _l("The description"))],
    )
    service_areas = ListedMultipleChoiceField(
        _l("Service areas people can choose"),
        widget=GovCheckboxesInput(),
        choices=choices((area, area) for area in SERVICE_AREAS),
        invalid_message=_l("Choose service areas from the list"),
        description=_l("The same names across councils let the registry compare answers."),
    )
    other_options = TextAreaField(
        _l("Other options (optional)"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(4000, _l("The other options"))],
        description=_l("One on each line."),
    )
    ideas = ListedMultipleChoiceField(
        _l("Your council's ideas people can choose (optional)"),
        widget=GovCheckboxesInput(),
        coerce=int,
        invalid_message=_l("Choose ideas from the list of your council's ideas"),
        description=_l("Opening the consultation publishes the ideas in it."),
    )
    answer_mode = RadioField(
        _l("How people answer"),
        widget=GovRadioInput(),
        choices=choices([("pick", _l("Pick options")), ("rank", _l("Rank options in order"))]),
        default="pick",
        validators=[InputRequired(_l("Choose whether people pick options or rank them"))],
    )
    max_choices = WholeNumberField(
        _l("How many options each person may pick or rank"),
        widget=GovTextInput(),
        default=1,
        validators=[
            InputRequired(_l("Enter how many options each person may pick or rank")),
            NumberRange(1, 20, _l("The number of choices must be between 1 and 20")),
        ],
    )
    closes_on = GovDateField(
        _l("Closing date"), validators=[InputRequired(_l("Enter the closing date"))]
    )
    submit = SubmitField(_l("Save consultation"), widget=GovSubmitInput())

    def prepare(self, ideas: list[Idea]) -> None:
        self.ideas.choices = choices((idea.id, idea.title) for idea in ideas)

    def fill_from(self, consultation: Consultation) -> None:
        self.question.data = consultation.question
        self.description.data = consultation.description
        self.answer_mode.data = consultation.answer_mode
        self.max_choices.data = consultation.max_choices
        self.closes_on.data = consultation.closes_on
        labels = [o.label for o in consultation.options if o.idea_id is None]
        self.service_areas.data = [label for label in labels if label in SERVICE_AREAS]
        self.other_options.data = "\n".join(lb for lb in labels if lb not in SERVICE_AREAS)
        self.ideas.data = [o.idea_id for o in consultation.options if o.idea_id is not None]

    def consultation_data(self) -> ConsultationData:
        others = (self.other_options.data or "").splitlines()
        return ConsultationData(
            question=self.question.data,
            description=self.description.data or "",
            answer_mode=self.answer_mode.data,
            max_choices=self.max_choices.data,
            closes_on=self.closes_on.data or date.min,
            option_labels=[*(self.service_areas.data or []), *others],
            idea_ids=list(self.ideas.data or []),
        )


class ActionForm(FlaskForm):
    """A button that posts a change with nothing else to enter (open, close)."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class ModerationForm(FlaskForm):
    decision = ListedChoiceField(
        _l("Decision"),
        choices=choices([("approve", _l("Approve")), ("hide", _l("Hide"))]),
        invalid_message=_l("Choose whether to approve or hide the comment"),
    )


def _ordinal(place: int) -> str:
    names = {1: _l("First choice"), 2: _l("Second choice"), 3: _l("Third choice")}
    return str(names.get(place) or gettext("Choice %(place)s", place=place))


def answer_form(consultation: Consultation, offline: bool = False, **kwargs: Any) -> Any:
    """The answer form for this consultation: checkboxes (or radios for one choice) to pick,
    a select per place to rank; with the channel when staff enter it."""
    options = [(str(o.id), o.label) for o in consultation.options]
    listed = choices(options)

    class AnswerForm(FlaskForm):
        comment = TextAreaField(
            _l("Anything else you want to tell the council (optional)"),
            widget=GovTextArea(),
            filters=[clean_text],
            validators=[no_longer_than(MAX_COMMENT, _l("Your comment"))],
            description=_l("The council reads every comment and publishes those it approves."),
        )
        submit = SubmitField(_l("Send answer"), widget=GovSubmitInput())

        def answer_data(self) -> AnswerData:
            return AnswerData(option_ids=self.option_ids(), comment=self.comment.data or "")

        def option_ids(self) -> list[int]:
            if consultation.answer_mode == "rank":
                values = [getattr(self, f"place_{n}").data for n in self.places()]
                return [int(v) for v in values if v]
            data = self.choices.data
            return [int(v) for v in (data if isinstance(data, list) else [data]) if v]

        def places(self) -> range:
            return range(1, consultation.max_choices + 1)

        def choice_fields(self) -> list[Any]:
            if consultation.answer_mode == "rank":
                return [getattr(self, f"place_{n}") for n in self.places()]
            return [self.choices]

    invalid = _l("Choose options from the list")
    if consultation.answer_mode == "rank":
        blank = [("", _l("Not ranked"))]
        for place in range(1, consultation.max_choices + 1):
            field = ListedChoiceField(
                _ordinal(place), widget=GovSelect(), choices=choices(blank + options),
                invalid_message=invalid, validators=[Optional()],
            )  # fmt: skip
            setattr(AnswerForm, f"place_{place}", field)
    elif consultation.max_choices == 1:
        AnswerForm.choices = ListedChoiceField(  # type: ignore[attr-defined]
            consultation.question, widget=GovRadioInput(), choices=listed,
            invalid_message=invalid, validators=[InputRequired(_l("Choose an option"))],
        )  # fmt: skip
    else:
        AnswerForm.choices = ListedMultipleChoiceField(  # type: ignore[attr-defined]
            consultation.question, widget=GovCheckboxesInput(), choices=listed,
            invalid_message=invalid,
            description=gettext("Choose up to %(n)s.", n=consultation.max_choices),
        )  # fmt: skip
    if offline:
        AnswerForm.channel = ListedChoiceField(  # type: ignore[attr-defined]
            _l("How the answer was given"), widget=GovRadioInput(),
            choices=choices(CHANNEL_CHOICES),
            invalid_message=_l("Choose how the answer was given: paper, phone or in person"),
        )  # fmt: skip
        AnswerForm.submit = SubmitField(_l("Save answer"), widget=GovSubmitInput())  # type: ignore[assignment]
    return AnswerForm(**kwargs)
