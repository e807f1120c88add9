"""The registry on two servers behind nginx (tests/cluster/conftest.py): what one server does, the
other knows; rate limits count across both; a server killed or restarted costs no acknowledged
write and no reader an error."""

from __future__ import annotations

import itertools
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from app.councils.models import Council
from app.extensions import db
from app.pilots.models import Pilot
from bench.cluster import ROOT, Cluster
from tests.cluster.conftest import Traffic, an_editor, another_address, sign_in, unique_word
from tests.factories import create_measure, create_pilot
from tests.faults.gunicorn_server import csrf_token

pytestmark = pytest.mark.postgres_only
# How long server B may take to hear of server A's write: a page cached in B's workers is stale
# until PostgreSQL's notice reaches them (`make bench-cluster` measures how long that is).
HEARD_WITHIN_SECONDS = 5.0
SIGN_INS_PER_MINUTE = 10  # RATELIMIT_SIGN_IN in conftest's CLUSTER_ENV
SIGN_OUT_FORM = 'action="/auth/sign-out"'


def eventually(check: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + HEARD_WITHIN_SECONDS
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def shows(url: str, text: str) -> Callable[[], bool]:
    return lambda: text in requests.get(url, timeout=10).text


@pytest.fixture(scope="module")
def registered_on_a(cluster: Cluster, cluster_app) -> dict[str, str]:
    """A draft pilot, with B's pages and feed cached before it, registered through server A."""
    a, b = cluster.server_urls
    editor = an_editor("CLA")
    word = unique_word()
    council = db.session.scalar(select(Council).where(Council.code == "CLA"))
    pilot = create_pilot(council, status="draft", title=f"Shared between servers {word}")
    create_measure(pilot)
    slug, title = pilot.slug, pilot.title
    for page in ("/pilots", "/feeds/pilots.atom", f"/search?q={word}"):
        assert title not in requests.get(b + page, timeout=10).text  # now in B's caches
    assert requests.get(f"{b}/pilots/{slug}", timeout=10).status_code == 404  # a draft

    with sign_in(a, editor) as editor_on_a:
        assert submit(editor_on_a, f"{a}/pilots/{slug}/register").status_code == 302
    return {"slug": slug, "title": title, "word": word}


def submit(session: requests.Session, action: str, form_page: str = "") -> requests.Response:
    """POST a form that has nothing but its CSRF token, taken from `form_page` (else `action`)."""
    page = session.get(form_page or action, timeout=10).text
    return session.post(
        action, data={"csrf_token": csrf_token(page)}, allow_redirects=False, timeout=10
    )


def test_a_pilot_registered_on_a_is_shown_on_b_and_in_bs_feeds(cluster, registered_on_a):
    b = cluster.server_urls[1]
    slug, title = registered_on_a["slug"], registered_on_a["title"]
    assert eventually(lambda: requests.get(f"{b}/pilots/{slug}", timeout=10).status_code == 200)
    assert title in requests.get(f"{b}/pilots/{slug}", timeout=10).text
    assert eventually(shows(f"{b}/pilots", title))
    assert eventually(shows(f"{b}/feeds/pilots.atom", title))
    assert eventually(shows(f"{cluster.url}/pilots", title))  # whichever server nginx picks


def test_a_pilot_registered_on_a_is_found_by_bs_search(cluster, registered_on_a):
    b = cluster.server_urls[1]
    search = f"{b}/search?q={registered_on_a['word']}"
    assert eventually(shows(search, f"/pilots/{registered_on_a['slug']}"))


def test_signing_out_on_a_ends_the_session_on_b(cluster, cluster_app):
    a, b = cluster.server_urls
    with sign_in(a, an_editor("CLS")) as person:
        assert SIGN_OUT_FORM in person.get(f"{b}/pilots", timeout=10).text  # signed in on B too
        cookie = person.cookies.get("session")
        assert submit(person, f"{a}/auth/sign-out", f"{a}/pilots").status_code == 302
    # The cookie as it was before signing out, replayed: B (and nginx) no longer know it.
    for url in (b, cluster.url):
        replayed = requests.get(f"{url}/pilots", cookies={"session": cookie}, timeout=10)
        assert replayed.status_code == 200
        assert SIGN_OUT_FORM not in replayed.text


def test_sign_in_limit_counts_across_both_servers(cluster, cluster_app):
    a, b = cluster.server_urls
    editor = an_editor("CLR")
    person = another_address()  # one person, whichever server nginx sends them to

    def attempt(url: str) -> int:
        with requests.Session() as browser:
            page = browser.get(f"{url}/auth/dev", headers=person, timeout=10).text
            return browser.post(
                f"{url}/auth/dev",
                data={"csrf_token": csrf_token(page), "user_id": str(editor)},
                headers=person,
                allow_redirects=False,
                timeout=10,
            ).status_code

    servers = itertools.cycle((a, b))
    statuses = [attempt(next(servers)) for _ in range(SIGN_INS_PER_MINUTE)]
    assert statuses == [302] * SIGN_INS_PER_MINUTE
    assert [attempt(a), attempt(b)] == [429, 429]


def test_killing_a_server_loses_no_acknowledged_write_and_no_read(cluster, cluster_app):
    editors = [an_editor(code) for code in ("CKA", "CKB", "CKC")]
    acknowledged: list[str] = []
    counter = itertools.count(1)
    traffic = Traffic()
    sessions = [sign_in(cluster.url, editor) for editor in editors]
    for session in sessions:
        traffic.add(lambda s=session: save_a_draft(cluster.url, s, counter, acknowledged))
    for _ in range(3):
        traffic.add(lambda: read(cluster.url))
    with traffic:
        time.sleep(1.5)
        writes_before = len(acknowledged)
        cluster.kill(0)
        time.sleep(2.0)
        cluster.start(0)  # reads go on meanwhile: served by B, then by both
        time.sleep(1.0)
    for session in sessions:
        session.close()
    assert not [f for f in traffic.failures if not f.startswith("unacknowledged")], (
        traffic.failures[:10]
    )
    assert writes_before and len(acknowledged) > writes_before  # writes went on after the kill
    db.session.expire_all()
    saved = set(db.session.scalars(select(Pilot.title).where(Pilot.title.in_(acknowledged))))
    assert sorted(set(acknowledged) - saved) == []


def save_a_draft(
    url: str, session: requests.Session, counter: itertools.count, acknowledged: list[str]
) -> str | None:
    """Save a new draft through nginx; a 302 to its page is the acknowledgement. A save cut off
    by the kill (a 502, a dropped connection) was not acknowledged, so nothing was promised."""
    title = f"Saved through the proxy {next(counter)}"
    page = session.get(url + "/pilots/new", timeout=10)
    if page.status_code != 200:
        return f"GET /pilots/new: {page.status_code}"
    try:
        saved = session.post(
            url + "/pilots/new",
            data={
                "csrf_token": csrf_token(page.text),
                "title": title,
                "lead_council": lead_council_of(page.text),
                "summary": "Saved while a server was killed.",
                "hypothesis": "We believe it is kept. We will know when it is there.",
                "pillars": "inclusion",
            },
            allow_redirects=False,
            timeout=10,
        )
    except requests.RequestException as error:
        return f"unacknowledged: {type(error).__name__}"
    if saved.status_code == 302 and "/pilots/" in saved.headers["Location"]:
        acknowledged.append(title)
        return None
    if saved.status_code == 502:
        return "unacknowledged: 502"
    return f"POST /pilots/new: {saved.status_code}"


def lead_council_of(form: str) -> str:
    """The one council the editor may lead for (the form's only choice)."""
    found = re.search(r'<option value="([A-Z]{3})"', form)
    assert found, "the form offers no council"
    return found.group(1)


def read(url: str) -> str | None:
    for page in ("/pilots", "/", "/feeds/pilots.atom", "/councils"):
        response = requests.get(url + page, timeout=10)
        if response.status_code != 200:
            return f"GET {page}: {response.status_code}"
    return None


def test_a_new_migration_and_a_rolling_restart_keep_serving(cluster, cluster_app, tmp_path):
    migrations = additive_migration(tmp_path)
    acknowledged: list[str] = []
    traffic = Traffic()
    writer = sign_in(cluster.url, an_editor("CRR"))
    traffic.add(lambda: save_a_draft(cluster.url, writer, itertools.count(10_000), acknowledged))
    for _ in range(2):
        traffic.add(lambda: read(cluster.url))
    with traffic:
        time.sleep(0.5)
        cluster.migrate(migrations)  # the servers still run the old code on the new schema
        cluster.rolling_restart()
        time.sleep(0.5)
    writer.close()
    assert traffic.failures == []  # not even an unacknowledged save: no server was cut off
    assert traffic.successes > 10 and acknowledged
    assert "rolling_probe" in {c["name"] for c in inspect(db.engine).get_columns("pilots")}


def additive_migration(tmp: Path) -> Path:
    """A copy of migrations/ with one more revision after the head: a nullable column on
    pilots, the kind of change a release makes before the code that uses it arrives."""
    folder = tmp / "migrations"
    shutil.copytree(ROOT / "migrations", folder, ignore=shutil.ignore_patterns("__pycache__"))
    head = ScriptDirectory(str(folder)).get_current_head()
    (folder / "versions" / "9999_add_rolling_probe.py").write_text(f'''"""Test only."""
import sqlalchemy as sa
from alembic import op

revision = "cluster_rolling_probe"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("pilots", sa.Column("rolling_probe", sa.Text(), nullable=True))


def downgrade():
    op.drop_column("pilots", "rolling_probe")
''')
    return folder
