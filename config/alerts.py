"""Email alerts' settings: the job queue's Redis, the delivery backend and its credentials."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAIL_BACKENDS = ("smtp", "notify", "log")


def alert_settings(env: Mapping[str, str], app_env: str) -> dict[str, Any]:
    """ALERTS_* and MAIL_*/SMTP_*/NOTIFY_* from the environment. `log` (the default outside
    production) writes each email to the worker's log, so `make run` needs no mail server."""
    from config.settings import ConfigError  # settings imports this module

    production = app_env == "production"
    backend = env.get("MAIL_BACKEND", "smtp" if production else "log")
    if backend not in MAIL_BACKENDS or (production and backend == "log"):
        raise ConfigError(f"MAIL_BACKEND must be smtp or notify, not {backend!r}")
    if backend == "notify" and not (env.get("NOTIFY_API_KEY") and env.get("NOTIFY_TEMPLATE_ID")):
        raise ConfigError("MAIL_BACKEND=notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID")
    return {
        "ALERTS_REDIS_URL": env.get("ALERTS_REDIS_URL", "redis://127.0.0.1:6379/0"),
        "ALERTS_QUEUE": env.get("ALERTS_QUEUE", "proving-ground-alerts"),
        # The tests' many commits must not fill a shared Redis; the alert tests turn it on.
        "ALERTS_QUEUE_ENABLED": env.get("ALERTS_QUEUE_ENABLED", "0" if app_env == "test" else "1")
        != "0",
        "ALERTS_PER_ADDRESS": int(env.get("ALERTS_PER_ADDRESS", "50")),
        "RATELIMIT_ALERT_SIGN_UPS": env.get("RATELIMIT_ALERT_SIGN_UPS", "10 per hour"),
        "MAIL_BACKEND": backend,
        "MAIL_FROM": env.get("MAIL_FROM", "Proving Ground <alerts@localhost>"),
        "SMTP_HOST": env.get("SMTP_HOST", "localhost"),
        "SMTP_PORT": int(env.get("SMTP_PORT", "25")),
        "SMTP_USERNAME": env.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env.get("SMTP_STARTTLS", "0") != "0",
        "NOTIFY_API_KEY": env.get("NOTIFY_API_KEY", ""),
        "NOTIFY_BASE_URL": env.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"),
        # One Notify template whose subject is ((subject)) and body ((body)): the app writes both.
        "NOTIFY_TEMPLATE_ID": env.get("NOTIFY_TEMPLATE_ID", ""),
    }
