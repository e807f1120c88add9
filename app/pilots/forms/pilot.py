"""The pilot's description: the form for a draft and for editing one, and the register button."""

from __future__ import annotations

import re
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
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from app.common.forms import (
    DecimalTextField,
    GovDateField,
    ListedChoiceField,
    ListedMultipleChoiceField,
    PoundsField,
    add_errors,
    choices,
    clean_text,
    no_longer_than,
)
from app.councils.models import Council
from app.pillars.service import all_pillars
from app.pilots.editing import PilotInput
from app.pilots.models import Pilot
from app.pilots.rules import GSS_CODE, LATITUDE, LONGITUDE, MAX_LENGTHS, MAX_TAG_LENGTH

COORDINATE: dict[str, Any] = {"places": 6, "example": "51.5074"}
# Typed as entered, then passed to the service by PilotData's names.
PLAIN_FIELDS = (
    "title", "hypothesis", "summary", "problem", "approach", "offline_access", "case_study",
    "location", "location_gss", "latitude", "longitude", "start_date", "planned_end_date",
    "actual_end_date",
)  # fmt: skip
# The service's names for the fields a form calls something else.
FIELD_NAMES = {"planned_cost_pence": "planned_cost", "actual_cost_pence": "actual_cost"}

EVALUATION_DESIGNS = [
    ("1", _l("Level 1: before and after, with no comparison")),
    ("2", _l("Level 2: with a comparison or controls")),
    ("3", _l("Level 3: comparison group with a justified counterfactual")),
    ("4", _l("Level 4: quasi-random assignment")),
    ("5", _l("Level 5: randomised")),
]


def split_tags(text: str | None) -> list[str]:
    """'Social care, chatbot' → ['social-care', 'chatbot']."""
    parts = re.split(r"[,;]", text or "")
    return [re.sub(r"\s+", "-", part.strip().lower()) for part in parts if part.strip()]


def _gss(form: FlaskForm, field: StringField) -> None:
    if field.data and not GSS_CODE.match(field.data.upper()):
        raise ValidationError(
            gettext("The area's GSS code must be a letter and 8 digits, like E05009388")
        )


