"""A cost says whether it is planned or actual wherever a list shows it; tags lead to a search."""

from __future__ import annotations

from tests.factories import create_pilot


def test_lists_say_which_cost_they_show(client, council):
    create_pilot(council, title="Planned only", planned_cost_pence=12_800_000)
    create_pilot(
        council, title="Spent", planned_cost_pence=12_800_000, actual_cost_pence=13_150_000
    )
    html = client.get("/pilots").get_data(as_text=True)
    assert "planned cost £128,000" in html
    assert "actual cost £131,500" in html


def test_tags_link_to_a_search_for_them(client, council):
    pilot = create_pilot(council, tags=["chatbot", "social-care"])
    html = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    assert 'href="/search?q=%22social-care%22">social-care</a>' in html
