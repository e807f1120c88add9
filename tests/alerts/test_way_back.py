"""The alert sign-up page leads back to what it follows."""

from __future__ import annotations

from tests.factories import create_council


def test_signing_up_leads_back_to_the_council(client, app_ctx):
    create_council(code="KEC", nice_name="Kestrel")
    html = client.get("/alerts/new?council=kec").get_data(as_text=True)
    assert '<a class="govuk-back-link" href="/councils/kec">Back to Kestrel</a>' in html