class PilotForm(FlaskForm):
    """A pilot's description. Status, verdict, author and slug are never taken from the form."""

    title = StringField(
        _l("Title"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter a title")),
            no_longer_than(MAX_LENGTHS["title"], _l("The title")),
        ],
        description=_l("Say what is being tried and where, in 140 characters or fewer."),
    )
    lead_council = ListedChoiceField(
        _l("Lead council"),
        widget=GovSelect(),
        invalid_message=_l("Choose a council you publish for"),
        validators=[DataRequired(_l("Choose the lead council"))],
    )
    # Several selects of one name (pilots/form.html draws them), each a council by name that
    # JavaScript turns into an accessible autocomplete; an empty one names no partner.
    partners = ListedMultipleChoiceField(
        _l("Partner councils (optional)"),
        invalid_message=_l("Choose each partner council from the list"),
        description=_l("Councils working on the pilot with the lead council. Start typing a name."),
    )
    summary = TextAreaField(
        _l("Summary"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter a summary")),
            no_longer_than(MAX_LENGTHS["summary"], _l("The summary")),
        ],
        description=_l("One or two sentences for listings and search results."),
    )
    problem = TextAreaField(
        _l("The problem"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(MAX_LENGTHS["problem"], _l("The problem"))],
    )
    hypothesis = TextAreaField(
        _l("Hypothesis"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the hypothesis")),
            no_longer_than(MAX_LENGTHS["hypothesis"], _l("The hypothesis")),
        ],
        description=(
            _l(
                "We believe that … will result in … We will know when we see …. "
                "It is frozen when the pilot is registered."
            )
        ),
    )
    approach = TextAreaField(
        _l("Approach"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(MAX_LENGTHS["approach"], _l("The approach"))],
    )
    offline_access = TextAreaField(
        _l("How will residents without digital access be served?"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(MAX_LENGTHS["offline_access"], _l("The answer"))],
        description=_l("The offline or assisted routes that stay open during the pilot."),
    )
    pillars = ListedMultipleChoiceField(
        _l("Pillars"),
        widget=GovCheckboxesInput(),
        invalid_message=_l("Choose pillars from the six listed"),
        validators=[InputRequired(_l("Choose at least one pillar"))],
        description=_l("Choose between one and six."),
    )
    tags = StringField(
        _l("Tags (optional)"),
        widget=GovTextInput(),
        filters=[clean_text],
        description=_l("Separated by commas, like chatbot, social care."),
        validators=[no_longer_than(500, _l("The tags"))],
    )
    location = StringField(
        _l("Location"),
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[no_longer_than(MAX_LENGTHS["location"], _l("The location"))],
        description=_l("The area or wards, like 'Three villages in the north of the district'."),
    )
    location_gss = StringField(
        _l("GSS code of the area (optional)"),
        widget=GovTextInput(),
        filters=[clean_text, lambda v: v.upper() if isinstance(v, str) else v],
        validators=[Optional(), _gss],
    )
    latitude = DecimalTextField(
        _l("Latitude (optional)"), minimum=LATITUDE[0], maximum=LATITUDE[1], **COORDINATE
    )
    longitude = DecimalTextField(
        _l("Longitude (optional)"), minimum=LONGITUDE[0], maximum=LONGITUDE[1], **COORDINATE
    )
    planned_cost = PoundsField(_l("Planned cost in pounds (optional)"))
    actual_cost = PoundsField(_l("Actual cost in pounds (optional)"))
    start_date = GovDateField(_l("Start date"), description=_l("For example, 27 3 2026"))
    planned_end_date = GovDateField(
        _l("Planned end date"), description=_l("For example, 30 9 2026")
    )
    actual_end_date = GovDateField(_l("Actual end date (optional)"))
    evaluation_design = RadioField(
        _l("Evaluation design"),
        widget=GovRadioInput(),
        choices=choices(EVALUATION_DESIGNS),
        validators=[Optional()],
        description=_l("The Maryland Scientific Methods Scale: how strong the evidence can be."),
    )
    case_study = TextAreaField(
        _l("Case study (optional)"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(MAX_LENGTHS["case_study"], _l("The case study"))],
        description=_l("Markdown. What was tried, what happened, what others should know."),
    )
    replicates = StringField(
        _l("Earlier pilot this one repeats (optional)"),
        widget=GovTextInput(),
        filters=[clean_text, lambda v: v.rstrip("/").rsplit("/", 1)[-1] if v else v],
        validators=[no_longer_than(200, _l("The address"))],
        description=_l(
            "The address of the earlier pilot's page in this registry, or its last part."
        ),
    )
    replication_kind = RadioField(
        _l("How closely does it follow the earlier pilot?"),
        widget=GovRadioInput(),
        choices=choices(
            [("replicates", _l("It replicates it: the same idea, done the same way")),
             ("adapts", _l("It adapts it: the same idea, changed for local needs"))]
        ),
        validators=[Optional()],
    )  # fmt: skip
    submit = SubmitField(_l("Save draft"), widget=GovSubmitInput())

    def prepare(self, councils: list[Council], partners: list[Council]) -> None:
        """Offer these councils as the lead (chosen already when there is only one), the
        others as partners, and the six pillars."""
        self.lead_council.choices = choices(
            [("", gettext("Choose a council"))] + [(c.code, c.nice_name) for c in councils]
        )
        if len(councils) == 1 and not self.lead_council.data:
            self.lead_council.data = councils[0].code
        self.partners.choices = choices(
            [("", gettext("No partner"))] + [(c.code, c.nice_name) for c in partners]
        )
        self.pillars.choices = choices((p.slug, p.name) for p in all_pillars())

    def keep(self, names: tuple[str, ...], values: dict[str, Any]) -> None:
        """Hold these fields at the given values, whatever the request sent (frozen fields)."""
        for name in names:
            self[name].data, self[name].process_errors = values[name], []

    def entered(self) -> PilotInput:
        """What was typed, for editing.save_pilot."""
        details: dict[str, Any] = {name: self[name].data for name in PLAIN_FIELDS}
        for name in ("summary", "problem", "approach", "offline_access", "case_study", "location"):
            details[name] = details[name] or ""
        details.update(
            location_gss=self.location_gss.data or None,
            pillars=list(dict.fromkeys(self.pillars.data or [])),
            tags=split_tags(self.tags.data),
            planned_cost_pence=self.planned_cost.data,
            actual_cost_pence=self.actual_cost.data,
            evaluation_design=int(self.evaluation_design.data)
            if self.evaluation_design.data
            else None,
        )
        return PilotInput(
            lead_council=self.lead_council.data,
            partners=list(dict.fromkeys(code for code in self.partners.data or [] if code)),
            replicates=self.replicates.data or "",
            replication_kind=self.replication_kind.data or None,
            details=details,
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put the service's errors on the fields they are about."""
        add_errors(self, errors, FIELD_NAMES)

    def validate_tags(self, field: StringField) -> None:
        long_tags = [t for t in split_tags(field.data) if len(t) > MAX_TAG_LENGTH]
        if long_tags:
            raise ValidationError(
                gettext(
                    "Each tag must be %(limit)s characters or fewer; shorten %(tag)s…",
                    limit=MAX_TAG_LENGTH,
                    tag=long_tags[0][:20],
                )
            )


def pilot_form_data(pilot: Pilot) -> dict[str, object]:
    """The edit form's starting values, field by field (never the ORM objects themselves)."""
    data: dict[str, object] = {name: getattr(pilot, name) for name in PLAIN_FIELDS}
    data.update(
        replication_kind=pilot.replication_kind,
        lead_council=pilot.lead_council.code,
        partners=[c.code for c in pilot.partners],
        pillars=pilot.pillars,
        tags=", ".join(pilot.tags),
        planned_cost=pilot.planned_cost_pence,
        actual_cost=pilot.actual_cost_pence,
        evaluation_design=str(pilot.evaluation_design) if pilot.evaluation_design else None,
        replicates=pilot.replicates.slug if pilot.replicates else "",
    )
    return data


class RegisterForm(FlaskForm):
    submit = SubmitField(_l("Register this pilot"), widget=GovSubmitInput())
