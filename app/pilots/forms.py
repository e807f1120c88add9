from __future__ import annotations

import re
from decimal import Decimal

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
    ("1", "Level 1: before and after, with no comparison"),
    ("2", "Level 2: with a comparison or controls"),
    ("3", "Level 3: comparison group with a justified counterfactual"),
    ("4", "Level 4: quasi-random assignment"),
    ("5", "Level 5: randomised"),
]


def split_list(text: str | None) -> list[str]:
    return [part for part in CODE_LIST.split(text or "") if part]


def split_tags(text: str | None) -> list[str]:
    """'Social care, chatbot' → ['social-care', 'chatbot']."""
    parts = re.split(r"[,;]", text or "")
    return [re.sub(r"\s+", "-", part.strip().lower()) for part in parts if part.strip()]


def _gss(form: FlaskForm, field: StringField) -> None:
    if field.data and not GSS_CODE.match(field.data.upper()):
        raise ValidationError("The area's GSS code must be a letter and 8 digits, like E05009388")


class PilotForm(FlaskForm):
    """A pilot's description. Status, verdict, author and slug are never taken from the form."""

    title = StringField(
        "Title",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter a title"), no_longer_than(140, "The title")],
        description="Say what is being tried and where, in 140 characters or fewer.",
    )
    lead_council = ListedChoiceField(
        "Lead council",
        widget=GovSelect(),
        invalid_message="Choose a council you publish for",
        validators=[DataRequired("Choose the lead council")],
    )
    partners = StringField(
        "Partner councils (optional)",
        widget=GovTextInput(),
        filters=[clean_text],
        description="Three-letter register codes, separated by commas, like HRT, WBK.",
    )
    summary = TextAreaField(
        "Summary",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Enter a summary"), no_longer_than(1000, "The summary")],
        description="One or two sentences for listings and search results.",
    )
    problem = TextAreaField(
        "The problem",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(5000, "The problem")],
    )
    hypothesis = TextAreaField(
        "Hypothesis",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Enter the hypothesis"), no_longer_than(3000, "The hypothesis")],
        description=(
            "We believe that … will result in … We will know when we see …. "
            "It is frozen when the pilot is registered."
        ),
    )
    approach = TextAreaField(
        "Approach",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(5000, "The approach")],
    )
    offline_access = TextAreaField(
        "How will residents without digital access be served?",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(3000, "The answer")],
        description="The offline or assisted routes that stay open during the pilot.",
    )
    pillars = ListedMultipleChoiceField(
        "Pillars",
        widget=GovCheckboxesInput(),
        invalid_message="Choose pillars from the six listed",
        validators=[InputRequired("Choose at least one pillar")],
        description="Choose between one and six.",
    )
    tags = StringField(
        "Tags (optional)",
        widget=GovTextInput(),
        filters=[clean_text],
        description="Separated by commas, like chatbot, social care.",
        validators=[no_longer_than(500, "The tags")],
    )
    location = StringField(
        "Location",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[no_longer_than(200, "The location")],
        description="The area or wards, like 'Three villages in the north of the district'.",
    )
    location_gss = StringField(
        "GSS code of the area (optional)",
        widget=GovTextInput(),
        filters=[clean_text, lambda v: v.upper() if isinstance(v, str) else v],
        validators=[Optional(), _gss],
    )
    latitude = DecimalTextField("Latitude (optional)", Decimal("49"), Decimal("61"))
    longitude = DecimalTextField("Longitude (optional)", Decimal("-9"), Decimal("2"))
    planned_cost = PoundsField("Planned cost in pounds (optional)")
    actual_cost = PoundsField("Actual cost in pounds (optional)")
    start_date = GovDateField("Start date", description="For example, 27 3 2026")
    planned_end_date = GovDateField("Planned end date", description="For example, 30 9 2026")
    actual_end_date = GovDateField("Actual end date (optional)")
    evaluation_design = RadioField(
        "Evaluation design",
        widget=GovRadioInput(),
        choices=choices(EVALUATION_DESIGNS),
        validators=[Optional()],
        description="The Maryland Scientific Methods Scale: how strong the evidence can be.",
    )
    case_study = TextAreaField(
        "Case study (optional)",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[no_longer_than(100_000, "The case study")],
        description="Markdown. What was tried, what happened, what others should know.",
    )
    replicates = StringField(
        "Earlier pilot this one repeats (optional)",
        widget=GovTextInput(),
        filters=[clean_text, lambda v: v.rstrip("/").rsplit("/", 1)[-1] if v else v],
        validators=[no_longer_than(200, "The address")],
        description="The address of the earlier pilot's page in this registry, or its last part.",
    )
    replication_kind = RadioField(
        "How closely does it follow the earlier pilot?",
        widget=GovRadioInput(),
        choices=choices(
            [("replicates", "It replicates it: the same idea, done the same way"),
             ("adapts", "It adapts it: the same idea, changed for local needs")]
        ),
        validators=[Optional()],
    )  # fmt: skip
    submit = SubmitField("Save draft", widget=GovSubmitInput())

    def validate_tags(self, field: StringField) -> None:
        long_tags = [t for t in split_tags(field.data) if len(t) > MAX_TAG_LENGTH]
        if long_tags:
            raise ValidationError(
                f"Each tag must be {MAX_TAG_LENGTH} characters or fewer; "
                f"shorten {long_tags[0][:20]}…"
            )

    def validate_partners(self, field: StringField) -> None:
        codes = split_list(field.data)
        bad = [c for c in codes if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{2,9}", c)]
        if bad:
            raise ValidationError(
                f"Partner council codes are register codes like HRT; check {', '.join(bad)}"
            )


class RegisterForm(FlaskForm):
    submit = SubmitField("Register this pilot", widget=GovSubmitInput())
