"""What a person searching sees, the same on both backends."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from app.common.money import cost_band
from app.extensions import db
from app.funding.models import Award, Programme
from app.pilots.models import Pilot
from tests.factories import (
    create_award,
    create_council,
    create_outcome,
    create_pilot,
    create_programme,
)


def make_pilot(*args, **values):
    """A pilot whose hypothesis shares no words with the searches below."""
    values.setdefault("hypothesis", "We believe residents will be helped. We will measure it.")
    return create_pilot(*args, **values)


FACET_LINK = re.compile(
    r'data-facet="(?P<facet>[a-z_]+)" data-value="(?P<value>[^"]*)">[^<]*</a> '
    r"<span data-count>\((?P<count>\d+)\)</span>"
)


def found_titles(client, query: str = "", **params: str) -> list[str]:
    response = client.get("/search", query_string={"q": query, **params})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    html = response.get_data(as_text=True)
    block = html.split('id="search-results"', 1)
    if len(block) == 1:
        return []
    return re.findall(
        r'<h2 class="govuk-heading-s[^"]*"><a class="govuk-link" href="[^"]+">([^<]+)</a>', block[1]
    )


def test_word_endings_are_forgiven(client, backend):
    make_pilot(title="Chatbot trial for council tax")
    make_pilot(title="Parking permits", case_study="We tested the automation of renewals.")
    assert found_titles(client, "trials") == ["Chatbot trial for council tax"]
    assert found_titles(client, "automating") == ["Parking permits"]


def test_all_words_must_match_and_title_ranks_first(client, backend):
    make_pilot(title="Library opening hours", summary="Self-service chatbot answers.")
    make_pilot(title="Chatbot for libraries", summary="Answers questions.")
    make_pilot(title="Chatbot for bins", summary="Collection days.")
    assert found_titles(client, "chatbot library") == [
        "Chatbot for libraries",
        "Library opening hours",
    ]


def test_phrase_exclusion_and_or(client, backend):
    make_pilot(title="Council tax reminders", summary="Texts about council tax.")
    make_pilot(title="Tax on council parking", summary="A levy the council set.")
    make_pilot(title="Housing repairs chatbot", summary="Reports repairs.")
    make_pilot(title="Parking chatbot", summary="Answers parking questions.")
    assert found_titles(client, '"council tax"') == ["Council tax reminders"]
    assert sorted(found_titles(client, "chatbot -housing")) == ["Parking chatbot"]
    assert sorted(found_titles(client, "repairs OR reminders")) == [
        "Council tax reminders",
        "Housing repairs chatbot",
    ]


def test_drafts_are_never_found_and_a_pilot_returned_to_draft_disappears(client, backend):
    make_pilot(title="Secret draft chatbot", status="draft")
    public = make_pilot(title="Public chatbot")
    assert found_titles(client, "chatbot") == ["Public chatbot"]
    assert found_titles(client, "secret") == []
    public.status = "draft"
    db.session.commit()
    assert found_titles(client, "chatbot") == []
    assert "Public chatbot" not in found_titles(client, "")


def test_an_edited_pilot_is_found_once_under_its_new_title(client, backend):
    pilot = make_pilot(title="Alpha road sensors")
    assert found_titles(client, "sensors") == ["Alpha road sensors"]  # the searcher is open
    pilot.title = "Beta road sensors"
    db.session.commit()
    assert found_titles(client, "sensors") == ["Beta road sensors"]
    assert found_titles(client, "alpha") == []


def test_a_rolled_back_change_is_never_searchable(client, backend):
    pilot = make_pilot(title="Waste collection")
    pilot.title = "Zeppelin deliveries"
    db.session.flush()
    db.session.rollback()
    assert found_titles(client, "zeppelin") == []
    assert found_titles(client, "waste") == ["Waste collection"]


def test_council_rename_is_found_under_the_new_name(client, backend):
    council = create_council(nice_name="Oldtown")
    make_pilot(council, title="Street lighting")
    council.nice_name = "Brightborough"
    db.session.commit()
    assert found_titles(client, "brightborough") == ["Street lighting"]
    assert found_titles(client, "oldtown") == []


def test_highlights_mark_words_and_escape_everything_else(client, backend):
    make_pilot(
        title="<script>alert('x')</script> chatbot",
        summary="The <b>chatbot</b> & <img src=x onerror=alert(1)> answered calls.",
    )
    response = client.get("/search?q=chatbot")
    html = response.get_data(as_text=True)
    assert "<mark>chatbot</mark>" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>chatbot" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x" in html


def test_each_facet_count_equals_a_database_count(client, backend):
    north = create_council(region="North West", la_type="MD", la_type_name="Metropolitan district")
    wales = create_council(nation="Wales", region="", la_type="UA")
    south = create_council()
    make_pilot(north, pillars=["inclusion", "business-case"], planned_cost_pence=5_000_00)
    make_pilot(wales, status="concluded", verdict="proved", planned_cost_pence=60_000_00)
    priced = make_pilot(south, partners=[north], status="running", actual_cost_pence=300_000_00)
    unpriced = make_pilot(south, pillars=["inclusion"], start_date=None)
    draft = make_pilot(north, status="draft", pillars=["inclusion"], planned_cost_pence=1)
    fund, other = create_programme(), create_programme()
    for pilot in (priced, unpriced, draft):
        create_award(fund, pilot)
    create_award(other, priced)
    create_award(fund, priced)  # a second award from the same programme counts the pilot once
    for params in (
        {}, {"pillar": "inclusion"}, {"council": north.code.lower()}, {"programme": fund.slug},
    ):  # fmt: skip
        html = client.get("/search", query_string=params).get_data(as_text=True)
        shown = {
            (m["facet"], m["value"].upper() if m["facet"] == "council" else m["value"]): int(
                m["count"]
            )
            for m in FACET_LINK.finditer(html)
        }
        assert f'data-value="{north.code.lower()}"' in html or "council" in params
        assert shown == database_counts(params), params


def database_counts(params: dict[str, str]) -> dict[tuple[str, str], int]:
    pilots = db.session.scalars(select(Pilot).where(Pilot.status != "draft")).all()
    if "pillar" in params:
        pilots = [p for p in pilots if params["pillar"] in p.pillars]
    if "council" in params:
        code = params["council"].upper()
        pilots = [p for p in pilots if code in [c.code for c in (p.lead_council, *p.partners)]]
    funded = db.session.execute(
        select(Award.pilot_id, Programme.slug).join(Programme).distinct()
    ).all()
    if "programme" in params:
        pilots = [p for p in pilots if (p.id, params["programme"]) in funded]
    counts: Counter[tuple[str, str]] = Counter()
    for p in pilots:
        counts.update(("programme", slug) for pilot_id, slug in funded if pilot_id == p.id)
        lead = p.lead_council
        cost = p.actual_cost_pence if p.actual_cost_pence is not None else p.planned_cost_pence
        counts.update(("pillar", s) for s in p.pillars)
        counts.update(("council", c.code) for c in (lead, *p.partners))
        counts[("region", lead.region if lead.nation == "England" else lead.nation)] += 1
        counts[("council_type", lead.la_type)] += 1
        counts[("status", p.status)] += 1
        if p.verdict:
            counts[("verdict", p.verdict)] += 1
        if cost is not None:
            counts[("cost", cost_band(cost) or "")] += 1
        if p.start_date:
            counts[("year", str(p.start_date.year))] += 1
    selected = {(k, v.upper() if k == "council" else v) for k, v in params.items()}
    return {key: n for key, n in counts.items() if key not in selected}


def test_choosing_a_facet_narrows_and_can_be_removed(client, backend):
    make_pilot(title="Inclusive chatbot", pillars=["inclusion"])
    make_pilot(title="Business chatbot", pillars=["business-case"])
    assert found_titles(client, "chatbot", pillar="inclusion") == ["Inclusive chatbot"]
    html = client.get("/search?q=chatbot&pillar=inclusion").get_data(as_text=True)
    assert 'href="/search?q=chatbot">Remove' in html


def test_misspelling_is_corrected_and_no_results_get_advice(client, backend):
    make_pilot(title="Chatbot for council tax")
    html = client.get("/search?q=chatbto&status=registered").get_data(as_text=True)
    assert (
        "Showing pilots for <strong>chatbot</strong>. No pilot has <strong>chatbto</strong>."
        in html
    )
    assert found_titles(client, "chatbto", status="registered") == ["Chatbot for council tax"]
    html = client.get("/search?q=chatbto&status=running").get_data(as_text=True)
    assert "No pilots match your search" in html
    assert "removing the filters" in html


def test_sorting_and_twenty_a_page(client, backend):
    council = create_council()
    for n in range(23):
        make_pilot(council, title=f"Pothole pilot {n:02d}", planned_cost_pence=(23 - n) * 100)
    first = found_titles(client, "pothole", sort="cost")
    assert len(first) == 20 and first[0] == "Pothole pilot 22"
    assert found_titles(client, "pothole", sort="cost", page="2") == [
        "Pothole pilot 02",
        "Pothole pilot 01",
        "Pothole pilot 00",
    ]
    assert found_titles(client, "pothole", sort="newest")[0] == "Pothole pilot 22"


def test_similar_pilots_exclude_the_pilot_itself(client, backend):
    pilot = make_pilot(title="Chatbot for council tax", tags=["chatbot"])
    make_pilot(title="Chatbot for housing", tags=["chatbot"])
    make_pilot(title="Council tax chatbot in Welsh", tags=["chatbot"])
    make_pilot(title="Gritting routes", hypothesis="Salt spread earlier stops ice.")
    html = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    sidebar = html.split('id="similar-pilots"', 1)[1].split("</ul>", 1)[0]
    titles = re.findall(r'href="/pilots/[^"]+">([^<]+)</a>', sidebar)
    assert sorted(titles) == ["Chatbot for housing", "Council tax chatbot in Welsh"]


@pytest.mark.parametrize(
    "query",
    ['"unclosed', "AND (", "*", "OR", "-", '"', "NOT", "((a", "title:x", "the"],
)
def test_malformed_queries_never_fail(client, backend, query):
    make_pilot(title="Anything")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_control_characters_in_a_query_are_refused_with_a_message(client, backend):
    response = client.get("/search", query_string={"q": "a\x00b\x01c"})
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)


def test_overlong_queries_and_bad_filters_are_refused_with_a_message(client, backend):
    response = client.get("/search", query_string={"q": "word " * 2000})
    assert response.status_code == 400
    assert "500 characters or fewer" in response.get_data(as_text=True)
    for params in ({"pillar": "nope"}, {"sort": "x"}, {"year": "20x"}, {"page": "-1"}):
        assert client.get("/search", query_string=params).status_code == 400


def test_a_filter_nothing_matches_finds_nothing(client, backend):
    make_pilot(title="Registered road sensors")
    assert found_titles(client, "", status="running") == []
    assert found_titles(client, "road", status="running") == []
    assert found_titles(client, "road", status="registered") == ["Registered road sensors"]


def test_a_chosen_filter_that_matches_nothing_is_named_and_removable(client, backend):
    make_pilot(title="Road sensors", pillars=["inclusion"])
    fund = create_programme(name="Local Digital Fund")
    html = client.get(f"/search?q=road&programme={fund.slug}").get_data(as_text=True)
    assert "No pilots match your search" in html
    assert "<strong>Local Digital Fund (0)</strong>" in html
    assert 'href="/search?q=road">Remove<span class="govuk-visually-hidden"> filter</span> ' in html
    assert "funding programme: Local Digital Fund</a>" in html


def test_outcome_reports_are_searched_and_kept_in_step(client, backend):
    pilot = make_pilot(title="Library help desks", status="running")
    report = create_outcome(pilot, date(2026, 3, 1), narrative="Kiosks went unused on weekdays.")
    assert found_titles(client, "kiosk") == ["Library help desks"]
    html = client.get("/search?q=kiosks").get_data(as_text=True)
    assert "<mark>Kiosks</mark> went unused" in html
    report.advice = "Staff at the counter helped more than tablets did."
    db.session.commit()  # the report alone changed, not the pilot
    assert found_titles(client, "tablets") == ["Library help desks"]


def test_funding_programme_facet_follows_awards(client, backend):
    first, second = make_pilot(title="Funded sensors"), make_pilot(title="Unfunded sensors")
    fund = create_programme(name="Local Digital Fund")
    assert found_titles(client, "sensors", programme=fund.slug) == []
    award = create_award(fund, first)
    assert found_titles(client, "sensors", programme=fund.slug) == ["Funded sensors"]
    html = client.get("/search?q=sensors").get_data(as_text=True)
    assert f'data-facet="programme" data-value="{fund.slug}">Local Digital Fund</a>' in html
    award.pilot = second  # the award is moved: the first pilot leaves the programme
    db.session.commit()
    assert found_titles(client, "sensors", programme=fund.slug) == ["Unfunded sensors"]
    db.session.delete(award)
    db.session.commit()
    assert found_titles(client, "sensors", programme=fund.slug) == []
    response = client.get("/search", query_string={"programme": "no-such-fund"})
    assert response.status_code == 400
    assert "There is no funding programme" in response.get_data(as_text=True)
