"""Registry admins' pages for people and their roles: find a person, give or take away a role."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from app.auth import roles
from app.auth import service as auth_service
from app.auth.forms import GrantRoleForm, RevokeForm
from app.auth.models import User
from app.auth.permissions import authorise, requires
from app.common.forms import choices
from app.common.text import strip_control
from app.councils import service as councils_service

bp = Blueprint("people", __name__)


def _admin() -> User:
    user = auth_service.current_user()
    authorise(auth_service.is_admin(user))
    assert user is not None
    return user


def _grant_form() -> GrantRoleForm:
    form = GrantRoleForm()
    form.council.choices = choices(
        [("", gettext("No council (funder or registry admin)"))]
        + [(c.code, c.nice_name) for c in councils_service.all_councils() if c.is_current]
    )
    return form


@bp.get("/people")
@requires("manage-roles")
def find() -> str:
    _admin()
    words = strip_control(request.args.get("q", ""))[:200].strip()
    return render_template(
        "auth/people.html",
        words=words,
        people=roles.find_people(words),
        limit=roles.PEOPLE_PER_PAGE,
    )


def _person_page(person: User, form: GrantRoleForm, problem: str = "") -> str:
    """The person's roles, a Revoke button by each, and the form to give another; `problem`:
    why a revoke was refused, shown in the error summary."""
    return render_template(
        "auth/person.html",
        person=person,
        memberships=sorted(person.memberships, key=lambda m: m.id),
        invited=roles.is_invitation(person),
        form=form,
        revoke_form=RevokeForm(),
        problem=problem,
    )


def _person(user_id: int) -> User:
    person = roles.person(user_id)
    if person is None:
        abort(404)
    return person


@bp.route("/people/<id:user_id>", methods=["GET", "POST"])
@requires("manage-roles")
def person(user_id: int) -> ResponseReturnValue:
    actor = _admin()
    someone = _person(user_id)
    form = _grant_form()
    if form.validate_on_submit():
        council = councils_service.council_by_code(form.council.data) if form.council.data else None
        try:
            auth_service.grant_role_to(someone, form.role.data, council, actor)
        except auth_service.GrantError:
            form.council.errors = [
                gettext("Choose a council for an editor or council admin, and none for the others")
            ]
        else:
            flash(
                gettext("%(name)s is now %(role)s.", name=someone.display_name, role=form.role.data)
            )
            return redirect(url_for(".person", user_id=someone.id))
    status = 400 if request.method == "POST" else 200
    return _person_page(someone, form), status


@bp.post("/people/<id:user_id>/roles/<id:membership_id>/revoke")
@requires("manage-roles")
def revoke(user_id: int, membership_id: int) -> ResponseReturnValue:
    actor = _admin()
    someone = _person(user_id)
    if not RevokeForm().validate_on_submit():
        abort(400, "The form had expired: try again.")
    try:
        membership = roles.revoke_role(someone, membership_id, actor)
    except roles.RoleError as error:
        return _person_page(someone, _grant_form(), problem=str(error)), 400
    flash(
        gettext(
            "%(role)s taken away from %(name)s.", role=membership.role, name=someone.display_name
        )
    )
    return redirect(url_for(".person", user_id=someone.id))
