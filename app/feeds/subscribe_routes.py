"""/subscribe: a page explaining feed readers, with the feed's addresses to copy (the feed files
themselves stay at /feeds/…, for feed readers)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request, url_for

from app.feeds.searches import FeedArgumentError
from app.feeds.subscriptions import alert_parameters, reader_title, subscription_feed

bp = Blueprint("subscribe", __name__)


@bp.get("/subscribe")
def subscribe() -> str:
    try:
        source = subscription_feed(request.args.to_dict())
    except FeedArgumentError as error:
        abort(400, str(error))
    if source is None:
        abort(404)
    by_email = alert_parameters(request.args.to_dict(), source)
    return render_template(
        "feeds/subscribe.html",
        what=reader_title(source),
        source=source,
        atom=url_for(source.endpoint, fmt="atom", **source.params, _external=True),
        rss=url_for(source.endpoint, fmt="rss", **source.params, _external=True),
        email=url_for("alerts.new") + "?" + urlencode(by_email) if by_email else None,
    )
