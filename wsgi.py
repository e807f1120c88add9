"""Entry point for gunicorn (`gunicorn wsgi:app`) and for `flask --app wsgi`."""

import sys

from app import create_app
from config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"Proving Ground cannot start: {error}")
