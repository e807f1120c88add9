"""Settings per environment, chosen by APP_ENV (development, test or production)."""

from config.settings import ConfigError, load_settings

__all__ = ["ConfigError", "load_settings"]
