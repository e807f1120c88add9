"""Every choosing page leads back to its council: the ideas list, an idea and a round."""

from __future__ import annotations

from typing import Any

from app.councils.models import Council
from tests.factories import create_idea, create_round

BACK = '<a class="govuk-breadcrumbs__link" href="/councils/aaa">Alphaton</a>'


def test_ideas_an_idea_and_a_round_lead_back_to_the_council(
    client: Any, sign_in: Any, council: Council, editor: Any
) -> None:
    sign_in(editor)
    idea, round_ = create_idea(council), create_round(council)
    for path in ("/councils/aaa/ideas", f"/ideas/{idea.id}", f"/rounds/{round_.id}"):
        html = client.get(path).get_data(as_text=True)
        assert BACK in html, path
