"""The appraisal form: the appraisal's settings, then its options, each with add-another rows of
cost lines, benefit lines and process steps, all posted back to the server (no JavaScript).

Field names are those the service names its errors by: `options-0-costs-2-high_pence` is the
high figure of the third cost line of the first option, so a service error lands on its field.
Adding or removing a row is a submit button (`action`): the server renders the form again with
the rows renumbered (see `rows.py`), and saves nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea, GovTextInput
from wtforms import Field, FieldList, Form, FormField, StringField, TextAreaField

from app.appraisal.models import (
    Appraisal,
    AppraisalOption,
    BenefitLine,
    CostLine,
    ProcessStep,
)
from app.appraisal.reference import GRADES, Reference
from app.appraisal.rows import apply_action
from app.appraisal.validation import AppraisalError
from app.common.forms import (
    DecimalTextField,
    ListedChoiceField,
    PoundsField,
    choices,
    clean_text,
)

KIND_CHOICES = [
    ("preferred", _l("Preferred")),
    ("do-minimum", _l("Do-minimum")),
    ("business-as-usual", _l("Business as usual")),
    ("alternative", _l("Alternative")),
]
YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]
GRADE_CHOICES = [(str(g), str(g)) for g in GRADES]
YEARS_PATTERN = re.compile(r"^\s*(\d{1,3})\s*(?:(?:-|–|to)\s*(\d{1,3}))?\s*$")


class WholeNumberField(StringField):
    """A whole number typed as text ("12,000"); empty is None."""

    widget = GovTextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = clean_text(valuelist[0]) if valuelist else ""
        self.raw_data = [raw]
        self.data = None
        if not raw:
            return
        text = raw.replace(",", "")
        if not re.fullmatch(r"-?\d{1,12}", text):
            raise ValueError(f"{self.label.text} must be a whole number, like 1200")
        self.data = int(text)

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else str(self.data)


class YearsField(StringField):
    """The years a figure falls in, counted from 0 (the price year): "0, 1, 2" or "1-3"."""

    widget = GovTextInput()

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = clean_text(valuelist[0]) if valuelist else ""
        self.raw_data = [raw]
        self.data = []
        years: list[int] = []
        for part in filter(None, (p.strip() for p in raw.split(","))):
            found = YEARS_PATTERN.match(part)
            if not found:
                raise ValueError(f"{self.label.text}: enter years like 0, 1, 2 or 1-3")
            first = int(found.group(1))
            last = int(found.group(2) or first)
            if last < first or last - first > 100:
                raise ValueError(f"{self.label.text}: a range runs from the earlier year")
            years.extend(range(first, last + 1))
        self.data = years

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return ", ".join(str(y) for y in self.data or [])


def _text(label: Any, area: bool = False, **kwargs: Any) -> Any:
    if area:
        return TextAreaField(label, widget=GovTextArea(), filters=[clean_text], **kwargs)
    return StringField(label, widget=GovTextInput(), filters=[clean_text], **kwargs)


def _choice(label: Any, pairs: list[tuple[str, Any]], **kwargs: Any) -> ListedChoiceField:
    return ListedChoiceField(label, choices=choices(pairs), widget=GovSelect(), **kwargs)


def _percent(label: Any) -> DecimalTextField:
    return DecimalTextField(
        label, minimum=Decimal(0), maximum=Decimal(100), places=2, example="10 or 12.5"
    )


class CostForm(Form):
    name = _text(_l("Cost"))
    recurrence = _choice(
        _l("One-off or recurring"), [("recurring", _l("Recurring")), ("one-off", _l("One-off"))]
    )
    nature = _choice(
        _l("Capital or revenue"), [("revenue", _l("Revenue")), ("capital", _l("Capital"))]
    )
    low_pence = PoundsField(_l("Low (£ a year)"))
    likely_pence = PoundsField(_l("Most likely (£ a year)"))
    high_pence = PoundsField(_l("High (£ a year)"))
    years = YearsField(_l("Years (0 is the price year)"))
    confidence_grade = _choice(_l("Confidence grade (1 best, 5 worst)"), GRADE_CHOICES)


class BenefitForm(Form):
    name = _text(_l("Benefit"))
    cashable = _choice(_l("Cashable"), YES_NO)
    category = _choice(
        _l("Kind of value"),
        [("fiscal", _l("Fiscal")), ("economic", _l("Economic")), ("social", _l("Social"))],
    )
    low_pence = PoundsField(_l("Low (£ a year)"))
    likely_pence = PoundsField(_l("Most likely (£ a year)"))
    high_pence = PoundsField(_l("High (£ a year)"))
    years = YearsField(_l("Years (0 is the price year)"))
    confidence_grade = _choice(_l("Confidence grade (1 best, 5 worst)"), GRADE_CHOICES)
    deadweight_percent = _percent(_l("Deadweight (%)"))
    displacement_percent = _percent(_l("Displacement (%)"))
    leakage_percent = _percent(_l("Leakage (%)"))
    substitution_percent = _percent(_l("Substitution (%)"))
    unit_cost_reference = _text(_l("Unit cost reference (optional)"))


class StepForm(Form):
    stage = _choice(_l("Stage"), [("as-is", _l("As it is")), ("to-be", _l("With the option"))])
    name = _text(_l("Step"))
    channel = _choice(
        _l("Channel"),
        [
            ("face-to-face", _l("Face to face")),
            ("phone", _l("Phone")),
            ("web", _l("Web")),
            ("post", _l("Post")),
            ("assisted-digital", _l("Assisted digital")),
        ],
    )
    volume_low = WholeNumberField(_l("Yearly volume, low"))
    volume_likely = WholeNumberField(_l("Yearly volume, most likely"))
    volume_high = WholeNumberField(_l("Yearly volume, high"))
    staff_minutes = DecimalTextField(
        _l("Staff minutes per contact"), minimum=Decimal(0), maximum=Decimal(1440), places=2
    )
    cost_per_contact_pence = PoundsField(_l("Cost per contact (£)"))


class OptionForm(Form):
    kind = _choice(_l("Kind of option"), KIND_CHOICES)
    name = _text(_l("Name"))
    description = _text(_l("Description"), area=True)
    kept = _choice(_l("Kept on the shortlist"), YES_NO)
    reason = _text(_l("Why it was kept or discarded"), area=True)
    process_years = YearsField(_l("Years the process model's saving falls in"))
    costs = FieldList(FormField(CostForm))
    benefits = FieldList(FormField(BenefitForm))
    steps = FieldList(FormField(StepForm))


class AppraisalForm(FlaskForm):
    horizon_years = WholeNumberField(_l("Horizon (years, up to 10)"))
    price_year = WholeNumberField(_l("Price year"))
    discount_edition = _choice(_l("Discount schedule"), [])
    offline_floor_percent = _percent(_l("Floor for contacts on offline channels (%)"))
    ob_1 = _percent(_l("Optimism bias, grade 1 (%)"))
    ob_2 = _percent(_l("Optimism bias, grade 2 (%)"))
    ob_3 = _percent(_l("Optimism bias, grade 3 (%)"))
    ob_4 = _percent(_l("Optimism bias, grade 4 (%)"))
    ob_5 = _percent(_l("Optimism bias, grade 5 (%)"))
    reason = _text(_l("Reason for the change"), area=True)
    options = FieldList(FormField(OptionForm))


def appraisal_form(reference: Reference, **kwargs: Any) -> AppraisalForm:
    """The form, with the discount schedules the registry has."""
    form = AppraisalForm(**kwargs)
    form.discount_edition.choices = choices(
        (edition, schedule.name) for edition, schedule in reference.schedules.items()
    )
    return form


def leaf_fields(form: Any) -> Iterator[Field]:
    """Every input field of the form, nested rows included, in page order."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                yield from leaf_fields(entry.form)
        elif isinstance(field, FormField):
            yield from leaf_fields(field.form)
        elif field.type not in ("CSRFTokenField",):
            yield field


