"""Settings read from the environment.

Secrets come only from the environment. Production refuses to start without SECRET_KEY and
DATABASE_URL, so a misconfigured server fails loudly at boot rather than quietly later.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from config.alerts import alert_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "test", "production")


class ConfigError(RuntimeError):
    """The environment cannot produce a working configuration."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from exc


# The largest form a person can legitimately send is a pilot with every field full: about 118,000
# characters, a 100,000-character case study among them. In the widest characters (4 bytes in
# UTF-8, 12 percent-encoded) that is 1.4 MB, so the limit sits comfortably above it: an over-long
# field gets its own message with the text kept, rather than a 413 that loses it.
DEFAULT_MAX_CONTENT_LENGTH = 4 * 1024 * 1024


def _body_limits(max_content_length: int) -> dict[str, int]:
    # Flask's own limit on one multipart text field (500 kB) would otherwise cut in first.
    return {"MAX_CONTENT_LENGTH": max_content_length, "MAX_FORM_MEMORY_SIZE": max_content_length}


def _auth_providers(env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    names = [n.strip().lower() for n in env.get("AUTH_PROVIDERS", "").split(",") if n.strip()]
    providers: dict[str, dict[str, str]] = {}
    for name in names:
        prefix = f"AUTH_{name.upper()}_"
        provider = {
            "issuer": env.get(prefix + "ISSUER", ""),
            "client_id": env.get(prefix + "CLIENT_ID", ""),
            "client_secret": env.get(prefix + "CLIENT_SECRET", ""),
            "label": env.get(prefix + "LABEL", name.title()),
            "private_key_file": env.get(prefix + "PRIVATE_KEY_FILE", ""),
        }
        missing = [k for k in ("issuer", "client_id") if not provider[k]]
        if missing:
            raise ConfigError(
                f"provider {name!r} is listed in AUTH_PROVIDERS but "
                + ", ".join(prefix + k.upper() for k in missing)
                + " is not set"
            )
        providers[name] = provider
    return providers


def _public_address(base_url: str, production: bool) -> dict[str, Any]:
    """SERVER_BASE_URL is the site's public address: links in feeds and exports use it, and
    requests naming any other host are refused (so a forged Host header cannot poison them)."""
    settings: dict[str, Any] = {
        "SERVER_BASE_URL": base_url.rstrip("/"),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    }
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"SERVER_BASE_URL must be like https://registry.example, not {base_url!r}"
            )
        settings["PREFERRED_URL_SCHEME"] = parts.scheme
        settings["TRUSTED_HOSTS"] = [parts.netloc]
    return settings


def load_settings(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping for APP_ENV from the environment."""
    env = os.environ if env is None else env
    app_env = env.get("APP_ENV", "development")
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {app_env!r}")
    production = app_env == "production"

    secret_key = env.get("SECRET_KEY", "")
    if production and not secret_key:
        raise ConfigError("SECRET_KEY must be set when APP_ENV=production")
    database_url = env.get("DATABASE_URL", "")
    if production and not database_url:
        raise ConfigError("DATABASE_URL must be set when APP_ENV=production")
    instance_dir = Path(env.get("INSTANCE_DIR", PROJECT_ROOT / "instance"))
    if not database_url:
        database_url = f"sqlite:///{instance_dir / 'proving-ground.sqlite3'}"

    search_backend = env.get("SEARCH_BACKEND", "whoosh")
    if search_backend not in ("whoosh", "postgres"):
        raise ConfigError(f"SEARCH_BACKEND must be whoosh or postgres, not {search_backend!r}")

    return {
        "APP_ENV": app_env,
        "TESTING": app_env == "test",
        "SECRET_KEY": secret_key or secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "INSTANCE_DIR": str(instance_dir),
        "SEARCH_BACKEND": search_backend,
        "SEARCH_INDEX_DIR": env.get("SEARCH_INDEX_DIR", str(PROJECT_ROOT / "search_index")),
        # Several servers (README "Search on several servers"): how often a worker looks at the
        # change log before a search (0: before every one), how long it waits for another
        # worker applying changes before answering from the index as it is, and how long the
        # log keeps changes (an index further behind rebuilds itself).
        "SEARCH_LOG_CHECK_MS": _int(env, "SEARCH_LOG_CHECK_MS", 0),
        "SEARCH_LOG_WAIT_MS": _int(env, "SEARCH_LOG_WAIT_MS", 500),
        "SEARCH_LOG_KEEP_DAYS": _int(env, "SEARCH_LOG_KEEP_DAYS", 7),
        "CONTENT_DIR": env.get("CONTENT_DIR", str(PROJECT_ROOT / "content")),
        "AUTH_PROVIDERS": _auth_providers(env),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_IDLE_MINUTES": _int(env, "SESSION_IDLE_MINUTES", 60),
        "SESSION_MAX_HOURS": _int(env, "SESSION_MAX_HOURS", 12),
        "REPORT_DUE_DAYS": _int(env, "REPORT_DUE_DAYS", 90),
        "REPORT_GRACE_DAYS": _int(env, "REPORT_GRACE_DAYS", 30),
        **_body_limits(_int(env, "MAX_CONTENT_LENGTH", DEFAULT_MAX_CONTENT_LENGTH)),
        "BABEL_DEFAULT_LOCALE": env.get("BABEL_DEFAULT_LOCALE", "en"),
        "PILOTS_PER_PAGE": 20,
        "WTF_CSRF_ENABLED": env.get("WTF_CSRF_ENABLED", "1") != "0",
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "1") != "0",
        "PAGE_CACHE_ENABLED": env.get("PAGE_CACHE", "1") != "0",
        "PAGE_CACHE_LISTEN": env.get("PAGE_CACHE_LISTEN", "1") != "0",
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        # Keys in a shared store start with this, so one Redis can serve several registries.
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "proving-ground"),
        # Redis down must not turn every form post into a 500: each worker counts in memory
        # until the shared storage answers again.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        **{
            name: env[name]
            for name in (
                "RATELIMIT_SIGN_IN",
                "RATELIMIT_FORM_POSTS_PER_USER",
                "RATELIMIT_FORM_POSTS_PER_ADDRESS",
                "RATELIMIT_CONSULTATION_ANSWERS",
            )
            if env.get(name)
        },
        "THREESIXTYGIVING_PREFIX": env.get("THREESIXTYGIVING_PREFIX", "360G-provingground"),
        **_public_address(env.get("SERVER_BASE_URL", ""), production),
        # How many proxies in front of the app set X-Forwarded-For/-Proto (0: none trusted).
        "TRUSTED_PROXY_HOPS": _int(env, "TRUSTED_PROXY_HOPS", 0),
        **alert_settings(env, app_env),
    }
