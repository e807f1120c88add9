from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from app.common.forms import ListedChoiceField, choices


class SignOutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"), widget=GovSubmitInput())


class DevSignInForm(FlaskForm):
    user_id = RadioField(
        _l("Who do you want to sign in as?"),
        coerce=int,
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Choose a demo user to sign in as"))],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class JoinCouncilForm(FlaskForm):
    council = ListedChoiceField(
        _l("Which council do you work for?"),
        widget=GovSelect(),
        invalid_message=_l("Choose your council from the list"),
    )
    submit = SubmitField(_l("Ask to join"), widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    """Approve or refuse one request: the button pressed is the decision."""

    approve = SubmitField(_l("Approve"), widget=GovSubmitInput())
    refuse = SubmitField(_l("Refuse"), widget=GovSubmitInput())


class CouncilDomainsForm(FlaskForm):
    domains = TextAreaField(
        _l("Email domains"),
        description=_l(
            "One a line, like kingston.gov.uk. Once a registry administrator approves a "
            "domain, people with a verified address there join your council as editors without "
            "waiting."
        ),
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Save domains"), widget=GovSubmitInput())


class PanelMemberForm(FlaskForm):
    """Give someone the panel-member role for the council: they may then be named on its
    prioritisation rounds' panels, to declare interests and score, and do nothing else."""

    email = StringField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[InputRequired(_l("Enter the panel member's email address"))],
    )
    submit = SubmitField(_l("Add a panel member"), widget=GovSubmitInput())


ROLE_LABELS = {
    "editor": _l("Editor: creates and edits the council's pilots"),
    "council-admin": _l("Council admin: approves people joining the council"),
    "funder": _l("Funder: manages funding programmes and sees the funder dashboard"),
    "admin": _l("Registry admin: everything, including roles and the audit log"),
}


class GrantRoleForm(FlaskForm):
    """A registry admin gives a person a role; council roles name the council."""

    role = RadioField(
        _l("Role to give"),
        choices=choices(ROLE_LABELS.items()),
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Choose the role to give"))],
    )
    council = ListedChoiceField(
        _l("Council (for editor and council admin)"),
        widget=GovSelect(),
        invalid_message=_l("Choose a council from the list"),
    )
    submit = SubmitField(_l("Give this role"), widget=GovSubmitInput())


class ChangeMemberForm(FlaskForm):
    """A council admin changes a member's role or removes them from the council."""

    change = RadioField(
        _l("What should change?"),
        choices=choices(
            [
                ("editor", ROLE_LABELS["editor"]),
                ("council-admin", ROLE_LABELS["council-admin"]),
                ("remove", _l("Remove them from the council")),
            ]
        ),
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Choose a role or to remove them"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class RevokeForm(FlaskForm):
    """Take one role away: the button names the role (in the template)."""

    submit = SubmitField(_l("Take away"), widget=GovSubmitInput())
