from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.common.importing import ImportFailed
from app.councils.models import Council
from app.councils.service import import_councils
from app.extensions import db
from tests.conftest import FIXTURES

GOOD = (FIXTURES / "councils.csv").read_text(encoding="utf-8")
HEADER = GOOD.splitlines()[0]


def council_rows() -> list[tuple[object, ...]]:
    return [
        tuple(getattr(c, f) for f in ("code", "official_name", "gss_code", "nation", "is_current"))
        for c in db.session.scalars(select(Council).order_by(Council.code))
    ]


def test_import_creates_councils_with_org_ids(app_ctx):
    summary = import_councils(GOOD)
    assert (summary.created, summary.updated, summary.unchanged) == (6, 0, 0)
    by_code = {c.code: c for c in db.session.scalars(select(Council))}
    assert by_code["AAA"].org_id == "GB-LAE-AAA"
    assert by_code["CCC"].org_id == "GB-LAS-CCC"
    assert by_code["DDD"].org_id == "GB-PLA-DDD"
    assert by_code["EEE"].org_id == "GB-LANI-EEE"
    assert by_code["EEE"].official_name == "Epsilon, Zeta and Eta Council"
    assert by_code["BBB"].is_current is False
    assert str(by_code["BBB"].end_date) == "2023-03-31"
    assert by_code["GMCA"].la_type == "COMB"


def test_second_import_of_same_file_changes_nothing(app_ctx):
    import_councils(GOOD)
    before = council_rows()
    stamps = [c.updated_at for c in db.session.scalars(select(Council).order_by(Council.code))]
    summary = import_councils(GOOD)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 6)
    assert council_rows() == before
    after = [c.updated_at for c in db.session.scalars(select(Council).order_by(Council.code))]
    assert after == stamps


def test_import_keeps_each_councils_position_and_population(app_ctx):
    import_councils(GOOD)
    gamma = db.session.scalar(select(Council).where(Council.code == "CCC"))
    assert (gamma.latitude, gamma.longitude, gamma.population_2020) == (
        Decimal("56.5"),
        Decimal("-4.2"),
        150000,
    )
    former = db.session.scalar(select(Council).where(Council.code == "BBB"))
    assert (former.latitude, former.longitude, former.population_2020) == (None, None, None)


def test_a_registry_imported_before_positions_gets_them_on_reimport(app_ctx):
    # An existing registry's councils have no position until the register is imported again.
    old_columns = "\n".join(line.rsplit(",", 3)[0] for line in GOOD.splitlines()) + "\n"
    import_councils(old_columns)
    assert db.session.scalar(select(Council.latitude).where(Council.code == "AAA")) is None
    summary = import_councils(GOOD)
    assert (summary.updated, summary.unchanged) == (4, 2)  # the two without a position
    alphaton = db.session.scalar(select(Council).where(Council.code == "AAA"))
    assert (alphaton.latitude, alphaton.longitude) == (Decimal("50.9"), Decimal("-1.4"))
    assert alphaton.population_2020 == 180000


