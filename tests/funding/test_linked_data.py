"""Funding names a pilot's funders in the JSON-LD on its page (through pilots' contributions)."""

from __future__ import annotations

import json
import re

from tests.factories import create_award, create_council, create_pilot, create_programme

SCRIPT = re.compile(r'<script type="application/ld\+json" nonce="[^"]+">(.*?)</script>', re.S)


def test_a_funded_pilot_names_each_funder_once(client, app_ctx):
    pilot = create_pilot(create_council(), status="running")
    dluhc = create_programme(funder_name="Department for Testing", funder_org_id="GB-GOR-D99")
    second_round = create_programme(
        funder_name="Department for Testing", funder_org_id="GB-GOR-D99"
    )
    trust = create_programme(funder_name="A Charitable Trust", funder_org_id="GB-CHC-123")
    for programme in (dluhc, second_round, trust):
        create_award(programme, pilot)
    create_award(create_programme(funder_name="Funds others"), create_pilot(status="running"))
    html = client.get(f"/pilots/{pilot.slug}").get_data(as_text=True)
    (text,) = SCRIPT.findall(html)
    # Two rounds of one department are one funder; sorted by name, the trust comes first.
    assert json.loads(text)["funder"] == [
        {"@type": "Organization", "name": "A Charitable Trust", "identifier": "GB-CHC-123"},
        {"@type": "Organization", "name": "Department for Testing", "identifier": "GB-GOR-D99"},
    ]
