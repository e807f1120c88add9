"""The forms of ideas and rounds. Each checks what a form can (present, in the list, not too
long); the rules (a panel member of this council, weights above zero, a reason for a departure
from the ranking) are the services', so that every client meets the same ones."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from app.choosing.ideas import IdeaInput
from app.choosing.models import COST_BANDS, RAISED_BY, Idea
from app.common.forms import (
    ListedChoiceField,
    ListedMultipleChoiceField,
    choices,
    clean_text,
    no_longer_than,
)
from app.councils.models import Council
from app.pillars.service import all_pillars

RAISED_BY_LABELS = {
    "officer": _l("An officer"),
    "member": _l("A councillor"),
    "resident-consultation": _l("Residents, in a consultation"),
    "partner": _l("A partner"),
}
COST_BAND_LABELS = {
    "under-10k": _l("Under £10,000"),
    "10k-50k": _l("£10,000 to £50,000"),
    "50k-250k": _l("£50,000 to £250,000"),
    "over-250k": _l("Over £250,000"),
}
CRITERIA_HINT = _l(
    "One a line: name | weight | higher or lower (is better) | what a score of 1, 2, 3, 4 and 5 "
    "means, separated by semicolons. For example: Cost | 2 | lower | Under £10k; £10k–£50k; "
    "£50k–£100k; £100k–£250k; Over £250k"
)


def council_choices(councils: list[Council]) -> list[Any]:
    return choices((c.code, c.nice_name) for c in councils)


def council_field() -> Any:
    return ListedChoiceField(
        _l("Council"), widget=GovSelect(), invalid_message=_l("Choose a council from the list")
    )


def title_field(missing: Any) -> Any:
    return StringField(
        _l("Title"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired(missing), no_longer_than(140, _l("The title"))],
    )


class IdeaForm(FlaskForm):
    council = council_field()
    title = title_field(_l("Enter the idea's title"))
    need = TextAreaField(
        _l("The need it answers"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Say what need the idea answers")),
            no_longer_than(5000, _l("The need")),
        ],
    )
    raised_by = RadioField(
        _l("Who raised it?"),
        widget=GovRadioInput(),
        choices=choices((value, RAISED_BY_LABELS[value]) for value in RAISED_BY),
        validators=[InputRequired(_l("Choose who raised the idea"))],
    )
    cost_band = RadioField(
        _l("Rough cost"),
        widget=GovRadioInput(),
        choices=choices((value, COST_BAND_LABELS[value]) for value in COST_BANDS),
        validators=[InputRequired(_l("Choose a rough cost"))],
    )
    pillars = ListedMultipleChoiceField(
        _l("Pillars (optional)"),
        widget=GovCheckboxesInput(),
        invalid_message=_l("Choose pillars from the six listed"),
    )
    replicates = StringField(
        _l("An earlier pilot it would replicate (optional)"),
        widget=GovTextInput(),
        filters=[clean_text],
        description=_l("Its address in the registry, like /pilots/chatbot-for-council-tax."),
        validators=[Optional(), no_longer_than(300, _l("The address"))],
    )
    submit = SubmitField(_l("Save idea"), widget=GovSubmitInput())

    def prepare(self, councils: list[Council] | None) -> None:
        """Offer these councils (a new idea), or none (an edit keeps its council)."""
        if councils is None:
            del self.council
        else:
            self.council.choices = council_choices(councils)
        self.pillars.choices = choices((p.slug, p.name) for p in all_pillars())

    def entered(self) -> IdeaInput:
        return IdeaInput(
            title=self.title.data or "",
            need=self.need.data or "",
            raised_by=self.raised_by.data or "",
            cost_band=self.cost_band.data or "",
            pillars=list(self.pillars.data or []),
            replicates=self.replicates.data or "",
        )


def idea_form_data(idea: Idea) -> dict[str, Any]:
    return {
        "title": idea.title,
        "need": idea.need,
        "raised_by": idea.raised_by,
        "cost_band": idea.cost_band,
        "pillars": idea.pillars,
        "replicates": f"/pilots/{idea.replicates.slug}" if idea.replicates else "",
    }


class ButtonForm(FlaskForm):
    """A form that is only its button (and the CSRF token): publish, open, close, ..."""

    to = HiddenField()
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())


class RoundSetupForm(FlaskForm):
    council = council_field()
    title = title_field(_l("Enter the round's title"))
    ideas = ListedMultipleChoiceField(
        _l("Ideas to prioritise"),
        widget=GovCheckboxesInput(),
        coerce=int,
        invalid_message=_l("Choose ideas of this council from the list"),
        validators=[InputRequired(_l("Choose at least two ideas to prioritise"))],
    )
    criteria = TextAreaField(
        _l("Criteria"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=CRITERIA_HINT,
        validators=[
            DataRequired(_l("Enter at least one criterion")),
            no_longer_than(10000, _l("The criteria")),
        ],
    )
    panel = TextAreaField(
        _l("Panel"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("The email addresses of the panel members who score, one a line."),
        validators=[
            DataRequired(_l("Name at least one panel member, by email address")),
            no_longer_than(10000, _l("The panel")),
        ],
    )
    anonymous = BooleanField(
        _l("Publish scores under pseudonyms, not scorers' names"), widget=GovCheckboxInput()
    )
    consultations = ListedMultipleChoiceField(
        _l("Residents' priorities as evidence"),
        widget=GovCheckboxesInput(),
        coerce=int,
        description=_l(
            "Closed consultations of the council. Their published counts are shown on the round "
            "page and beside the scores, and are frozen with the configuration."
        ),
        invalid_message=_l("Choose closed consultations of this council from the list"),
    )
    reason = TextAreaField(
        _l("Why are you amending the opened round?"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("Shown on the round page with the new configuration's hash."),
        validators=[no_longer_than(2000, _l("The reason"))],
    )
    submit = SubmitField(_l("Save the round"), widget=GovSubmitInput())


class DeclarationForm(FlaskForm):
    idea = ListedChoiceField(
        _l("Which idea is it about?"),
        widget=GovSelect(),
        invalid_message=_l("Choose an idea of this round, or none"),
    )
    text = TextAreaField(
        _l("Your interest"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("For example: ward councillor for the area of this idea."),
        validators=[
            DataRequired(_l("Describe the interest you are declaring")),
            no_longer_than(1000, _l("The interest")),
        ],
    )
    submit = SubmitField(_l("Declare the interest"), widget=GovSubmitInput())


class ScoresForm(FlaskForm):
    """The CSRF token and the button: the scores themselves are read by the service, which
    checks each is from 1 to 5, so the web and any other client agree."""

    submit = SubmitField(_l("Save my scores"), widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    first = ListedChoiceField(
        _l("First choice"),
        widget=GovSelect(),
        default="",
        invalid_message=_l("Choose an idea of this round"),
    )
    second = ListedChoiceField(
        _l("Second choice (optional)"),
        widget=GovSelect(),
        default="",
        invalid_message=_l("Choose an idea of this round"),
    )
    third = ListedChoiceField(
        _l("Third choice (optional)"),
        widget=GovSelect(),
        default="",
        invalid_message=_l("Choose an idea of this round"),
    )
    departure_reason = TextAreaField(
        _l("Why does the decision depart from the ranking?"),
        widget=GovTextArea(),
        filters=[clean_text],
        description=_l("Required when the ideas chosen are not the top of the ranking, in order."),
        validators=[no_longer_than(5000, _l("The reason"))],
    )
    meeting = StringField(
        _l("Meeting"),
        widget=GovTextInput(),
        filters=[clean_text],
        description=_l("Where and when it was decided, like Cabinet, 14 October 2026."),
        validators=[
            DataRequired(_l("Say at which meeting the decision was taken")),
            no_longer_than(200, _l("The meeting")),
        ],
    )
    minute_reference = StringField(
        _l("Minute reference"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Give the minute's reference")),
            no_longer_than(100, _l("The reference")),
        ],
    )
    submit = SubmitField(_l("Record the decision"), widget=GovSubmitInput())

    def prepare(self, ideas: list[Idea]) -> None:
        options = [("", str(_l("None")))] + [(str(i.id), i.title) for i in ideas]
        for field in (self.first, self.second, self.third):
            field.choices = choices(options)

    def chosen(self) -> list[int]:
        values = [self.first.data, self.second.data, self.third.data]
        return [int(v) for v in values if v]
