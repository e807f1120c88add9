"""Server-side sessions: they end at sign-out, after idling, and at the absolute limit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import UserSession
from app.auth.sessions import SESSION_KEY
from app.common.db_types import utcnow
from app.extensions import db
from config import load_settings
from tests.factories import create_user


def signed_in(client) -> bool:
    response = client.get("/account")
    return response.status_code == 200


def test_the_account_page_needs_a_live_session(client, sign_in):
    user = create_user("editor", None)
    assert not signed_in(client)
    sign_in(user)
    assert signed_in(client)


def test_a_user_id_in_the_cookie_is_not_enough(client):
    # The old cookie-only scheme: a (forged or stolen) user id without a server session is ignored.
    user = create_user()
    with client.session_transaction() as session:
        session["user_id"] = user.id
    assert not signed_in(client)


def test_signing_out_ends_the_session_for_a_copied_cookie(client, sign_in, app_ctx):
    user = create_user()
    sign_in(user)
    with client.session_transaction() as session:
        copied = dict(session)
    client.post("/auth/sign-out")
    assert not signed_in(client)
    other = app_ctx.test_client()
    with other.session_transaction() as session:
        session.update(copied)
    assert not signed_in(other)
    assert db.session.scalar(select(UserSession)).revoked_at is not None


def _age_session(**changes):
    row = db.session.scalar(select(UserSession))
    for name, ago in changes.items():
        setattr(row, name, utcnow() - ago)
    db.session.commit()


def test_an_idle_session_ends(client, sign_in, app_ctx):
    sign_in(create_user())
    idle = app_ctx.config["SESSION_IDLE_MINUTES"]
    _age_session(last_seen_at=timedelta(minutes=idle - 1))
    assert signed_in(client)  # and the visit counts as activity
    _age_session(last_seen_at=timedelta(minutes=idle + 1))
    assert not signed_in(client)
    with client.session_transaction() as session:
        assert SESSION_KEY not in session


def test_a_session_ends_at_the_absolute_limit_however_active(client, sign_in, app_ctx):
    sign_in(create_user())
    hours = app_ctx.config["SESSION_MAX_HOURS"]
    _age_session(created_at=timedelta(hours=hours) - timedelta(minutes=5))
    assert signed_in(client)
    _age_session(created_at=timedelta(hours=hours, minutes=1), last_seen_at=timedelta(0))
    assert not signed_in(client)


def test_visiting_keeps_an_active_session_alive(client, sign_in, app_ctx):
    sign_in(create_user())
    _age_session(last_seen_at=timedelta(minutes=10))
    assert signed_in(client)
    db.session.expire_all()
    row = db.session.scalar(select(UserSession))
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)


def test_timeouts_and_cookie_flags_come_from_settings():
    production = load_settings(
        {
            "APP_ENV": "production",
            "SECRET_KEY": "x" * 32,
            "DATABASE_URL": "sqlite://",
            "SESSION_IDLE_MINUTES": "15",
            "SESSION_MAX_HOURS": "8",
        }
    )
    assert production["SESSION_IDLE_MINUTES"] == 15
    assert production["SESSION_MAX_HOURS"] == 8
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_session_cookie_is_httponly_and_lax(client):
    with client.session_transaction() as session:
        session["probe"] = 1
    cookie = client.get_cookie("session", domain="localhost")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
