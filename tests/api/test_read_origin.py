"""One pilot's JSON carries its appraisal (the figures its appraisal page shows) and the round
that chose it (the idea, the round's address and state, the decision); null without them."""

from __future__ import annotations

from app.appraisal.figures import simulation_table, summary_table
from app.appraisal.service import appraisal_of, registry_reference, save_appraisal
from app.choosing.decisions import DecisionInput, decide_round
from tests.api.conftest import bearer
from tests.appraisal.factories import shortlist
from tests.factories import create_council, create_pilot, create_round, create_user


def test_a_pilot_without_appraisal_or_round_says_null(api):
    pilot = create_pilot(create_council())
    body = api.get(f"/api/v1/pilots/{pilot.slug}").get_json()["pilot"]
    assert body["appraisal"] is None and body["round"] is None


def test_a_pilots_appraisal_has_its_options_lines_and_the_pages_figures(api):
    pilot = create_pilot(create_council(), title="Appraised")
    save_appraisal(pilot, shortlist())
    stored = appraisal_of(pilot)
    body = api.get(f"/api/v1/pilots/{pilot.slug}").get_json()["pilot"]["appraisal"]

    assert body["url"].endswith(f"/pilots/{pilot.slug}/appraisal")
    assert [o["kind"] for o in body["options"]] == [
        "business-as-usual", "do-minimum", "preferred", "alternative",
    ]  # fmt: skip
    line = stored.options[0].costs[0]
    sent = body["options"][0]["costs"][0]
    assert sent["name"] == "Current service"
    assert sent["likely"] == {
        "pence": line.likely_pence,
        "pounds": f"{line.likely_pence / 100:.2f}",
    }
    assert sent["years"] == line.years and sent["confidence_grade"] == line.confidence_grade

    # The same numbers the appraisal page's summary and simulation tables show.
    summary = summary_table(stored.results, registry_reference().value_bands).rows
    simulation = simulation_table(stored.results).rows
    for option, row, spread in zip(body["options"], summary, simulation, strict=True):
        figures = option["figures"]
        assert figures["pv_costs"]["pence"] == row[1]
        assert figures["pv_benefits"]["pence"] == row[2]
        assert figures["npsv"]["pence"] == row[3]
        assert figures["npsv"]["pounds"].endswith(".00")
        assert figures["bcr"] == row[4]
        assert figures["chance_npsv_positive_percent"] == spread[1]
        assert [figures[k]["pence"] for k in ("npsv_p5", "npsv_p50", "npsv_p95")] == spread[2:5]
    page = api.get(f"/pilots/{pilot.slug}/appraisal").get_data(as_text=True)
    preferred = body["options"][2]["figures"]["npsv"]["pence"] // 100
    assert f"{preferred:,}" in page
    assert body["iterations"] == stored.results["iterations"]


def test_a_pilot_chosen_in_a_round_carries_the_idea_round_and_decision(api, make_token):
    council = create_council(code="RND")
    round_ = create_round(council, "closed", title="Spring round")
    idea = round_.idea_links[0].idea
    admin = create_user("council-admin", council)
    chosen = DecisionInput(
        [idea.id], "Ready first", meeting="Cabinet, 3 March", minute_reference="C/12"
    )
    [pilot] = decide_round(round_, chosen, admin)
    # The chosen pilot starts as a draft: its own council's token reads it, nobody else.
    assert api.get(f"/api/v1/pilots/{pilot.slug}").status_code == 404
    token = make_token(council)
    body = api.get(f"/api/v1/pilots/{pilot.slug}", headers=bearer(token)).get_json()["pilot"]
    sent = body["round"]
    assert sent["idea"] == {"id": idea.id, "title": idea.title, "url": sent["idea"]["url"]}
    assert sent["idea"]["url"].endswith(f"/ideas/{idea.id}")
    assert sent["id"] == round_.id and sent["title"] == "Spring round"
    assert sent["url"].endswith(f"/rounds/{round_.id}") and sent["status"] == "decided"
    decision = sent["decision"]
    assert decision["chosen_idea_ids"] == [idea.id]
    assert decision["meeting"] == "Cabinet, 3 March" and decision["minute_reference"] == "C/12"
    assert decision["decided_at"].endswith("Z")
    assert decision["departs_from_ranking"] == bool(decision["departure_reason"])
    assert "scores" not in str(sent)
