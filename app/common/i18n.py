"""Translation: every page is written translatable, for the Welsh Language Standards.

Templates mark their text with `_()`, `ngettext()` and `{% trans %}` (Jinja's i18n extension,
installed by Flask-Babel); Python code uses `gettext` at request time and `lazy_gettext` for
anything built at import time (form labels, validator messages). `make translations` extracts
the marked strings into `app/translations/messages.pot` and keeps each language's catalogue
(`app/translations/<locale>/LC_MESSAGES/messages.po`) in step; `make install` compiles them.

A page is in the default locale (`BABEL_DEFAULT_LOCALE`, English) unless the browser asks for
another language that has a compiled catalogue: adding `cy` later is a catalogue, not code.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_babel import Babel, format_decimal, get_locale

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

# The `lang` attribute of <html> for each locale with a catalogue (GOV.UK pages say en-GB).
HTML_LANG = {"en": "en-GB", "cy": "cy"}

babel = Babel()


def select_locale() -> str:
    """The best of the compiled catalogues for the browser's Accept-Language, else the default."""
    default = str(babel.default_locale)
    available = [str(locale) for locale in babel.list_translations()]
    return request.accept_languages.best_match(available, default=default) or default


def decimal_places(value: float, places: int = 2) -> str:
    """A figure to a fixed number of decimal places, written as the reader's language writes it."""
    return str(format_decimal(value, format="#,##0." + "0" * places))


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    app.add_template_filter(decimal_places, "decimal")

    @app.context_processor
    def _html_lang() -> dict[str, str]:
        locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {"html_lang": HTML_LANG.get(locale, locale)}
