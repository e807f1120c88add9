from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from app.common.importing import ImportFailed
from app.extensions import db
from app.pilots.importer import import_pilots
from app.pilots.models import Pilot
from tests.factories import create_council

COLUMNS = [
    "slug", "title", "lead_council", "partner_councils", "summary", "location", "hypothesis",
    "pillars", "status", "verdict", "planned_cost_gbp", "actual_cost_gbp", "start_date",
    "planned_end_date", "actual_end_date", "tags", "case_study",
]  # fmt: skip


def row(**values: str) -> dict[str, str]:
    base = {c: "" for c in COLUMNS}
    base.update(
        title="Chatbot for council tax",
        lead_council="AAA",
        hypothesis="We believe that a chatbot will result in fewer calls.",
        pillars="developing-solutions;inclusion",
        status="registered",
        start_date="2026-01-01",
        planned_end_date="2026-06-30",
        planned_cost_gbp="12500",
    )
    base.update(values)
    return base


def to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def councils(app_ctx):
    return create_council(code="AAA"), create_council(code="BBB")


def pilot_rows() -> list[tuple[object, ...]]:
    return [
        (p.slug, p.title, p.status, p.planned_cost_pence, p.updated_at)
        for p in db.session.scalars(select(Pilot).order_by(Pilot.slug))
    ]


def test_import_creates_pilots_with_money_in_pence(councils):
    text = to_csv(
        [
            row(partner_councils="BBB", tags="chatbot;ai", case_study="## What we did\n\nThings."),
            row(title="Road sensors", slug="road-sensors", status="concluded", verdict="proved"),
        ]
    )
    summary = import_pilots(text)
    assert (summary.created, summary.updated, summary.unchanged) == (2, 0, 0)
    pilot = db.session.scalar(select(Pilot).where(Pilot.slug == "chatbot-for-council-tax"))
    assert pilot is not None
    assert pilot.planned_cost_pence == 1_250_000
    assert [c.code for c in pilot.partners] == ["BBB"]
    assert pilot.pillars == ["developing-solutions", "inclusion"]
    assert pilot.tags == ["ai", "chatbot"]
    assert pilot.registered_at is not None
    sensors = db.session.scalar(select(Pilot).where(Pilot.slug == "road-sensors"))
    assert (sensors.status, sensors.verdict) == ("concluded", "proved")


def test_reimport_is_idempotent_and_updates_by_slug(councils):
    text = to_csv([row(slug="chat")])
    import_pilots(text)
    before = pilot_rows()
    assert import_pilots(text).unchanged == 1
    assert pilot_rows() == before
    summary = import_pilots(to_csv([row(slug="chat", title="Chatbot, renamed")]))
    assert summary.updated == 1
    assert db.session.scalar(select(Pilot.title).where(Pilot.slug == "chat")) == "Chatbot, renamed"
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 1


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"lead_council": "QQQ"}, "not a known council code"),
        ({"partner_councils": "BBB;QQQ"}, "partner_councils: 'QQQ'"),
        ({"pillars": "robots"}, "'robots' is not a pillar"),
        ({"start_date": "2026-02-30"}, "start_date '2026-02-30' is not a date"),
        ({"planned_end_date": "2025-01-01"}, "planned end date must be on or after"),
        ({"planned_cost_gbp": "-5"}, "negative"),
        ({"actual_cost_gbp": "12.5k"}, "Enter an amount in pounds"),
        ({"planned_cost_gbp": "1000000000.01"}, "no more than £1,000,000,000"),
        ({"hypothesis": ""}, "hypothesis is required"),
        ({"title": ""}, "title is required"),
        ({"status": "finished"}, "status 'finished'"),
        ({"status": "running", "verdict": "proved"}, "only a concluded pilot"),
        ({"status": "concluded"}, "needs a verdict"),
        ({"title": "x" * 141}, "the most is 140"),
        ({"start_date": "20260101"}, "start_date '20260101' is not a date in the form YYYY-MM-DD"),
        ({"planned_end_date": "2026-6-30"}, "not a date in the form YYYY-MM-DD"),
        ({"planned_end_date": "9999-12-31"}, "planned_end_date: Use a year between 1900 and 2100"),
        ({"start_date": "1066-10-14"}, "start_date: Use a year between 1900 and 2100"),
        ({"location": "x" * 500}, "location: 500 characters; the most is 200"),
        ({"summary": "x" * 1001}, "summary: 1001 characters; the most is 1000"),
        ({"hypothesis": "x" * 3001}, "hypothesis: 3001 characters; the most is 3000"),
        ({"case_study": "x" * 200_000}, "case_study: 200000 characters; the most is 100000"),
        ({"tags": "x" * 61}, "tags: Each tag must be 60 characters or fewer"),
    ],
)
def test_each_bad_row_is_reported_and_nothing_changes(councils, values, message):
    import_pilots(to_csv([row(slug="existing")]))
    before = pilot_rows()
    text = to_csv([row(slug="existing", title="Changed"), row(slug="second", **values)])
    with pytest.raises(ImportFailed) as caught:
        import_pilots(text)
    assert [e.line for e in caught.value.errors] == [3]
    assert message in caught.value.errors[0].message
    assert pilot_rows() == before


