"""The council's API tokens page: make a token, revoke one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired

from app.api.tokens import SCOPES
from app.common.forms import ListedChoiceField, ListedMultipleChoiceField, choices, no_longer_than

EXPIRIES = (
    ("30", _l("In 30 days")),
    ("90", _l("In 3 months")),
    ("182", _l("In 6 months")),
    ("365", _l("In 12 months")),
)


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Name"),
        widget=GovTextInput(),
        validators=[InputRequired(_l("Name the token")), no_longer_than(80, _l("The name"))],
        description=_l("The system that will use it, so you know which token to revoke."),
    )
    scopes = ListedMultipleChoiceField(
        _l("What it may do"),
        widget=GovCheckboxesInput(),
        choices=choices(SCOPES.items()),
        validators=[InputRequired(_l("Choose what the token may do"))],
    )
    days = ListedChoiceField(
        _l("Expires"),
        widget=GovRadioInput(),
        choices=choices(EXPIRIES),
        default="90",
        validators=[InputRequired(_l("Choose when the token expires"))],
    )
    submit = SubmitField(_l("Create token"), widget=GovSubmitInput())


class RevokeTokenForm(FlaskForm):
    submit = SubmitField(_l("Revoke"), widget=GovSubmitInput())
