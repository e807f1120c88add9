"""The dashboard's summary line and jump links, and a round filter that follows the programme."""

from __future__ import annotations

import re
from datetime import date

from tests.factories import create_award, create_pilot, create_programme


def summary_text(html: str) -> str:
    found = re.search(
        r'<div class="govuk-inset-text" id="dashboard-summary">(.*?)</div>', html, re.S
    )
    assert found, html[:3000]
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def test_the_summary_counts_overdue_reports_and_the_money_at_stake(client, funder):
    fund = create_programme(slug="fund", round="Round 1")
    late = create_pilot(title="Late trial", status="running", planned_end_date=date(2020, 1, 1))
    create_award(fund, late, amount_awarded_pence=4_000_000, amount_disbursed_pence=1_000_000)
    on_time = create_pilot(title="Fine trial", status="running", planned_end_date=date(2099, 1, 1))
    create_award(fund, on_time, amount_awarded_pence=9_900_000, amount_disbursed_pence=0)
    html = client.get("/funding/dashboard").get_data(as_text=True)
    summary = summary_text(html)
    assert "1 overdue report · £40,000 at stake" in summary
    assert "2 funded trials" in summary
    # each jump link lands on a section that is there
    for target in ("overdue", "no-update", "funded-trials", "money", "reporting"):
        assert f'href="#{target}"' in html and f'id="{target}"' in html, target


def test_no_overdue_reports_says_so(client, funder):
    fund = create_programme(slug="fund")
    create_award(fund, create_pilot(status="running", planned_end_date=date(2099, 1, 1)))
    summary = summary_text(client.get("/funding/dashboard").get_data(as_text=True))
    assert "0 overdue reports · £0 at stake" in summary


def round_options(html: str) -> list[str]:
    select = re.search(r'<select class="govuk-select" id="filter-round".*?</select>', html, re.S)
    assert select
    return re.findall(r'<option value="([^"]+)"', select.group(0))


def test_the_round_filter_lists_only_the_chosen_programmes_rounds(client, funder):
    create_programme(slug="fund-a", round="Round 1")
    create_programme(slug="fund-b", round="Round 2")
    assert round_options(client.get("/funding/dashboard").get_data(as_text=True)) == [
        "Round 1", "Round 2",
    ]  # fmt: skip
    html = client.get("/funding/dashboard?programme=fund-b").get_data(as_text=True)
    assert round_options(html) == ["Round 2"]
