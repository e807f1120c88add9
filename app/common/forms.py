"""Form fields shared across domains, with messages that say how to fix the input."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovTextInput
from wtforms import Field, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from app.common.money import parse_pounds
from app.common.text import strip_control

NUMBER_LIMIT = Decimal("100000000000")


def clean_text(value: Any) -> Any:
    """Strip control characters and surrounding space from any submitted text."""
    return strip_control(value).strip() if isinstance(value, str) else value


# The boxes of a date, named in the message that says which are missing.
DATE_PARTS = (_l("day"), _l("month"), _l("year"))


class DateBoxes(GovDateInput):
    """GovDateInput without the `required` it puts on its wrapping `<div>` for a required field:
    HTML allows it on no `<div>` (the Nu Html Checker fails the page) and no browser heeds it."""

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params: dict[str, Any] = super().map_gov_params(field, **kwargs)
        params["attributes"].pop("required", None)
        return params


class GovDateField(Field):
    """Day, month and year boxes; empty is None, anything else must be a real date."""

    widget = DateBoxes()

    def __init__(self, label: str = "", validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.data: date | None

    def process_formdata(self, valuelist: list[str]) -> None:
        parts = [strip_control(v).strip() for v in valuelist[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        if not all(parts):
            self.data = None
            missing = [n for n, v in zip(DATE_PARTS, parts, strict=True) if not v]
            raise ValueError(
                gettext(
                    "%(field)s must include a %(parts)s",
                    field=self.label.text,
                    parts=gettext(" and ").join(str(part) for part in missing),
                )
            )
        try:
            self.data = datetime.strptime(" ".join(parts), "%d %m %Y").date()
        except ValueError:
            self.data = None
            raise ValueError(
                gettext("%(field)s must be a real date, like 27 3 2026", field=self.label.text)
            ) from None
        if not 1900 <= self.data.year <= 2100:
            self.data = None
            raise ValueError(
                gettext("%(field)s must be a year between 1900 and 2100", field=self.label.text)
            )

    def _value(self) -> str:
        return self.data.strftime("%d %m %Y") if self.data else ""


class PoundsField(StringField):
    """An amount in pounds, held as integer pence."""

    widget = GovTextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = clean_text(valuelist[0]) if valuelist else ""
        self.raw_data = [raw]
        if not raw:
            self.data = None
            return
        try:
            self.data = parse_pounds(raw)
        except ValueError as error:
            self.data = None
            if "no more than" in str(error):
                message = str(error)
                raise ValueError(f"{self.label.text}: {message[0].lower()}{message[1:]}") from None
            raise ValueError(
                gettext(
                    "%(field)s must be an amount in pounds, like 12500 or £12,500",
                    field=self.label.text,
                )
            ) from None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        if self.data is None:
            return ""
        pounds, pence = divmod(int(self.data), 100)
        return f"{pounds}" if pence == 0 else f"{pounds}.{pence:02d}"


class DecimalTextField(StringField):
    """A decimal number typed as text ("12,500", "3.5%"), kept to `places` decimal places: within
    `minimum`..`maximum` when given (latitude), else under 100 billion (a measure's target)."""

    widget = GovTextInput()

    def __init__(
        self,
        label: str,
        validators: Any = None,
        *,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        places: int = 4,
        example: str = "22 or 3.5",
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.minimum, self.maximum = minimum, maximum
        self.quantum = Decimal(1).scaleb(-places)
        self.example = example

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = clean_text(valuelist[0]) if valuelist else ""
        self.raw_data = [raw]
        self.data = None
        if not raw:
            return
        try:
            value = Decimal(raw.replace(",", "").rstrip("%"))
        except InvalidOperation:
            raise ValueError(
                gettext(
                    "%(field)s must be a number, like %(example)s",
                    field=self.label.text,
                    example=self.example,
                )
            ) from None
        if self.minimum is not None and self.maximum is not None:
            if not value.is_finite() or not self.minimum <= value <= self.maximum:
                raise ValueError(
                    gettext(
                        "%(field)s must be between %(minimum)s and %(maximum)s",
                        field=self.label.text,
                        minimum=self.minimum,
                        maximum=self.maximum,
                    )
                )
        elif not value.is_finite() or abs(value) >= NUMBER_LIMIT:
            raise ValueError(
                gettext("%(field)s must be a number under 100 billion", field=self.label.text)
            )
        self.data = value.quantize(self.quantum)

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else format(Decimal(self.data).normalize(), "f")


def add_errors(form: Any, errors: dict[str, str], names: dict[str, str] | None = None) -> None:
    """Show a service's errors (field name → how to fix it) on the form's fields; `names` maps a
    service's name to the form's where they differ (planned_cost_pence → planned_cost)."""
    for name, message in errors.items():
        field = form[(names or {}).get(name, name)]
        field.errors = [*field.errors, message]


def no_longer_than(limit: int, what: str) -> Any:
    def check(form: Any, field: Any) -> None:
        if field.data and len(field.data) > limit:
            raise ValidationError(
                gettext(
                    "%(what)s must be %(limit)s characters or fewer", what=what, limit=f"{limit:,}"
                )
            )

    return check


def choices(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class ListedChoiceField(SelectField):
    """A select whose 'not in the list' error says what to do."""

    def __init__(
        self, *args: Any, invalid_message: str = _l("Choose an option from the list"), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form: Any) -> None:
        values = [c.value if isinstance(c, SelectChoice) else c[0] for c in self.choices or []]
        if self.data not in values:
            raise ValidationError(self.invalid_message)


class ListedMultipleChoiceField(SelectMultipleField):
    """Checkboxes whose 'not in the list' error says what to do."""

    def __init__(
        self, *args: Any, invalid_message: str = _l("Choose options from the list"), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form: Any) -> None:
        values = {c.value if isinstance(c, SelectChoice) else c[0] for c in self.choices or []}
        if any(value not in values for value in self.data or []):
            raise ValidationError(self.invalid_message)
