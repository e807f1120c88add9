from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.extensions import db
from config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"APP_ENV": "production", "DATABASE_URL": "postgresql+psycopg://x/y"}, "SECRET_KEY"),
        ({"APP_ENV": "production", "SECRET_KEY": "s"}, "DATABASE_URL"),
        ({"APP_ENV": "staging"}, "APP_ENV"),
        ({"SEARCH_BACKEND": "solr"}, "SEARCH_BACKEND"),
        ({"AUTH_PROVIDERS": "entra"}, "AUTH_ENTRA_ISSUER"),
    ],
)
def test_bad_settings_are_refused_with_a_reason(env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_production_settings_are_secure():
    settings = load_settings(
        {"APP_ENV": "production", "SECRET_KEY": "k", "DATABASE_URL": "postgresql+psycopg://x/y"}
    )
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert settings["SECRET_KEY"] == "k"


def test_production_refuses_to_start_without_secret_key():
    env = {"APP_ENV": "production", "DATABASE_URL": "sqlite://", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        "Proving Ground cannot start: SECRET_KEY must be set when APP_ENV=production"
    )


def test_default_database_is_sqlite_in_instance():
    settings = load_settings({})
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert settings["SQLALCHEMY_DATABASE_URI"].endswith("instance/proving-ground.sqlite3")


def test_rate_limits_come_from_the_environment():
    settings = load_settings({"RATELIMIT_SIGN_IN": "3 per minute"})
    assert settings["RATELIMIT_SIGN_IN"] == "3 per minute"
    assert "RATELIMIT_FORM_POSTS_PER_USER" not in load_settings({})


def test_the_public_address_fixes_the_trusted_host():
    settings = load_settings({"SERVER_BASE_URL": "https://registry.example/"})
    assert settings["SERVER_BASE_URL"] == "https://registry.example"
    assert settings["TRUSTED_HOSTS"] == ["registry.example"]
    assert settings["PREFERRED_URL_SCHEME"] == "https"
    with pytest.raises(ConfigError, match="SERVER_BASE_URL"):
        load_settings({"SERVER_BASE_URL": "registry.example"})


def test_a_forged_host_cannot_poison_a_feed(app, database_url, tmp_path):  # app: migrated
    from app import create_app
    from tests.conftest import app_overrides

    overrides = app_overrides(database_url, tmp_path)
    overrides.pop("SERVER_NAME")
    settings = load_settings({"SERVER_BASE_URL": "https://registry.example"})
    overrides.update(
        TRUSTED_HOSTS=settings["TRUSTED_HOSTS"], SERVER_BASE_URL="https://registry.example"
    )
    application = create_app(overrides)
    client = application.test_client()
    try:
        assert client.get("/feeds/pilots.atom", headers={"Host": "evil.example"}).status_code == 400
        response = client.get("/feeds/pilots.atom", headers={"Host": "registry.example"})
        assert response.status_code == 200
        assert b"evil.example" not in response.data
    finally:
        with application.app_context():
            db.engine.dispose()