def _yes(value: str | None) -> bool:
    return value != "no"


def appraisal_from(form: AppraisalForm, reference: Reference) -> Appraisal:
    """An unsaved appraisal from the form's data, for the service to check and save. An
    optimism bias grade left empty keeps the registry's figure; all empty keeps its table."""
    grades = {g: getattr(form, f"ob_{g}").data for g in GRADES}
    optimism_bias = None
    if any(v is not None for v in grades.values()):
        optimism_bias = {
            # As plain text ("12.5", not "12.50"): what the content hash covers.
            str(g): format((reference.optimism_bias[g] if v is None else v).normalize(), "f")
            for g, v in grades.items()
        }
    return Appraisal(
        horizon_years=form.horizon_years.data,
        price_year=form.price_year.data,
        discount_edition=form.discount_edition.data or reference.default_edition,
        offline_floor_percent=form.offline_floor_percent.data,
        optimism_bias=optimism_bias,
        options=[_option(entry.form) for entry in form.options],
    )


def _option(form: OptionForm) -> AppraisalOption:
    return AppraisalOption(
        kind=form.kind.data,
        name=form.name.data or "",
        description=form.description.data or "",
        kept=_yes(form.kept.data),
        reason=form.reason.data or "",
        process_years=form.process_years.data or [],
        costs=[
            CostLine(**_values(e.form, {"confidence_grade": _grade}))
            for e in form.costs
            if _entered(e.form)
        ],
        benefits=[
            BenefitLine(
                **_values(
                    e.form,
                    {"confidence_grade": _grade, "cashable": _yes}
                    | {f"{n}_percent": _zero for n in ADDITIONALITY_NAMES},
                )
            )
            for e in form.benefits
            if _entered(e.form)
        ],
        steps=[
            ProcessStep(**_values(e.form, {"staff_minutes": _zero}))
            for e in form.steps
            if _entered(e.form)
        ],
    )