def test_reimport_updates_changed_names(app_ctx):
    import_councils(GOOD)
    summary = import_councils(GOOD.replace("Alphaton Borough Council", "Alphaton City Council"))
    assert (summary.created, summary.updated) == (0, 1)
    assert db.session.scalar(select(Council.official_name).where(Council.code == "AAA")) == (
        "Alphaton City Council"
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ",No Code Council,No Code,E06000999,,,,England,South East,UA,Unitary,True",
            "code is empty",
        ),
        ("ZZZ,,,E06000999,,,,England,South East,UA,Unitary,True", "official-name is empty"),
        ("ZZZ,Bad Gss Council,Bad,E0600099,,,,England,South East,UA,Unitary,True", "gss-code"),
        ("ZZZ,Bad Gss Council,Bad,60000999X,,,,England,South East,UA,Unitary,True", "gss-code"),
        ("ZZZ,Atlantis Council,Atlantis,E06000999,,,,Atlantis,Sea,UA,Unitary,True", "nation"),
        (
            "ZZZ,Bad Date Council,Bad,E06000999,31/03/2020,,,England,South East,UA,Unitary,True",
            "start-date",
        ),
        (
            "ZZZ,Bad Date Council,Bad,E06000999,,2020-13-01,,England,South East,UA,Unitary,True",
            "end-date",
        ),
        (
            "AAA,Alphaton Again,Alphaton,E06000901,,,,England,South East,UA,Unitary,True",
            "appears again",
        ),
        (
            f"ZZZ,{'Long ' * 41}Council,Long,E06000999,,,,England,South East,UA,Unitary,True",
            "official-name: 212 characters; the most is 200",
        ),
        (
            "ZZZ,Z Council,Z,E06000999,,,,England,South East,UNITARYAUTHORITY,Unitary,True",
            "local-authority-type: 16 characters; the most is 10",
        ),
        (
            "ZZZ,Z\x00 Council,Z,E06000999,,,,England,South East,UA,Unitary,True",
            "official-name has a control character",
        ),
        (
            "ZZZ,Z Council,\u202eZ,E06000999,,,,England,South East,UA,Unitary,True",
            "nice-name has a control character",
        ),
        (
            "ZZZ,Z Council,Z,E06000999,20200101,,,England,South East,UA,Unitary,True",
            "start-date '20200101' is not a date in the form YYYY-MM-DD",
        ),
        (
            "ZZZ,Z Council,Z,E06000999,,,,England,South East,UA,Unitary,True,1,51.5,-0.1,surplus",
            "1 more value than the header has columns",
        ),
        (
            "ZZZ,Z Council,Z,E06000999,,,,England,South East,UA,Unitary,True,1000,north,-0.1",
            "lat 'north' is not a number of degrees",
        ),
        (
            "ZZZ,Z Council,Z,E06000999,,,,England,South East,UA,Unitary,True,1000,51.5,181",
            "long '181' is not between -180 and 180 degrees",
        ),
        (
            "ZZZ,Z Council,Z,E06000999,,,,England,South East,UA,Unitary,True,1000,NaN,-0.1",
            "lat 'NaN' is not",
        ),
        (
            "ZZZ,Z Council,Z,E06000999,,,,England,South East,UA,Unitary,True,many,51.5,-0.1",
            "pop-2020 'many' is not a number of people",
        ),
    ],
)
def test_bad_row_is_reported_with_its_line_and_nothing_is_imported(app_ctx, row, message):
    import_councils(GOOD)
    before = council_rows()
    text = GOOD + row + "\n"
    with pytest.raises(ImportFailed) as caught:
        import_councils(text.replace("Alphaton Borough Council", "Renamed Council"))
    errors = caught.value.errors
    assert len(errors) == 1
    assert errors[0].line == 8
    assert message in errors[0].message
    assert council_rows() == before


def test_every_bad_row_is_reported(app_ctx):
    text = HEADER + "\n" + ",,,,,,,England,,,,True\n" + "QQQ,Q Council,Q,bad,,,,Mars,,,,True\n"
    with pytest.raises(ImportFailed) as caught:
        import_councils(text)
    lines = sorted({e.line for e in caught.value.errors})
    assert lines == [2, 3]
    assert db.session.scalar(select(func.count()).select_from(Council)) == 0


def test_missing_column_is_refused(app_ctx):
    with pytest.raises(ImportFailed, match="no column"):
        import_councils("code,name\nAAA,Alphaton\n")


def test_real_register_imports_when_present(app_ctx):
    from pathlib import Path

    register = Path(__file__).resolve().parents[3] / "shared" / "data" / "uk_local_authorities.csv"
    if not register.exists():
        pytest.skip("the shared register is not beside this checkout")
    summary = import_councils(register.read_text(encoding="utf-8"))
    assert summary.created == 470
    assert (
        db.session.scalar(
            select(func.count()).select_from(Council).where(Council.is_current.is_(True))
        )
        == 397
    )
