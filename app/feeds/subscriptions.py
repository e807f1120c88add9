"""The subscribe page's feeds: each listing's "Subscribe" link names its feed (`feed=council`
and `code=kec`, `feed=search` and the search's own parameters), and the page offers that feed's
addresses to copy into a feed reader. Only the registry's own feeds can be named, so the page
never shows an address that is not ours."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from app.feeds import service
from app.feeds.service import FeedSource

# name → (how to find the source, the one parameter it takes, if any)
FEEDS: dict[str, tuple[Callable[..., FeedSource | None], str | None]] = {
    "pilots": (service.all_pilots_feed, None),
    "events": (service.events_feed, None),
    "council": (service.council_feed, "code"),
    "pillar": (service.pillar_feed, "slug"),
    "programme": (service.programme_feed, "slug"),
    "pilot": (service.pilot_events_feed, "slug"),
}


def subscription_feed(args: dict[str, str]) -> FeedSource | None:
    """The feed the subscribe page's parameters name, or None if there is no such feed.

    `feed=search` takes the search's parameters as /search does, and raises FeedArgumentError
    for any /search would refuse."""
    name = args.get("feed", "")
    if name == "search":
        return service.search_feed({k: v for k, v in args.items() if k != "feed"})
    if name not in FEEDS:
        return None
    find, parameter = FEEDS[name]
    if parameter is None:
        return find()
    value = args.get(parameter, "")
    return find(value) if value else None


# The feeds an email alert can follow too: feed name → the alert's subject kind.
ALERT_KINDS = {"council": "council", "pillar": "pillar", "programme": "programme", "pilot": "pilot"}


def alert_parameters(args: dict[str, str], source: FeedSource) -> dict[str, str] | None:
    """The /alerts/new parameters that follow the same thing by email (`council=kec`,
    `search=q=repairs&pillar=inclusion`), or None for the whole registry's feeds, which no
    alert follows."""
    name = args.get("feed", "")
    if name == "search":
        return {"search": urlencode(sorted(source.params.items()))} if source.params else None
    if name not in ALERT_KINDS:
        return None
    parameter = FEEDS[name][1]
    return {ALERT_KINDS[name]: args[parameter]} if parameter else None


def reader_title(source: FeedSource) -> str:
    """The feed's title without the site's name after it."""
    return source.title.removesuffix(f" — {service.SITE}")
