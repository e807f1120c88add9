from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired


class SignOutForm(FlaskForm):
    submit = SubmitField("Sign out", widget=GovSubmitInput())


class DevSignInForm(FlaskForm):
    user_id = RadioField(
        "Who do you want to sign in as?",
        coerce=int,
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose a demo user to sign in as")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())
