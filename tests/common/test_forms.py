"""The shared number field and the importers' date parser, as the people typing them see them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from app.common.forms import DecimalTextField
from app.common.importing import parse_iso_date


class NumbersForm(FlaskForm):
    target = DecimalTextField("Target")
    latitude = DecimalTextField(
        "Latitude", minimum=Decimal("49"), maximum=Decimal("61"), places=6, example="51.5074"
    )


@pytest.mark.parametrize(
    ("typed", "value", "error"),
    [
        ("1,200", Decimal("1200.0000"), None),
        ("22.5%", Decimal("22.5000"), None),
        ("lots", None, "Target must be a number, like 22 or 3.5"),
        ("1e12", None, "Target must be a number under 100 billion"),
        ("NaN", None, "Target must be a number under 100 billion"),
        ("99999999999.9999", Decimal("99999999999.9999"), None),
        # Within the limit as typed, but rounded to four places it is 100 billion.
        ("99999999999.99999", None, "Target must be a number under 100 billion"),
    ],
)
def test_a_number_is_read_as_people_type_it(app, typed, value, error):
    with app.test_request_context(method="POST"):
        form = NumbersForm(MultiDict({"target": typed}), meta={"csrf": False})
        form.validate()
        assert form.target.data == value
        assert form.target.errors == ([error] if error else [])
        assert form.target._value() == typed  # shown back as typed


def test_a_number_in_a_range_says_what_the_range_is(app):
    with app.test_request_context(method="POST"):
        form = NumbersForm(MultiDict({"latitude": "71.5"}), meta={"csrf": False})
        form.validate()
        assert form.latitude.errors == ["Latitude must be between 49 and 61"]
        form = NumbersForm(MultiDict({"latitude": "north"}), meta={"csrf": False})
        form.validate()
        assert form.latitude.errors == ["Latitude must be a number, like 51.5074"]
        form = NumbersForm(data={"latitude": Decimal("51.507400")}, meta={"csrf": False})
        assert form.latitude._value() == "51.5074"


def test_an_import_date_is_iso_or_a_reason():
    errors: list[str] = []
    assert parse_iso_date(" 2026-03-27 ", "start_date", errors) == date(2026, 3, 27)
    assert parse_iso_date("", "start_date", errors) is None
    assert parse_iso_date("27/03/2026", "start_date", errors) is None
    assert errors == ["start_date '27/03/2026' is not a date in the form YYYY-MM-DD"]
