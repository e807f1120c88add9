"""Partner councils are chosen by name (selects an autocomplete enhances), not typed as codes;
an editor of one council finds it chosen as the lead; the directory shows each council's code."""

from __future__ import annotations

import re

from tests.factories import create_council, create_pilot
from tests.pilots.test_forms import VALID


def partner_selects(html: str) -> list[str]:
    return re.findall(r'<select class="govuk-select" id="(partners[-\d]*)" name="partners"', html)


def test_partners_are_offered_by_name_and_the_lead_is_chosen_already(
    client, signed_in_editor, partner_council
):
    html = client.get("/pilots/new").get_data(as_text=True)
    assert partner_selects(html) == ["partners", "partners-2", "partners-3"]
    assert '<option value="BBB">Betaford</option>' in html
    assert '<option value="AAA" selected>Alphaton</option>' in html  # the editor's one council
    assert "accessible-autocomplete.min.js" in html


def test_a_pilot_saved_with_partners_shows_them_chosen_and_offers_another_box(
    client, signed_in_editor, partner_council
):
    create_council(code="CCC", nice_name="Cefnfield")
    data = {**VALID, "partners": ["BBB", "", "CCC", "BBB"]}
    response = client.post("/pilots/new", data=data)
    assert response.status_code == 302
    slug = response.location.rsplit("/", 1)[1]
    html = client.get(f"/pilots/{slug}/edit").get_data(as_text=True)
    assert '<option value="BBB" selected>Betaford</option>' in html
    assert '<option value="CCC" selected>Cefnfield</option>' in html
    assert len(partner_selects(html)) == 3  # two chosen and one empty


def test_the_council_directory_shows_codes(client, council):
    create_pilot(council)
    html = client.get("/councils").get_data(as_text=True)
    assert re.search(r"Alphaton</a>\s*</td>\s*<td class=\"govuk-table__cell\">AAA</td>", html)
