"""The account page, joining a council, council admins' member and domain pages, the registry
admins' review of councils' domains, the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.auth import memberships, roles, waiting
from app.auth import service as auth_service
from app.auth.forms import (
    ChangeMemberForm,
    CouncilDomainsForm,
    DecisionForm,
    JoinCouncilForm,
    PanelMemberForm,
)
from app.auth.permissions import SIGNED_IN, authorise, requires
from app.common.forms import choices
from app.councils import service as councils_service
from app.councils.models import Council

bp = Blueprint("account", __name__)


def _join_form() -> JoinCouncilForm:
    form = JoinCouncilForm()
    form.council.choices = choices(
        [("", "Choose a council")]
        + [(c.code, c.nice_name) for c in councils_service.all_councils() if c.is_current]
    )
    return form


def _account_page(join_form: JoinCouncilForm) -> str:
    user = auth_service.current_user()
    return render_template(
        "auth/account.html",
        user=user,
        memberships=sorted(user.memberships if user else [], key=lambda m: m.id),
        administered=memberships.administered_councils(user),
        waiting=waiting.waiting_requests(user),
        is_admin=auth_service.is_admin(user),
        join_form=join_form,
    )


@bp.get("/account")
@requires(SIGNED_IN)
def account() -> str:
    return _account_page(_join_form())


@bp.post("/account/join")
@requires("join-council")
def join() -> ResponseReturnValue:
    user = auth_service.current_user()
    assert user is not None
    form = _join_form()
    if form.validate_on_submit():
        council = councils_service.council_by_code(form.council.data)
        assert council is not None  # the form offers only councils that exist
        try:
            membership = memberships.request_membership(user, council)
        except memberships.MembershipError as error:
            form.council.errors = [str(error)]
        else:
            if membership.status == "approved":
                flash(gettext("You are now an editor for %(council)s.", council=council.nice_name))
            else:
                flash(
                    gettext(
                        "Your request has been sent to the admins of %(council)s.",
                        council=council.nice_name,
                    )
                )
            return redirect(url_for(".account"))
    return _account_page(form), 400


@bp.get("/councils/<code>/join")
def join_council_page(code: str) -> str:
    """The link a council admin gives a colleague: what to do to join this council, and (once
    signed in) the button that asks."""
    council = councils_service.council_by_code(code)
    if council is None:
        abort(404)
    user = auth_service.current_user()
    form = _join_form() if user is not None else None
    if form is not None:
        form.council.data = council.code
    return render_template(
        "auth/join-council.html",
        council=council,
        user=user,
        form=form,
        already=[m for m in (user.memberships if user else []) if m.council_id == council.id],
    )


def administered_council(code: str) -> Council:
    """The council at `code`, if the signed-in person administers it (404, or 403, if not);
    the audit log's pages share it."""
    council = councils_service.council_by_code(code)
    if council is None:
        abort(404)
    authorise(memberships.can_admin_council(auth_service.current_user(), council.id))
    return council


@bp.get("/councils/<code>/members")
@requires("manage-council-members")
def members(code: str) -> str:
    council = administered_council(code)
    return render_template(
        "auth/council-members.html",
        council=council,
        pending=memberships.pending_requests(council),
        members=memberships.council_members(council),
        form=DecisionForm(),
        panel_form=PanelMemberForm(),
    )


@bp.post("/councils/<code>/panel-members")
@requires("manage-council-members")
def add_panel_member(code: str) -> Response:
    council = administered_council(code)
    form = PanelMemberForm()
    if not form.validate_on_submit():
        flash(gettext("Enter the panel member's email address."), "error")
        return redirect(url_for(".members", code=council.slug))
    try:
        auth_service.grant_role(
            form.email.data or "", "panel-member", council.code, auth_service.current_user()
        )
    except auth_service.GrantError as error:
        flash(str(error), "error")
    else:
        flash(gettext("%(email)s is now a panel member.", email=(form.email.data or "").strip()))
    return redirect(url_for(".members", code=council.slug))


@bp.post("/councils/<code>/members/<id:membership_id>")
@requires("manage-council-members")
def decide(code: str, membership_id: int) -> Response:
    council = administered_council(code)
    form = DecisionForm()
    if not form.validate_on_submit() or form.approve.data == form.refuse.data:
        abort(400, "Choose Approve or Refuse for the request.")
    user = auth_service.current_user()
    assert user is not None
    try:
        membership = memberships.decide_request(council, membership_id, form.approve.data, user)
    except memberships.MembershipError as error:
        abort(400, str(error))
    flash(
        gettext(
            "%(name)s: request %(status)s.",
            name=membership.user.display_name,
            status=membership.status,
        )
    )
    return redirect(url_for(".members", code=council.slug))


@bp.route("/councils/<code>/members/<id:membership_id>/change", methods=["GET", "POST"])
@requires("manage-council-members")
def change_member(code: str, membership_id: int) -> ResponseReturnValue:
    council = administered_council(code)
    membership = roles.council_membership(council, membership_id)
    if membership is None:
        abort(404)
    actor = auth_service.current_user()
    assert actor is not None
    form = ChangeMemberForm()
    if request.method == "GET":
        form.change.data = membership.role
    if form.validate_on_submit():
        name = membership.user.display_name
        try:
            if form.change.data == "remove":
                roles.remove_member(council, membership, actor)
                message = gettext("%(name)s has been removed from the council.", name=name)
            else:
                roles.change_member_role(council, membership, form.change.data, actor)
                message = gettext("%(name)s is now %(role)s.", name=name, role=form.change.data)
        except roles.RoleError as error:
            form.change.errors = [str(error)]
        else:
            flash(message)
            return redirect(url_for(".members", code=council.slug))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "auth/change-member.html", council=council, membership=membership, form=form
    ), status


@bp.route("/councils/<code>/domains", methods=["GET", "POST"])
@requires("manage-council-domains")
def domains(code: str) -> ResponseReturnValue:
    council = administered_council(code)
    user = auth_service.current_user()
    assert user is not None
    form = CouncilDomainsForm()
    if request.method == "GET":
        form.domains.data = "\n".join(memberships.council_domains(council))
    if form.validate_on_submit():
        try:
            memberships.save_council_domains(council, form.domains.data or "", user)
        except memberships.MembershipError as error:
            form.domains.errors = [str(error)]  # one message naming every problem
        else:
            flash(gettext("The council's email domains have been saved."))
            return redirect(url_for(".domains", code=council.slug))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "auth/council-domains.html",
        council=council,
        form=form,
        records=memberships.council_domain_records(council),
    ), status


@bp.get("/council-domains")
@requires("approve-council-domains")
def pending_domains() -> str:
    authorise(auth_service.is_admin(auth_service.current_user()))
    return render_template(
        "auth/pending-domains.html", pending=memberships.pending_domains(), form=DecisionForm()
    )


@bp.post("/council-domains/<id:domain_id>")
@requires("approve-council-domains")
def decide_domain(domain_id: int) -> Response:
    user = auth_service.current_user()
    authorise(auth_service.is_admin(user))
    assert user is not None
    form = DecisionForm()
    if not form.validate_on_submit() or form.approve.data == form.refuse.data:
        abort(400, "Choose Approve or Refuse for the domain.")
    try:
        record = memberships.decide_domain(domain_id, form.approve.data, user)
    except memberships.MembershipError as error:
        abort(400, str(error))
    flash(
        gettext(
            "%(domain)s for %(council)s: %(status)s.",
            domain=record.domain,
            council=record.council.nice_name,
            status=record.status,
        )
    )
    return redirect(url_for(".pending_domains"))
