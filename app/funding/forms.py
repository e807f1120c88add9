from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.common.forms import (
    GovDateField,
    ListedChoiceField,
    ListedMultipleChoiceField,
    PoundsField,
    choices,
    clean_text,
    no_longer_than,
)
from app.funding.awards import AwardInput
from app.funding.service import ProgrammeData
from app.pillars.service import all_pillars
from app.pilots.models import Pilot


class DaysField(IntegerField):
    """A whole number of days, with a message that says so."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata([clean_text(v) for v in valuelist])
        except ValueError:
            raise ValueError(
                gettext("%(field)s must be a whole number, like 90", field=self.label.text)
            ) from None


def _upper(value: str | None) -> str | None:
    return value.upper() if isinstance(value, str) else value


class ProgrammeForm(FlaskForm):
    """A funding programme: who funds it, when, how much, and on what conditions."""

    name = StringField(
        _l("Programme name"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the programme's name")),
            no_longer_than(200, _l("The name")),
        ],
    )
    funder_name = StringField(
        _l("Funder"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the funder's name")),
            no_longer_than(200, _l("The funder")),
        ],
        description=_l("The organisation giving the money, like a government department."),
    )
    funder_org_id = StringField(
        _l("Funder's org-id"),
        widget=GovTextInput(),
        filters=[clean_text, _upper],
        validators=[DataRequired(_l("Enter the funder's org-id, like GB-GOR-D6"))],
        description=_l("From org-id.guide, like GB-GOR-D6 for a government department."),
    )
    round = StringField(
        _l("Round (optional)"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[no_longer_than(60, _l("The round"))],
        description=_l("Like 'Round 1' or '2026 to 2027'."),
    )
    description = TextAreaField(
        _l("Description"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(5000, _l("The description"))],
    )
    opens_on = GovDateField(_l("Opens for applications"), validators=[Optional()])
    closes_on = GovDateField(_l("Closes for applications"), validators=[Optional()])
    total_budget = PoundsField(
        _l("Total budget"), validators=[InputRequired(_l("Enter the total budget in pounds"))]
    )
    report_due_days = DaysField(
        _l("Days after a trial ends that its outcome report is due (optional)"),
        widget=GovTextInput(),
        validators=[
            Optional(),
            NumberRange(0, 3650, _l("Days until the report is due must be between 0 and 3650")),
        ],
        description=_l("Leave empty to use the registry's usual deadline."),
    )
    conditions = TextAreaField(
        _l("Conditions of funding"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(10000, _l("The conditions"))],
        description=_l("You can use Markdown."),
    )
    pillars = ListedMultipleChoiceField(
        _l("Pillars this programme targets"),
        widget=GovCheckboxesInput(),
        invalid_message=_l("Choose pillars from the list"),
    )
    submit = SubmitField(_l("Save programme"), widget=GovSubmitInput())

    def prepare(self) -> None:
        self.pillars.choices = choices((p.slug, p.name) for p in all_pillars())

    def programme_data(self) -> ProgrammeData:
        return ProgrammeData(
            name=self.name.data,
            funder_name=self.funder_name.data,
            funder_org_id=self.funder_org_id.data,
            round=self.round.data or "",
            description=self.description.data or "",
            opens_on=self.opens_on.data,
            closes_on=self.closes_on.data,
            total_budget_pence=self.total_budget.data or 0,
            report_due_days=self.report_due_days.data,
            conditions=self.conditions.data or "",
            pillars=list(self.pillars.data or []),
        )


class AwardForm(FlaskForm):
    """An award to one pilot; amounts in pounds, kept as pence."""

    pilot = ListedChoiceField(
        _l("Pilot"),
        widget=GovSelect(),
        invalid_message=_l("Choose a published pilot from the list"),
        validators=[DataRequired(_l("Choose the pilot this award funds"))],
    )
    recipient = StringField(
        _l("Recipient council"),
        widget=GovTextInput(),
        filters=[clean_text, _upper],
        validators=[DataRequired(_l("Enter the register code of the council receiving the money"))],
        description=_l(
            "The three-letter register code of the lead council or a partner, like KEC."
        ),
    )
    reference = StringField(
        _l("Reference"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired(_l("Enter the award's reference")), no_longer_than(60, _l("It"))],
        description=_l("Your reference for this award; unique within the programme."),
    )
    amount_awarded = PoundsField(
        _l("Amount awarded"), validators=[InputRequired(_l("Enter the amount awarded in pounds"))]
    )
    amount_disbursed = PoundsField(
        _l("Amount disbursed to date"),
        validators=[Optional()],
        description=_l("Leave empty if nothing has been paid yet."),
    )
    award_date = GovDateField(
        _l("Award date"), validators=[InputRequired(_l("Enter the award date"))]
    )
    planned_start_date = GovDateField(_l("Planned start (optional)"), validators=[Optional()])
    planned_end_date = GovDateField(_l("Planned end (optional)"), validators=[Optional()])
    submit = SubmitField(_l("Save award"), widget=GovSubmitInput())

    def prepare(self, pilots: list[Pilot]) -> None:
        self.pilot.choices = choices(
            [("", gettext("Choose a pilot"))]
            + [(p.slug, f"{p.title} ({p.lead_council.code})") for p in pilots]
        )

    def entered(self) -> AwardInput:
        return AwardInput(
            pilot=self.pilot.data,
            recipient=self.recipient.data,
            details={
                "reference": self.reference.data,
                "amount_awarded_pence": self.amount_awarded.data or 0,
                "amount_disbursed_pence": self.amount_disbursed.data or 0,
                "award_date": self.award_date.data,
                "planned_start_date": self.planned_start_date.data,
                "planned_end_date": self.planned_end_date.data,
            },
        )
