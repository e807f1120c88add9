"""The audit log's pages and their CSV: the whole log for registry admins, a council's log for
its council admins, filtered by who, what they did, when, and which pilot or council."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.wrappers import Response

from app.auth import audit, memberships
from app.auth import service as auth_service
from app.auth.account_routes import administered_council
from app.auth.audit_filters import (
    AuditFilters,
    audit_actions,
    audit_csv_lines,
    describe_changes,
    parse_audit_filters,
)
from app.auth.permissions import requires
from app.common.pagination import page_number
from app.councils.models import Council

bp = Blueprint("audit", __name__)


def _log_page(council: Council | None, filters: AuditFilters) -> ResponseReturnValue:
    council_id = council.id if council else None
    page = audit.audit_events(page_number(request.args.get("page")), council_id, filters)
    args = filters.query_args()
    if council is None:
        page_url = lambda n: url_for(".audit_log", page=n, **args)  # noqa: E731
        csv_url = url_for(".audit_csv", **args)
    else:
        code = council.slug
        page_url = lambda n: url_for(".council_audit_log", code=code, page=n, **args)  # noqa: E731
        csv_url = url_for(".council_audit_csv", code=code, **args)
    html = render_template(
        "auth/audit-log.html",
        council=council,
        page=page,
        page_url=page_url,
        csv_url=csv_url,
        filters=filters,
        actions=audit_actions(),
        describe_changes=describe_changes,
    )
    return html, 400 if filters.errors else 200


def _csv(council: Council | None, filters: AuditFilters) -> Response:
    if filters.errors:
        abort(400, "; ".join(filters.errors.values()))
    events = audit.all_audit_events(council.id if council else None, filters)
    name = f"audit-log-{council.slug}" if council else "audit-log"
    return Response(
        audit_csv_lines(events),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _whole_log_or_redirect() -> ResponseReturnValue | None:
    """None for a registry admin; a council admin is sent to their council's log (told why when
    they look after several), never refused without a word."""
    user = auth_service.current_user()
    if auth_service.is_admin(user):
        return None
    councils = memberships.administered_councils(user)
    if len(councils) == 1:
        flash(gettext("The registry's whole audit log is for its administrators: this is "
                      "your council's."))  # fmt: skip
        return redirect(url_for(".council_audit_log", code=councils[0].slug))
    return render_template("auth/audit-councils.html", councils=councils)


@bp.get("/audit")
@requires("view-council-audit-log")
def audit_log() -> ResponseReturnValue:
    """The whole log, for registry admins."""
    elsewhere = _whole_log_or_redirect()
    if elsewhere is not None:
        return elsewhere
    return _log_page(None, parse_audit_filters(request.args.to_dict()))


@bp.get("/audit.csv")
@requires("view-council-audit-log")
def audit_csv() -> ResponseReturnValue:
    elsewhere = _whole_log_or_redirect()
    if elsewhere is not None:
        return elsewhere
    return _csv(None, parse_audit_filters(request.args.to_dict()))


@bp.get("/councils/<code>/audit")
@requires("view-council-audit-log")
def council_audit_log(code: str) -> ResponseReturnValue:
    council = administered_council(code)
    return _log_page(council, parse_audit_filters(request.args.to_dict()))


@bp.get("/councils/<code>/audit.csv")
@requires("view-council-audit-log")
def council_audit_csv(code: str) -> Response:
    council = administered_council(code)
    return _csv(council, parse_audit_filters(request.args.to_dict()))
