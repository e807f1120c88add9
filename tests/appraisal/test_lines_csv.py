"""An appraisal's lines as CSV: the export re-imports to the same appraisal; a bad or huge file is
refused with a clear error and nothing saved."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.appraisal.models import Appraisal
from app.appraisal.service import appraisal_of, save_appraisal
from app.extensions import db
from tests.appraisal.factories import build_appraisal, build_option, build_step, shortlist
from tests.factories import create_pilot


def _with_process_model():
    appraisal = shortlist()
    appraisal.options[2].steps = [
        build_step("as-is", "phone", 1000, 358, low=800, high=1200),
        build_step("to-be", "web", 900, 22),
    ]
    appraisal.options[2].process_years = [1, 2]
    return appraisal


BOUNDARY = "appraisal-lines-boundary"


def _upload(client, pilot, text, **data):
    """Post the file as a browser would. The body is built here, in memory: the test client's
    own encoder spools a body over 500 KB to a temporary file that it never closes."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in data.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="lines.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n{text}\r\n--{BOUNDARY}--\r\n"
    )
    return client.post(
        f"/pilots/{pilot.slug}/appraisal/import",
        data=io.BytesIO("".join(parts).encode()),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


def test_the_export_reimports_to_the_same_appraisal(client, council, signed_in_editor):
    pilot = create_pilot(council, status="draft")
    saved = save_appraisal(pilot, _with_process_model())
    before = saved.content_hash
    exported = client.get(f"/pilots/{pilot.slug}/appraisal/lines.csv")
    text = exported.get_data(as_text=True)
    assert exported.mimetype == "text/csv"
    assert "preferred,Preferred,step,Apply for a permit,800,1000,1200,1 2" in text
    assert "preferred,Preferred,benefit,Staff time saved,20000.00,35000.00,60000.00" in text
    response = _upload(client, pilot, text)
    assert response.status_code == 302
    db.session.expire_all()
    assert appraisal_of(pilot).content_hash == before


def test_a_bad_line_is_named_by_its_line_and_nothing_is_saved(client, council, signed_in_editor):
    pilot = create_pilot(council, status="draft")
    save_appraisal(pilot, shortlist())
    text = client.get(f"/pilots/{pilot.slug}/appraisal/lines.csv").get_data(as_text=True)
    lines = text.splitlines()
    lines[2] = lines[2].replace("4000.00", "-4000.00", 1)  # a negative figure on line 3
    before = appraisal_of(pilot).content_hash
    response = _upload(client, pilot, "\n".join(lines))
    assert response.status_code == 400
    assert "line 3" in response.get_data(as_text=True)
    db.session.expire_all()
    assert appraisal_of(pilot).content_hash == before


def test_a_fifty_thousand_line_file_is_refused_and_nothing_is_saved(
    client, council, signed_in_editor
):
    pilot = create_pilot(council, status="draft")
    header = client.get(f"/pilots/{pilot.slug}/appraisal/import")  # the form
    assert header.status_code == 200
    row = "preferred,P,cost,C{n},1,1,1,0,1,recurring,revenue,,,,,,,,,,,\n"
    text = "option_kind,option_name,line,name\n" + "".join(row.format(n=n) for n in range(50_000))
    assert len(text.encode()) < 4 * 1024 * 1024  # under the body limit: refused by its length
    response = _upload(client, pilot, text)
    assert response.status_code == 400
    assert "The file has 50,001 lines: an appraisal takes at most 2,000" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(Appraisal)) == 0


def test_a_registered_pilots_import_needs_a_reason(client, council, signed_in_editor):
    pilot = create_pilot(council)
    save_appraisal(pilot, shortlist())
    text = client.get(f"/pilots/{pilot.slug}/appraisal/lines.csv").get_data(as_text=True)
    text = text.replace("10000.00", "11000.00")
    refused = _upload(client, pilot, text)
    assert refused.status_code == 400
    assert "give the reason" in refused.get_data(as_text=True)
    assert _upload(client, pilot, text, reason="New quote").status_code == 302


def test_an_import_for_a_pilot_without_one_starts_it(client, council, signed_in_editor):
    pilot = create_pilot(council, status="draft")
    save_appraisal(pilot, build_appraisal(build_option()))
    text = client.get(f"/pilots/{pilot.slug}/appraisal/lines.csv").get_data(as_text=True)
    other = create_pilot(council, status="draft")
    assert _upload(client, other, text).status_code == 302
    assert len(appraisal_of(other).options) == 1
