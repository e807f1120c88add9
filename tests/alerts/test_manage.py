"""Managing alerts from the signed link in every email, or from /account; one-click unsubscribe
(RFC 8058) that needs no session; an address deleted with its last alert."""

from __future__ import annotations

from sqlalchemy import select

from app.alerts.links import make_token
from app.alerts.models import Alert, AlertAddress, AlertSend
from app.extensions import db
from tests.alerts.conftest import create_alert
from tests.factories import create_council, create_pilot, create_user


def manage_link(address: AlertAddress) -> str:
    return f"/alerts/manage/{make_token('manage', address)}"


def test_the_manage_page_lists_every_alert_and_changes_or_stops_each(client):
    pilot = create_pilot(create_council(code="ABC", nice_name="Abbeyton"), title="Bins trial")
    first = create_alert("a@example.org", "pilot", str(pilot.id))
    second = create_alert("a@example.org", "council", "ABC", "weekly")
    link = manage_link(first.address)
    response = client.get(link)
    assert "no-store" in response.headers["Cache-Control"]  # it shows the address
    page = response.get_data(as_text=True)
    assert "Bins trial" in page and "Abbeyton" in page and "Weekly digest" in page

    client.post(link, data={"action": "frequency", "alert": second.id, "frequency": "immediate"})
    assert db.session.get(Alert, second.id).frequency == "immediate"
    assert client.post(link, data={"action": "stop", "alert": first.id}).status_code == 302
    assert db.session.scalars(select(Alert.id)).all() == [second.id]
    bad = client.post(link, data={"action": "frequency", "alert": second.id, "frequency": "hourly"})
    assert bad.status_code == 400


def test_stopping_the_last_alert_deletes_the_address_and_what_was_sent_to_it(client):
    alert = create_alert("gone@example.org", "pillar", "inclusion")
    db.session.add(AlertSend(key="confirm:x", address_id=alert.address_id))
    db.session.commit()
    link = manage_link(alert.address)
    response = client.post(link, data={"action": "stop", "alert": alert.id})
    assert response.headers["Location"].endswith("/alerts/stopped")
    db.session.expire_all()
    assert db.session.scalars(select(AlertAddress)).all() == []
    assert db.session.scalars(select(AlertSend)).all() == []
    assert client.get(link).status_code == 400  # the link died with the address


def test_an_alert_of_another_address_cannot_be_touched_from_this_ones_link(client):
    mine = create_alert("me@example.org", "pillar", "inclusion")
    theirs = create_alert("them@example.org", "pillar", "inclusion")
    response = client.post(manage_link(mine.address), data={"action": "stop", "alert": theirs.id})
    assert response.status_code == 400
    assert db.session.get(Alert, theirs.id) is not None


def test_a_changed_or_forged_link_is_refused(client, app_ctx):
    alert = create_alert("me@example.org", "pillar", "inclusion")
    other = create_alert("them@example.org", "pillar", "inclusion")
    token = make_token("manage", alert.address)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    from itsdangerous import URLSafeTimedSerializer

    wrong_key = URLSafeTimedSerializer("not the secret", salt="alerts-manage").dumps(
        {"a": other.address_id, "k": other.address.token_key}
    )
    guessed_key = URLSafeTimedSerializer(app_ctx.config["SECRET_KEY"], salt="alerts-manage").dumps(
        {"a": other.address_id, "k": "guess"}
    )
    unsubscribe_as_manage = make_token("unsubscribe", other.address, al=[other.id])
    for bad in (tampered, wrong_key, guessed_key, unsubscribe_as_manage, "x" * 500):
        response = client.get(f"/alerts/manage/{bad}")
        assert response.status_code == 400, bad
        assert "them@example.org" not in response.get_data(as_text=True)


def test_one_click_unsubscribe_needs_no_session_or_csrf_token(app_ctx, client):
    alert = create_alert("me@example.org", "pillar", "inclusion")
    keep = create_alert("me@example.org", "council", "ABC")
    token = make_token("unsubscribe", alert.address, al=[alert.id])
    app_ctx.config["WTF_CSRF_ENABLED"] = True
    try:
        # What a mail client sends (RFC 8058): a bare POST with this one field, no cookies.
        page = client.get(f"/alerts/unsubscribe/{token}")
        assert page.status_code == 200
        assert db.session.get(Alert, alert.id) is not None  # a link scanner's GET changes nothing
        response = client.post(
            f"/alerts/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
        )
        assert response.status_code == 302
        # Every other form still needs its CSRF token.
        refused = client.post(manage_link(keep.address), data={"action": "stop-all"})
        assert refused.status_code == 400
    finally:
        app_ctx.config["WTF_CSRF_ENABLED"] = False
    db.session.expire_all()
    assert db.session.scalars(select(Alert.id)).all() == [keep.id]
    again = client.post(f"/alerts/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 302  # posted twice: nothing left to stop, no error


def test_an_unsubscribe_link_cannot_stop_another_addresss_alert(client):
    mine = create_alert("me@example.org", "pillar", "inclusion")
    theirs = create_alert("them@example.org", "pillar", "inclusion")
    # My own signed link, naming their alert's id: the address in the link is mine.
    token = make_token("unsubscribe", mine.address, al=[theirs.id])
    client.post(f"/alerts/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert db.session.get(Alert, theirs.id) is not None
    assert db.session.get(Alert, mine.id) is not None


def test_a_signed_in_person_reaches_their_alerts_from_their_account(client, sign_in):
    user = create_user(email="officer@example.gov.uk", email_verified=True)
    create_alert("officer@example.gov.uk", "pillar", "inclusion")
    sign_in(user)
    assert "/alerts/mine" in client.get("/account").get_data(as_text=True)
    response = client.get("/alerts/mine")
    assert response.status_code == 302 and "/alerts/manage/" in response.headers["Location"]
    assert "officer@example.gov.uk" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_an_unverified_account_email_does_not_open_that_addresss_alerts(client, sign_in):
    sign_in(create_user(email="victim@example.org", email_verified=False))
    create_alert("victim@example.org", "pillar", "inclusion")
    response = client.get("/alerts/mine")
    assert response.status_code == 200
    assert "no verified email address" in response.get_data(as_text=True)


def test_pilot_and_council_pages_offer_email_alerts(client):
    council = create_council(code="ABC")
    pilot = create_pilot(council)
    assert f"/alerts/new?pilot={pilot.slug}" in client.get(f"/pilots/{pilot.slug}").get_data(
        as_text=True
    )
    assert "/alerts/new?council=ABC" in client.get("/councils/abc").get_data(as_text=True)


def test_the_privacy_notice_lists_what_is_stored(client):
    page = client.get("/alerts/privacy").get_data(as_text=True)
    for stored in ("Your email address", "A record of each email sent", "Until you stop"):
        assert stored in page
