"""Your council's pilots (/your-pilots): an editor's way back to their drafts, and what else is
waiting on them. A fixed clock for the groups: now is noon on 1 June 2026 (UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.pilots.worklist import your_pilots
from tests.factories import create_council, create_pilot, create_progress_update, create_user

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
RECENTLY = datetime(2026, 5, 30, tzinfo=UTC)  # a sign of life two days before NOW


def titles(page):
    return [item.pilot.title for item in page.items]


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get("/your-pilots")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/sign-in?next=/your-pilots")


def test_another_councils_pilots_never_appear(client, council, partner_council, signed_in_editor):
    create_pilot(council, title="Our draft", status="draft")
    create_pilot(partner_council, title="Their draft", status="draft")
    create_pilot(partner_council, title="Their registered pilot", status="registered")
    # Ended 1 January 2025: its report is long overdue, and it has been quiet since then.
    create_pilot(
        partner_council,
        title="Their overdue pilot",
        status="running",
        start_date=date(2024, 1, 1),
        planned_end_date=date(2025, 1, 1),
        registered_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    page = client.get("/your-pilots").get_data(as_text=True)
    assert "Our draft" in page
    assert "Their" not in page


def test_the_header_and_the_account_page_lead_there(client, signed_in_editor):
    for address in ("/", "/account"):
        page = client.get(address).get_data(as_text=True)
        assert 'href="/your-pilots"' in page, address


def test_people_without_a_council_role_are_told_how_to_join(client, sign_in):
    sign_in(create_user())
    home = client.get("/").get_data(as_text=True)
    assert 'href="/your-pilots"' not in home
    page = client.get("/your-pilots").get_data(as_text=True)
    assert "Ask to join your council" in page


def test_an_empty_list_says_what_to_do_next(client, signed_in_editor):
    page = client.get("/your-pilots").get_data(as_text=True)
    assert "No drafts." in page and 'href="/pilots/new"' in page


def test_a_council_admin_sees_their_councils_drafts_but_is_not_offered_create(
    client, council, sign_in
):
    create_pilot(council, title="A draft by a colleague", status="draft")
    sign_in(create_user("council-admin", council))
    page = client.get("/your-pilots").get_data(as_text=True)
    assert "A draft by a colleague" in page
    assert 'href="/pilots/new"' not in page  # only editors create pilots


def test_a_registry_admin_sees_every_councils_drafts(app_ctx):
    create_pilot(create_council(), title="First council's draft", status="draft")
    create_pilot(create_council(), title="Second council's draft", status="draft")
    groups = your_pilots(create_user("admin"), NOW)
    assert sorted(titles(groups["drafts"])) == ["First council's draft", "Second council's draft"]


def test_each_group_holds_what_its_heading_says(council, editor):
    create_pilot(
        council, title="Older draft", status="draft", updated_at=datetime(2026, 5, 1, tzinfo=UTC)
    )
    create_pilot(
        council, title="Newer draft", status="draft", updated_at=datetime(2026, 5, 20, tzinfo=UTC)
    )
    create_pilot(council, title="Waiting to start", status="registered", registered_at=RECENTLY)
    # Registered 1 January 2026, nothing since: 151 days quiet by NOW, more than 90.
    create_pilot(
        council,
        title="Gone quiet",
        status="running",
        registered_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    # The same, but with a progress update on 1 May 2026: 31 days, under 90.
    updated = create_pilot(
        council,
        title="Kept up to date",
        status="running",
        registered_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    create_progress_update(updated, "Going well.", on=date(2026, 5, 1))
    # Ended 1 January 2026: report due 1 April (90 days), overdue after 1 May (30 days' grace).
    create_pilot(
        council,
        title="Report overdue",
        status="running",
        planned_end_date=date(2026, 1, 1),
        registered_at=RECENTLY,
    )
    # Ended 15 February 2026: report due 16 May, not overdue until after 15 June.
    create_pilot(
        council,
        title="Report due",
        status="running",
        planned_end_date=date(2026, 2, 15),
        registered_at=RECENTLY,
    )
    groups = your_pilots(editor, NOW)
    assert titles(groups["drafts"]) == ["Newer draft", "Older draft"]  # last changed first
    assert titles(groups["registered"]) == ["Waiting to start"]
    assert titles(groups["updates-due"]) == ["Gone quiet"]
    assert groups["updates-due"].items[0].on == date(2026, 1, 1)
    reports = [(i.pilot.title, i.on, i.overdue) for i in groups["reports-due"].items]
    assert reports == [
        ("Report overdue", date(2026, 4, 1), True),
        ("Report due", date(2026, 5, 16), False),
    ]


def test_a_long_group_is_shown_in_pages(client, council, signed_in_editor):
    for n in range(21):
        create_pilot(
            council,
            title=f"Draft {n:02}",
            status="draft",
            updated_at=datetime(2026, 5, n + 1, tzinfo=UTC),
        )
    overview = client.get("/your-pilots").get_data(as_text=True)
    # 21 drafts: the overview shows the newest 10 (Draft 20 down to Draft 11) and links to all.
    assert "Draft 11" in overview and "Draft 10" not in overview
    assert "See all 21: drafts" in overview
    second = client.get("/your-pilots?group=drafts&page=2").get_data(as_text=True)
    # 20 a page: page 2 holds only the oldest, Draft 00.
    assert "Draft 00" in second and "Draft 01" not in second


def test_an_unknown_group_is_refused(client, signed_in_editor):
    assert client.get("/your-pilots?group=everything").status_code == 400