def test_duplicate_slug_in_file(councils):
    with pytest.raises(ImportFailed) as caught:
        import_pilots(to_csv([row(slug="same"), row(slug="same", title="Other")]))
    assert caught.value.errors[0].line == 3
    assert "already used on line 2" in caught.value.errors[0].message
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 0


def test_line_numbers_count_multiline_case_studies(councils):
    text = to_csv([row(slug="a", case_study="one\ntwo\nthree"), row(slug="b", pillars="nope")])
    with pytest.raises(ImportFailed) as caught:
        import_pilots(text)
    assert caught.value.errors[0].line == 5


def test_unknown_column_refused(councils):
    with pytest.raises(ImportFailed, match="unknown column colour"):
        import_pilots(to_csv([row()]).replace("case_study", "colour", 1))


def test_cli_reports_rows_and_exits_non_zero(councils, tmp_path):
    path = tmp_path / "pilots.csv"
    path.write_text(to_csv([row(lead_council="QQQ")]), encoding="utf-8")
    from flask import current_app

    outcome = current_app.test_cli_runner().invoke(args=["pilots", "import", str(path)])
    assert outcome.exit_code == 1
    assert "line 2: lead_council 'QQQ' is not a known council code" in outcome.output
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 0
    path.write_text(to_csv([row()]), encoding="utf-8")
    outcome = current_app.test_cli_runner().invoke(args=["pilots", "import", str(path)])
    assert outcome.exit_code == 0, outcome.output
    assert "1 created" in outcome.output


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"status": "draft"}, "cannot change its status to draft"),
        ({"status": "concluded", "verdict": "disproved"}, "verdict changes only by an amendment"),
    ],
)
def test_import_never_moves_a_pilot_through_its_lifecycle(councils, values, message):
    import_pilots(to_csv([row(slug="kept", status="concluded", verdict="proved")]))
    before = pilot_rows()
    with pytest.raises(ImportFailed) as caught:
        import_pilots(to_csv([row(slug="kept", **values), row(slug="also", status="running")]))
    assert any(message in e.message and e.line == 2 for e in caught.value.errors)
    assert pilot_rows() == before
    assert db.session.scalar(select(Pilot.verdict).where(Pilot.slug == "kept")) == "proved"


def test_every_lifecycle_problem_is_reported(councils):
    import_pilots(to_csv([row(slug="one"), row(slug="two")]))
    with pytest.raises(ImportFailed) as caught:
        import_pilots(to_csv([row(slug="one", status="draft"), row(slug="two", status="draft")]))
    assert [e.line for e in caught.value.errors] == [2, 3]


def test_a_row_with_more_values_than_the_header_is_reported(councils):
    text = to_csv([row(slug="fine"), row(slug="extra")])
    lines = text.splitlines()
    lines[2] += ",surplus,values"
    with pytest.raises(ImportFailed) as caught:
        import_pilots("\n".join(lines) + "\n")
    assert [str(e) for e in caught.value.errors] == [
        "line 3: 2 more values than the header has columns"
    ]
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 0


def test_cli_reports_a_huge_value_by_its_line_not_a_traceback(councils, tmp_path):
    path = tmp_path / "pilots.csv"
    path.write_text(to_csv([row(slug="a"), row(slug="b", case_study="y" * 200_000)]))
    from flask import current_app

    outcome = current_app.test_cli_runner().invoke(args=["pilots", "import", str(path)])
    assert outcome.exit_code == 1
    assert "line 3: case_study: 200000 characters; the most is 100000" in outcome.output
    assert "Traceback" not in outcome.output and outcome.exception.__class__ is SystemExit
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 0


def test_a_row_whose_slug_is_a_word_the_addresses_use_is_reported(councils):
    """/pilots/new is the form: a pilot slugged `new` could never be opened."""
    with pytest.raises(ImportFailed) as caught:
        import_pilots(to_csv([row(slug="", title="New")]))
    assert "slug 'new' is a word the registry's addresses use" in caught.value.errors[0].message
    assert db.session.scalar(select(func.count()).select_from(Pilot)) == 0
