"""The business case's pages: the appraisal page from stored figures, the pilot page's section,
the form with its add-another rows, and errors against their fields with nothing saved."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select

from app.appraisal.models import Appraisal, CostLine
from app.appraisal.service import appraisal_of, save_appraisal
from app.extensions import db
from app.pilots.history import versions_of
from tests.appraisal.factories import build_step, shortlist
from tests.factories import create_pilot, create_registered_pilot


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _form_fields(page: str) -> dict[str, str]:
    """The form as a browser would post it: every input's and textarea's value, each select's
    chosen option."""
    fields = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        fields[name] = value
    for name in re.findall(r'<input[^>]*name="([^"]+)"', page):
        fields.setdefault(name, "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        fields[name] = body
    for name, options in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', options) or re.search(
            r'<option value="([^"]*)"', options
        )
        fields[name] = chosen.group(1)
    fields.pop("file", None)
    return fields


def test_the_appraisal_page_shows_stored_figures_and_sources(client, council):
    pilot = create_pilot(council)
    saved = save_appraisal(pilot, shortlist())
    page = client.get(f"/pilots/{pilot.slug}/appraisal").get_data(as_text=True)
    preferred = saved.results["options"][2]
    assert "Indicative" in page
    assert f"£{round(preferred['pv_costs_pence'] / 100):,}" in page
    assert "NPSV from P5 to P95 by option" in page  # the chart, with its table beside it
    assert 'data-table="simulation"' in page and 'data-chart="tornado-2"' in page
    assert "Green Book" in page  # the sources cited
    assert "simulated futures the preferred option has a higher NPSV" in page


def test_the_pilot_page_summarises_and_links_to_it(client, council):
    pilot = create_pilot(council)
    without = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Business case" not in without
    save_appraisal(pilot, shortlist())
    page = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert "Business case" in page
    assert f"/pilots/{pilot.slug}/appraisal" in page


def test_a_table_downloads_as_the_csv_of_the_same_figures(client, council):
    pilot = create_pilot(council)
    saved = save_appraisal(pilot, shortlist())
    csv = client.get(f"/pilots/{pilot.slug}/appraisal/options.csv").get_data(as_text=True)
    preferred = saved.results["options"][2]
    assert f"{round(preferred['pv_benefits_pence'] / 100)}.00" in csv


def test_an_editor_writes_a_drafts_appraisal_through_the_form(client, council, signed_in_editor):
    pilot = create_pilot(council, status="draft")
    form_page = client.get(f"/pilots/{pilot.slug}/appraisal/edit").get_data(as_text=True)
    fields = _form_fields(form_page)
    fields.update(
        {
            "horizon_years": "3",
            "action": "add:options-2-costs",  # one more cost line for the preferred option
        }
    )
    added = client.post(f"/pilots/{pilot.slug}/appraisal/edit", data=fields)
    assert added.status_code == 200
    page = added.get_data(as_text=True)
    assert 'name="options-2-costs-1-name"' in page
    assert db.session.scalar(select(func.count()).select_from(Appraisal)) == 0
    fields = _form_fields(page)
    for n in range(4):
        fields |= {
            f"options-{n}-name": f"Option {n}",
            f"options-{n}-costs-0-name": "Running cost",
            f"options-{n}-costs-0-low_pence": "1000",
            f"options-{n}-costs-0-likely_pence": "1200",
            f"options-{n}-costs-0-high_pence": "1500",
            f"options-{n}-costs-0-years": "0-2",
            f"options-{n}-benefits-0-name": "Staff time",
            f"options-{n}-benefits-0-low_pence": "1000",
            f"options-{n}-benefits-0-likely_pence": "2000",
            f"options-{n}-benefits-0-high_pence": "3000",
            f"options-{n}-benefits-0-years": "1, 2",
        }
    fields |= {
        "options-2-costs-1-name": "Set-up",
        "options-2-costs-1-recurrence": "one-off",
        "options-2-costs-1-low_pence": "500",
        "options-2-costs-1-likely_pence": "500",
        "options-2-costs-1-high_pence": "800",
        "options-2-costs-1-years": "0",
        "action": "save",
    }
    saved = client.post(f"/pilots/{pilot.slug}/appraisal/edit", data=fields)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    appraisal = appraisal_of(pilot)
    assert [len(o.costs) for o in appraisal.options] == [1, 1, 2, 1]
    assert appraisal.options[2].costs[1].high_pence == 80_000


def test_bad_figures_are_errors_against_their_fields_and_nothing_is_saved(
    client, council, signed_in_editor
):
    pilot = create_pilot(council, status="draft")
    fields = _form_fields(client.get(f"/pilots/{pilot.slug}/appraisal/edit").get_data(as_text=True))
    fields |= {
        "horizon_years": "3",
        "options-0-name": "As now",
        "options-0-costs-0-name": "Running cost",
        "options-0-costs-0-low_pence": "900",
        "options-0-costs-0-likely_pence": "800",
        "options-0-costs-0-high_pence": "700",
        "options-0-costs-0-years": "0, 7",
        "options-0-benefits-0-deadweight_percent": "120",
        "action": "save",
    }
    response = client.post(f"/pilots/{pilot.slug}/appraisal/edit", data=fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#options-0-benefits-0-deadweight_percent"' in page
    assert "Deadweight (%) must be between 0 and 100" in page
    assert db.session.scalar(select(func.count()).select_from(CostLine)) == 0
    fields["options-0-benefits-0-deadweight_percent"] = "10"
    page = client.post(f"/pilots/{pilot.slug}/appraisal/edit", data=fields).get_data(as_text=True)
    assert 'href="#options-0-costs-0-high_pence"' in page
    assert "The high cost must be at least the low one" in page
    assert "Option 1, cost line 1: Years run from 0" in page
    assert "Option 2: Add at least one cost, benefit or process step" in page
    assert db.session.scalar(select(func.count()).select_from(Appraisal)) == 0


def test_a_registered_pilots_change_asks_for_a_reason(client, council, signed_in_editor):
    pilot = create_registered_pilot(council)
    save_appraisal(pilot, shortlist())
    fields = _form_fields(client.get(f"/pilots/{pilot.slug}/appraisal/edit").get_data(as_text=True))
    fields |= {"options-2-costs-0-high_pence": "15000.00", "action": "save"}
    refused = client.post(f"/pilots/{pilot.slug}/appraisal/edit", data=fields)
    assert refused.status_code == 400
    assert "give the reason for changing its appraisal" in refused.get_data(as_text=True)
    fields["reason"] = "A firmer quote"
    assert client.post(f"/pilots/{pilot.slug}/appraisal/edit", data=fields).status_code == 302
    assert versions_of(pilot)[-1].reason == "A firmer quote"
    history = client.get(f"/pilots/{pilot.slug}/history").get_data(as_text=True)
    assert "A firmer quote" in history


def test_the_form_gives_back_a_saved_appraisal_unchanged(client, council, signed_in_editor):
    pilot = create_pilot(council, status="draft")
    appraisal = shortlist(optimism_bias={"1": "5", "2": "10", "3": "20", "4": "30", "5": "45"})
    appraisal.offline_floor_percent = Decimal("25")
    appraisal.options[2].steps = [
        build_step("as-is", "phone", 1000, 358, low=800, high=1200, minutes=Decimal("7.5")),
        build_step("to-be", "assisted-digital", 300, 650),
        build_step("to-be", "web", 700, 22),
    ]
    appraisal.options[2].process_years = [1, 2]
    before = save_appraisal(pilot, appraisal).content_hash
    fields = _form_fields(client.get(f"/pilots/{pilot.slug}/appraisal/edit").get_data(as_text=True))
    fields["action"] = "save"
    assert client.post(f"/pilots/{pilot.slug}/appraisal/edit", data=fields).status_code == 302
    db.session.expire_all()
    assert appraisal_of(pilot).content_hash == before


def test_removing_a_row_renumbers_the_rest_and_keeps_what_was_typed(
    client, council, signed_in_editor
):
    pilot = create_pilot(council, status="draft")
    fields = _form_fields(client.get(f"/pilots/{pilot.slug}/appraisal/edit").get_data(as_text=True))
    fields |= {"options-0-costs-0-name": "First", "options-0-costs-1-name": "Second",
               "options-0-costs-1-low_pence": "not yet a number",
               "action": "remove:options-0-costs-0"}  # fmt: skip
    page = client.post(f"/pilots/{pilot.slug}/appraisal/edit", data=fields).get_data(as_text=True)
    assert 'name="options-0-costs-0-name" type="text" value="Second"' in page
    assert 'value="not yet a number"' in page
    assert 'name="options-0-costs-1-name"' not in page
