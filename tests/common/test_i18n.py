"""Every page is written translatable: no unmarked text in a template, and a catalogue in step."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, render_template_string
from flask_babel import get_locale

from app import create_app
from tests.common.untranslated_text import find_unmarked

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "app" / "templates"
TRANSLATIONS = ROOT / "app" / "translations"

# Templates not yet marked (another branch was changing them): none left.
PENDING: list[str] = []

DELIBERATELY_UNMARKED = """\
{% extends "base.html" %}
{% set title = "Untranslated title" %}
{% block main_content %}
<h1>{{ _("Marked heading") }}</h1>
<p class="govuk-body">Plain paragraph {{ count }}</p>
<img src="/x.png" alt="A picture">
{{ govukTag({'text': 'Unmarked tag', 'classes': 'govuk-tag--blue'}) }}
{{ subscribe('unmarked feed name', 'feeds.pilots') }}
<p>{% trans n=count %}Marked {{ n }} times{% endtrans %} · £{{ money }}</p>
{% endblock %}
"""


def _templates() -> list[str]:
    return sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("name", _templates())
def test_every_template_marks_its_text_for_translation(app: Flask, name: str):
    if name in PENDING:
        pytest.skip(f"{name} is PENDING")
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    unmarked = find_unmarked(app.jinja_env, source, name)
    assert not unmarked, "text not marked for translation:\n" + "\n".join(map(str, unmarked))


def test_the_checker_reports_text_left_unmarked(app: Flask):
    found = find_unmarked(app.jinja_env, DELIBERATELY_UNMARKED, "deliberate.html")
    assert [(item.line, item.text) for item in found] == [
        (2, "Untranslated title"),
        (5, "Plain paragraph …"),
        (6, "A picture"),
        (7, "Unmarked tag"),
        (8, "unmarked feed name"),
    ]
    assert str(found[0]) == "deliberate.html:2: 'Untranslated title'"


def _extracted_msgids() -> set[str]:
    """What `make translations` would extract now (the same mapping and keywords)."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    extracted = extract_from_dir(str(ROOT / "app"), method_map, options_map, keywords=keywords)
    return {message if isinstance(message, str) else message[0] for _, _, message, *_ in extracted}


def _msgids(path: Path) -> set[str]:
    with open(path, "rb") as catalogue:
        return {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(catalogue)
            if message.id
        }


def test_the_catalogue_template_holds_every_marked_string_and_no_other():
    committed = _msgids(TRANSLATIONS / "messages.pot")
    extracted = _extracted_msgids()
    assert extracted - committed == set(), "run `make translations`: new strings"
    assert committed - extracted == set(), "run `make translations`: strings no longer used"


def test_each_language_catalogue_follows_the_template():
    template = _msgids(TRANSLATIONS / "messages.pot")
    catalogues = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    assert [path.parent.parent.name for path in catalogues][:1] == ["en"]
    for path in catalogues:
        assert _msgids(path) == template, f"run `make translations`: {path} is behind"


@pytest.fixture
def welsh_app(tmp_path: Path) -> Flask:
    """The app with a one-string Welsh catalogue beside the English one."""
    catalogue = Catalog(locale="cy")
    catalogue.add("Search pilots", "Chwilio am gynlluniau peilot")
    target = tmp_path / "cy" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as mo:
        write_mo(mo, catalogue)
    return create_app(
        {
            "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "INSTANCE_DIR": str(tmp_path / "instance"),
        }
    )


def test_a_page_is_in_english_unless_the_browser_asks_for_a_language_with_a_catalogue(
    welsh_app: Flask,
):
    with welsh_app.test_request_context(headers={"Accept-Language": "fr, de"}):
        assert render_template_string("{{ _('Search pilots') }}") == "Search pilots"
    with welsh_app.test_request_context(headers={"Accept-Language": "cy, en;q=0.5"}):
        page = render_template_string(
            '{% extends "base.html" %}{% set title = _("Search pilots") %}'
        )
    assert '<html lang="cy"' in page
    assert "<title>Chwilio am gynlluniau peilot – Proving Ground</title>" in page


def test_the_default_locale_is_english_and_configurable(app: Flask):
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        assert str(get_locale()) == "en"
    assert app.config["BABEL_DEFAULT_LOCALE"] == "en"
