"""A programme's page at scale: its totals from one grouped statement agree with the totals
worked out from every award, and its awards come a page at a time with links both ways."""

from __future__ import annotations

import random
import re

from app.extensions import db
from app.funding import service
from app.pilots.models import STATUSES, VERDICTS
from tests.factories import create_award, create_council, create_pilot, create_programme


def _varied_programme(seed: int, awards: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    programme = create_programme()
    other = create_programme()
    councils = [create_council() for _ in range(3)]
    pilots = []
    for _ in range(max(1, awards // 2)):
        status = rng.choice(STATUSES)
        pilot = create_pilot(rng.choice(councils), status=status, title=f"Trial {rng.random()}")
        if status == "concluded":
            pilot.verdict = rng.choice([*VERDICTS, None])
        pilots.append(pilot)
    db.session.commit()
    for _ in range(awards):  # some trials hold two awards, some none
        awarded = rng.randrange(0, 5_000_000)
        create_award(
            rng.choice([programme, programme, other]),
            rng.choice(pilots),
            amount_awarded_pence=awarded,
            amount_disbursed_pence=rng.randrange(0, awarded + 1),
        )
    return programme


def test_programme_totals_in_sql_agree_with_the_awards_added_up(app_ctx):
    for seed in range(4):
        programme = _varied_programme(seed, 30 + 7 * seed)
        old = service.programme_results(service.public_awards_for_programme(programme))
        new = service.programme_totals(programme)
        assert new.money == old.money
        assert new.by_status == old.by_status
        assert new.by_verdict == old.by_verdict
        assert new.awards == old.awards == len(service.public_awards_for_programme(programme))
        assert new.undisbursed_pence == old.undisbursed_pence


def test_a_programme_without_awards_has_zero_totals(app_ctx):
    totals = service.programme_totals(create_programme())
    assert totals.money == service.MoneySummary()
    assert set(totals.by_status.values()) == {0} and set(totals.by_verdict.values()) == {0}


def _references(html: str) -> list[str]:
    return re.findall(r"Reference (REF-[0-9]+)", html)


def test_programme_awards_are_paged_in_title_order_with_links_both_ways(client):
    programme = create_programme()
    council = create_council()
    count = service.AWARDS_PER_PAGE + 7
    for n in range(count):
        create_award(programme, create_pilot(council, title=f"Trial {n:03d}", status="running"))
    expected = [a.reference for a in service.public_awards_for_programme(programme)]
    address = f"/funding/programmes/{programme.slug}"
    first = client.get(address).get_data(as_text=True)
    second = client.get(f"{address}?page=2").get_data(as_text=True)
    assert _references(first) + _references(second) == expected
    assert len(_references(first)) == service.AWARDS_PER_PAGE
    assert f"{address}?page=2" in first and "govuk-pagination__next" in first
    assert "govuk-pagination__prev" in second and f"{address}?page=1" in second
    assert f"of {count}" in first
    # The totals count every award, not the page's.
    assert f'<td class="govuk-table__cell govuk-table__cell--numeric">{count}</td>' in first


def test_a_page_past_the_last_says_so_and_links_to_the_first(client):
    programme = create_programme()
    create_award(programme, create_pilot(create_council(), status="running"))
    address = f"/funding/programmes/{programme.slug}"
    past = client.get(f"{address}?page=9")
    assert past.status_code == 200
    html = past.get_data(as_text=True)
    assert "There are no awards on this page" in html and f"{address}?page=1" in html
    assert client.get(f"{address}?page=nonsense").status_code == 400


def test_a_programme_with_no_published_trials_says_so(client):
    programme = create_programme()
    create_award(programme, create_pilot(create_council(), status="draft"))
    html = client.get(f"/funding/programmes/{programme.slug}").get_data(as_text=True)
    assert "This programme has not funded any published trials yet." in html
    assert "govuk-pagination" not in html
