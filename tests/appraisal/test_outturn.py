"""Forecast against outturn: each line of the option carried out beside its P5–P95 on the results
page, recorded only after the outcome report; across the registry at /business-cases."""

from __future__ import annotations

import pytest

from app.appraisal.outturn import line_forecast, pilot_outturn, record_outturn
from app.appraisal.service import save_appraisal
from app.appraisal.validation import AppraisalError
from tests.appraisal.factories import (
    build_appraisal,
    build_benefit,
    build_cost,
    build_option,
    create_concluded_pilot,
)
from tests.factories import create_pilot


def _concluded(council):
    pilot = create_concluded_pilot(council)
    return pilot


def _appraised(pilot):
    return save_appraisal(
        pilot,
        build_appraisal(
            build_option(
                costs=[build_cost("Build", low=1_000_00, likely=1_000_00, high=4_000_00,
                                  years=[0], recurrence="one-off")],
                benefits=[build_benefit("Savings", low=0, likely=3_000_00, high=3_000_00)],
            )
        ),
    )  # fmt: skip


def test_a_lines_forecast_is_its_triangular_quantiles_times_its_years(app_ctx):
    # Triangular(£0, £300, £300) a year over 2 years, to the pound: the quantile at q is
    # £300 × √q, so P50 = £600 × √0.5 = £424, P5 = £600 × √0.05 = £134, P95 = £600 × √0.95 = £585.
    line = build_benefit("Savings", low=0, likely=300_00, high=300_00, years=[1, 2])
    forecast = line_forecast(line, "benefit")
    assert (forecast.p5_pence, forecast.p50_pence, forecast.p95_pence) == (134_00, 424_00, 585_00)


def test_outturn_waits_for_the_outcome_report(app_ctx, council, editor):
    pilot = create_pilot(council, status="running")
    _appraised(pilot)
    keys = [line.key for line in pilot_outturn(pilot).lines]
    with pytest.raises(AppraisalError):
        record_outturn(pilot, {keys[0]: 500_00}, editor)
    assert pilot_outturn(pilot).lines[0].outturn_pence is None


def test_the_results_page_sets_outturn_beside_the_forecast(client, council, signed_in_editor):
    pilot = _concluded(council)
    _appraised(pilot)
    lines = pilot_outturn(pilot).lines
    form = client.get(f"/pilots/{pilot.slug}/appraisal/outturn").get_data(as_text=True)
    assert "Forecast: £" in form
    response = client.post(
        f"/pilots/{pilot.slug}/appraisal/outturn",
        data={lines[0].key.replace("-", "_"): "5000", lines[1].key.replace("-", "_"): "2500"},
    )
    assert response.status_code == 302
    page = client.get(f"/pilots/{pilot.slug}/results").get_data(as_text=True)
    assert "Forecast against outturn" in page
    assert "£5,000" in page and "£2,500" in page
    # The build cost's P95 is £3,000 × ... well under £5,000: outside its range.
    assert "<strong>No</strong>" in page
    cases = client.get("/business-cases").get_data(as_text=True)
    assert "How business cases turned out" in cases
    assert 'data-table="by-grade"' in cases and 'data-chart="by-pillar"' in cases
    csv = client.get("/business-cases.csv?table=by-grade").get_data(as_text=True)
    ratio = round(5000_00 / lines[0].p50_pence * 100)
    assert f"Grade 1,{ratio}," in csv


def test_a_negative_outturn_is_refused_and_nothing_saved(client, council, signed_in_editor):
    pilot = _concluded(council)
    _appraised(pilot)
    key = pilot_outturn(pilot).lines[0].key.replace("-", "_")
    response = client.post(f"/pilots/{pilot.slug}/appraisal/outturn", data={key: "-5"})
    assert response.status_code == 400
    assert pilot_outturn(pilot).lines[0].outturn_pence is None


def test_an_amended_appraisal_keeps_the_recorded_outturn(app_ctx, council, editor):
    pilot = _concluded(council)
    _appraised(pilot)
    key = pilot_outturn(pilot).lines[0].key
    record_outturn(pilot, {key: 700_00}, editor)
    _appraised(pilot)
    assert pilot_outturn(pilot).lines[0].outturn_pence == 700_00
