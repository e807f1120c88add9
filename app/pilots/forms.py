from __future__ import annotations

import re
from decimal import Decimal

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
    choices,
    clean_text,
    no_longer_than,
)

MAX_TAG_LENGTH = 60
GSS_CODE = re.compile(r"^[A-Z]\d{8}$")
CODE_LIST = re.compile(r"[\s,;]+")

EVALUATION_DESIGNS = [
    ("1", _l("Level 1: before and after, with no comparison")),
    ("2", _l("Level 2: with a comparison or controls")),
    ("3", _l("Level 3: comparison group with a justified counterfactual")),
    ("4", _l("Level 4: quasi-random assignment")),
    ("5", _l("Level 5: randomised")),
]


def split_list(text: str | None) -> list[str]:
    return [part for part in CODE_LIST.split(text or "") if part]


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
        validators=[DataRequired(_l("Enter a title")), no_longer_than(140, _l("The title"))],
        description=_l("Say what is being tried and where, in 140 characters or fewer."),
    )
    lead_council = ListedChoiceField(
        _l("Lead council"),
        widget=GovSelect(),
        invalid_message=_l("Choose a council you publish for"),
        validators=[DataRequired(_l("Choose the lead council"))],
    )
    partners = StringField(
        _l("Partner councils (optional)"),
        widget=GovTextInput(),
        filters=[clean_text],
        description=_l("Three-letter register codes, separated by commas, like HRT, WBK."),
    )
    summary = TextAreaField(
        _l("Summary"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired(_l("Enter a summary")), no_longer_than(1000, _l("The summary"))],
        description=_l("One or two sentences for listings and search results."),
    )
    problem = TextAreaField(
        _l("The problem"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(5000, _l("The problem"))],
    )
    hypothesis = TextAreaField(
        _l("Hypothesis"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Enter the hypothesis")),
            no_longer_than(3000, _l("The hypothesis")),
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
        validators=[no_longer_than(5000, _l("The approach"))],
    )
    offline_access = TextAreaField(
        _l("How will residents without digital access be served?"),
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(3000, _l("The answer"))],
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
        validators=[no_longer_than(200, _l("The location"))],
        description=_l("The area or wards, like 'Three villages in the north of the district'."),
    )
    location_gss = StringField(
        _l("GSS code of the area (optional)"),
        widget=GovTextInput(),
        filters=[clean_text, lambda v: v.upper() if isinstance(v, str) else v],
        validators=[Optional(), _gss],
    )
    latitude = DecimalTextField(_l("Latitude (optional)"), Decimal("49"), Decimal("61"))
    longitude = DecimalTextField(_l("Longitude (optional)"), Decimal("-9"), Decimal("2"))
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
        validators=[no_longer_than(100_000, _l("The case study"))],
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

    def validate_partners(self, field: StringField) -> None:
        codes = split_list(field.data)
        bad = [c for c in codes if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{2,9}", c)]
        if bad:
            raise ValidationError(
                gettext(
                    "Partner council codes are register codes like HRT; check %(codes)s",
                    codes=", ".join(bad),
                )
            )


class RegisterForm(FlaskForm):
    submit = SubmitField(_l("Register this pilot"), widget=GovSubmitInput())
