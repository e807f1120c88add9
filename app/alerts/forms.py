"""The sign-up form and the manage page's buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import InputRequired

from app.common.forms import choices

FREQUENCY_CHOICES = choices(
    [
        ("immediate", _l("Straight away, one email for each change")),
        ("weekly", _l("Once a week, in a digest")),
    ]
)


class SignUpForm(FlaskForm):
    # No filter: a line break is refused by the service (it would start a header), never
    # quietly removed.
    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[InputRequired(_l("Enter your email address"))],
        description=_l("We use it only to send these alerts."),
        render_kw={"autocomplete": "email", "spellcheck": "false", "type": "email"},
    )
    frequency = RadioField(
        _l("How often do you want emails?"),
        widget=GovRadioInput(),
        choices=FREQUENCY_CHOICES,
        default="immediate",
        validators=[InputRequired(_l("Choose how often to get emails"))],
    )
    submit = SubmitField(_l("Get email alerts"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Start my email alerts"), widget=GovSubmitInput())


class ManageForm(FlaskForm):
    """One button on the manage page: stop an alert, change its frequency, or stop them all."""

    action = HiddenField(validators=[InputRequired()])
    alert = HiddenField()
    frequency = HiddenField()
