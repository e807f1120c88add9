"""A search result says what a list says about a pilot: council, status, evidence and cost."""

from __future__ import annotations

import re

from tests.factories import create_pilot


def result_line(html: str, title: str) -> str:
    item = re.search(rf">{title}</a></h2>\s*<p[^>]*>(.*?)</p>", html, re.S)
    assert item, html[-3000:]
    return " ".join(item.group(1).split())


def test_results_show_the_evidence_level_and_which_cost(client, backend):
    create_pilot(title="Chatbot trial", evaluation_design=4, planned_cost_pence=12_800_000)
    create_pilot(
        title="Chatbot pilot", evaluation_design=2, planned_cost_pence=12_800_000,
        actual_cost_pence=13_150_000,
    )  # fmt: skip
    html = client.get("/search?q=chatbot").get_data(as_text=True)
    trial, pilot = result_line(html, "Chatbot trial"), result_line(html, "Chatbot pilot")
    assert "Evidence level 4 of 5" in trial and "planned cost £128,000" in trial
    assert "Evidence level 2 of 5" in pilot and "actual cost £131,500" in pilot
    # the same words as the pilots list uses, so a reader compares like with like
    listed = client.get("/pilots").get_data(as_text=True)
    assert "Evidence level 4 of 5" in listed and "planned cost £128,000" in listed