ADDITIONALITY_NAMES = ("deadweight", "displacement", "leakage", "substitution")


def _entered(row: Form) -> bool:
    """Whether anything was typed in a row: a row left empty (as added, say) is not a line."""
    typed = ("name", "low_pence", "likely_pence", "high_pence", "volume_likely")
    return any(row[name].data not in (None, "") for name in typed if name in row)


def _grade(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _zero(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else value


def _values(form: Form, convert: dict[str, Any]) -> dict[str, Any]:
    return {
        field.short_name: convert.get(field.short_name, lambda v: v)(field.data) for field in form
    }


ROW_NAMES = {"options": "option", "costs": "cost line", "benefits": "benefit line", "steps": "step"}


def add_service_errors(form: FlaskForm, errors: dict[str, str]) -> None:
    """Put each of the service's errors on its field; one about a whole option or list (say,
    `options-0`: an option with no lines) goes on the first field inside it."""
    fields = list(leaf_fields(form))
    by_name = {field.name: field for field in fields}
    for key, message in errors.items():
        field = by_name.get(key) or next(
            (f for f in fields if f.name.startswith(f"{key}-")), fields[0]
        )
        field.errors = [*field.errors, message]


def where(name: str) -> str:
    """Where a field is, for the error summary: `options-0-costs-2-low_pence` is 'Option 1,
    cost line 3'."""
    parts = re.findall(r"(options|costs|benefits|steps)-(\d+)", name)
    return ", ".join(f"{ROW_NAMES[kind]} {int(n) + 1}" for kind, n in parts).capitalize()


def error_list(form: AppraisalForm) -> list[dict[str, str]]:
    """The GOV.UK error summary's items, each linking to its field, in page order."""
    items = []
    for field in leaf_fields(form):
        for message in field.errors:
            place = where(field.name)
            items.append(
                {"text": f"{place}: {message}" if place else str(message), "href": f"#{field.id}"}
            )
    return items


class OutturnFormBase(FlaskForm):
    pass


def outturn_form(lines: list[Any], **kwargs: Any) -> FlaskForm:
    """A pounds field for each line of the option carried out, named by its key (cost-3), with
    the line's recorded outturn filled in."""

    class OutturnForm(OutturnFormBase):
        pass

    for line in lines:
        label = f"{line.name} ({'spent' if line.side == 'cost' else 'measured'}, £ in all)"
        setattr(OutturnForm, line.key.replace("-", "_"), PoundsField(label))
    form = OutturnForm(**kwargs)
    if not form.is_submitted():
        for line in lines:
            form[line.key.replace("-", "_")].data = line.outturn_pence
    return form


def outturn_values(form: FlaskForm, lines: list[Any]) -> dict[str, int | None]:
    return {line.key: form[line.key.replace("-", "_")].data for line in lines}


def posted_appraisal_form(formdata: Any, reference: Reference) -> tuple[AppraisalForm, bool] | None:
    """The appraisal form as posted, and whether it is ready to save: a row added or removed
    gives the form back to go on with (False); "save" gives it checked (True when valid). None
    for a button that does not exist. Shared by the pilot's and the idea's appraisal pages."""
    action = formdata.get("action", "save")
    if action == "save":
        form = appraisal_form(reference)
        return form, form.validate_on_submit()
    changed = apply_action(formdata, action, reference)
    if changed is None:
        return None
    return appraisal_form(reference, formdata=changed), False


def save_posted_appraisal(
    formdata: Any,
    reference: Reference,
    save: Callable[[AppraisalForm, Appraisal], object],
    form_page: Callable[[AppraisalForm, int], Any],
) -> Any | None:
    """Save a posted appraisal form with `save`: None once saved, or the page to answer with
    (`form_page(form, status)`) when a row was added or removed (200) or the form or the service
    found errors (400). A button that does not exist is a 400. Shared by the pilot's and the
    idea's appraisal pages."""
    posted = posted_appraisal_form(formdata, reference)
    if posted is None:
        abort(400, "That button does not exist. Go back and try again.")
    form, ready = posted
    if not ready:
        return form_page(form, 400 if form.errors else 200)
    try:
        save(form, appraisal_from(form, reference))
    except AppraisalError as error:
        add_service_errors(form, error.errors)
        return form_page(form, 400)
    return None
