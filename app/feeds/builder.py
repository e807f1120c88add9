"""Atom 1.0 and RSS 2.0 documents, built with feedgen: the only module that knows feedgen.

Everything that reaches a feed passes through `xml_text` (no character XML 1.0 forbids) and every
piece of markup through `sanitise_html` (the site's allow-list), with links made absolute so they
work in a reader. Entry ids are tag: URIs from database ids and creation dates, so editing a pilot
never makes a reader show it as a new item.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from flask import url_for
from markupsafe import escape

from app.choosing.consultation_results import CHANNEL_NAMES, ConsultationResults
from app.choosing.feed_entries import RoundFeedEntry
from app.choosing.models.consultations import Consultation
from app.choosing.priorities import PriorityEvent
from app.common.markdown import plain_text, render_markdown, sanitise_html
from app.common.money import format_pence
from app.common.text import format_date, strip_control
from app.feeds.cache import rendered_entries
from app.pilots.models import Pilot, PilotEvent

FORMATS = ("atom", "rss")
ResultsLookup = Callable[[Consultation], ConsultationResults | None]
FEED_ENTRIES = 50
MIMETYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
SUMMARY_LENGTH = 280
# Case studies longer than this go into a feed as a plain-text excerpt with a link: fifty entries
# of 100 KB each would make every poll a 5 MB download.
FULL_CASE_STUDY_LIMIT = 10_000
CASE_STUDY_EXCERPT = 1_000

STATUS_LABELS = {
    "registered": "Registered",
    "running": "Running",
    "concluded": "Concluded",
    "stopped": "Stopped early",
    "withdrawn": "Withdrawn",
}
EVENT_LABELS = {
    "registered": "Registered",
    "amended": "Amended",
    "started": "Started",
    "concluded": "Concluded",
    "stopped": "Stopped early",
    "withdrawn": "Withdrawn",
}

# XML 1.0 also forbids the non-characters U+FFFE and U+FFFF and lone surrogates.
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")
_HREF = re.compile(r'href="([^"]*)"')


@dataclass(frozen=True)
class FeedMeta:
    """What the feed itself says: its title, where it lives and what it mirrors on the site."""

    title: str
    subtitle: str
    self_url: str
    site_url: str
    updated: datetime
    id_authority: str


def xml_text(text: str | None) -> str:
    """Text with every character XML 1.0 forbids removed."""
    return _NOT_XML.sub("", strip_control(text or ""))


def _absolute_links(html: str, base: str) -> str:
    return _HREF.sub(lambda m: f'href="{escape(urljoin(base, m.group(1)))}"', html)


def _feed_html(html: str, base: str) -> str:
    return xml_text(_absolute_links(sanitise_html(xml_text(html)), base))


def _summary_html(text: str) -> str:
    # RSS readers take <description> as HTML, so a summary goes out as escaped HTML in both
    # formats: text like "<script>" is shown, never run.
    return str(escape(text))


def _shorten(text: str, length: int) -> str:
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def status_label(pilot: Pilot) -> str:
    """'Concluded: proved', 'Running', …: what state the pilot is in, in words."""
    label = STATUS_LABELS.get(pilot.status, pilot.status.capitalize())
    if pilot.status == "concluded" and pilot.verdict:
        label = f"{label}: {pilot.verdict}"
    return label


def pilot_url(pilot: Pilot) -> str:
    return url_for("pilots.show", slug=pilot.slug, _external=True)


def _council_link(council_slug: str, name: str) -> str:
    href = url_for("councils.council", code=council_slug, _external=True)
    return f'<a href="{escape(href)}">{escape(name)}</a>'


def _pillar_link(slug: str, names: dict[str, str]) -> str:
    href = url_for("pillars.pillar", slug=slug, _external=True)
    return f'<a href="{escape(href)}">{escape(names.get(slug, slug))}</a>'


def _case_study_html(pilot: Pilot, url: str) -> str:
    if not pilot.case_study.strip():
        return ""
    if len(pilot.case_study) <= FULL_CASE_STUDY_LIMIT:
        return f"<h2>Case study</h2>{render_markdown(pilot.case_study)}"
    excerpt = _shorten(plain_text(pilot.case_study), CASE_STUDY_EXCERPT)
    return (
        f"<h2>Case study</h2><p>{escape(excerpt)}</p>"
        f'<p><a href="{escape(url)}">Read the whole case study</a></p>'
    )


def pilot_html(pilot: Pilot, pillar_names: dict[str, str]) -> str:
    """The entry's content: what the pilot tests, where it stands, what it cost and who runs it.

    Rendering a case study's Markdown is most of a rebuild's cost, so the HTML is kept until the
    pilot (every change to one sets updated_at), its councils or the pillar names change.
    """
    url = pilot_url(pilot)
    version = repr(
        (pilot.updated_at, pilot.lead_council.updated_at, pilot.lead_council.id,
         [(c.id, c.updated_at) for c in pilot.partners], sorted(pillar_names.items()))
    )  # fmt: skip
    cache = rendered_entries()
    cached = cache.get(url, version)
    if cached is not None:
        return cached.decode()
    html = _render_pilot_html(pilot, url, pillar_names)
    cache.put(url, version, html.encode())
    return html


def _render_pilot_html(pilot: Pilot, url: str, pillar_names: dict[str, str]) -> str:
    rows = [
        ("Status", escape(status_label(pilot))),
        ("Lead council", _council_link(pilot.lead_council.slug, pilot.lead_council.nice_name)),
    ]
    if pilot.partners:
        rows.append(
            (
                "Partner councils",
                ", ".join(_council_link(c.slug, c.nice_name) for c in pilot.partners),
            )
        )
    rows += [
        ("Pillars", ", ".join(_pillar_link(s, pillar_names) for s in pilot.pillars)),
        ("Planned cost", escape(format_pence(pilot.planned_cost_pence))),
        ("Actual cost", escape(format_pence(pilot.actual_cost_pence))),
        ("Start date", escape(format_date(pilot.start_date))),
        ("Planned end date", escape(format_date(pilot.planned_end_date))),
    ]
    if pilot.status == "concluded":
        rows.insert(1, ("Verdict", escape((pilot.verdict or "not reported").capitalize())))
    parts = []
    if pilot.summary:
        parts.append(f"<p>{escape(pilot.summary)}</p>")
    parts.append(f"<h2>Hypothesis</h2><p>{escape(pilot.hypothesis)}</p>")
    if pilot.status in ("stopped", "withdrawn") and pilot.status_reason:
        parts.append(f"<p>Reason: {escape(pilot.status_reason)}</p>")
    parts.append(
        "<table><tbody>"
        + "".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in rows)
        + "</tbody></table>"
    )
    parts.append(_case_study_html(pilot, url))
    parts.append(f'<p><a href="{escape(url)}">{escape(pilot.title)} on Proving Ground</a></p>')
    return _feed_html("".join(parts), url)


def pilot_summary(pilot: Pilot) -> str:
    """One line saying what happened: 'Concluded: proved — Calls fell by a quarter'."""
    about = pilot.status_reason if pilot.status in ("stopped", "withdrawn") else ""
    about = about or pilot.summary or pilot.hypothesis
    return xml_text(f"{status_label(pilot)} — {_shorten(about, SUMMARY_LENGTH)}")


def pilot_entry_id(pilot: Pilot, authority: str) -> str:
    return f"tag:{authority},{pilot.created_at:%Y-%m-%d}:pilot/{pilot.id}"


def event_entry_id(event: PilotEvent, authority: str) -> str:
    return f"tag:{authority},{event.at:%Y-%m-%d}:pilot/{event.pilot_id}/event/{event.id}"


def event_label(event: PilotEvent) -> str:
    label = EVENT_LABELS.get(event.kind, event.kind.capitalize())
    if event.kind == "concluded":
        verdict = (event.detail or {}).get("verdict") or event.pilot.verdict
        if verdict:
            label = f"{label}: {verdict}"
    return label


def _describe_pilot(entry: FeedEntry, pilot: Pilot, pillar_names: dict[str, str]) -> None:
    council = pilot.lead_council
    entry.link(href=pilot_url(pilot), rel="alternate", type="text/html")
    entry.author(
        name=xml_text(council.nice_name),
        uri=url_for("councils.council", code=council.slug, _external=True),
    )
    entry.dc.dc_creator(xml_text(council.nice_name))
    scheme = url_for("pillars.index", _external=True)
    for slug in pilot.pillars:
        entry.category(term=slug, label=xml_text(pillar_names.get(slug, slug)), scheme=scheme)


def _new_feed(meta: FeedMeta) -> FeedGenerator:
    feed = FeedGenerator()
    feed.load_extension("dc", atom=False, rss=True)
    feed.id(meta.self_url)
    feed.title(xml_text(meta.title))
    feed.subtitle(xml_text(meta.subtitle))
    # feedgen takes RSS's <link> from the last link given: the listing on the site.
    feed.link(href=meta.self_url, rel="self")
    feed.link(href=meta.site_url, rel="alternate", type="text/html")
    feed.language("en-GB")
    feed.updated(meta.updated)
    feed.lastBuildDate(meta.updated)
    feed.generator("Proving Ground")
    feed.author({"name": "Proving Ground"})  # Atom wants one even when the feed is empty
    return feed


def _render(feed: FeedGenerator, fmt: str) -> bytes:
    if fmt == "atom":
        return feed.atom_str(pretty=False)  # type: ignore[no-any-return]
    return feed.rss_str(pretty=False)  # type: ignore[no-any-return]


def build_pilots_feed(
    meta: FeedMeta, pilots: list[Pilot], fmt: str, pillar_names: dict[str, str]
) -> bytes:
    """A feed of pilots, newest change first; one entry per pilot."""
    feed = _new_feed(meta)
    for pilot in pilots:
        entry = feed.add_entry(order="append")
        entry.id(pilot_entry_id(pilot, meta.id_authority))
        entry.title(xml_text(pilot.title))
        entry.summary(_summary_html(pilot_summary(pilot)), type="html")
        entry.content(pilot_html(pilot, pillar_names), type="html")
        entry.published(pilot.registered_at or pilot.created_at)
        entry.updated(pilot.updated_at)
        _describe_pilot(entry, pilot, pillar_names)
    return _render(feed, fmt)


def build_events_feed(
    meta: FeedMeta, events: list[PilotEvent], fmt: str, pillar_names: dict[str, str]
) -> bytes:
    """A feed of lifecycle events, newest first; one entry per thing that happened."""
    feed = _new_feed(meta)
    for event in events:
        pilot = event.pilot
        label = event_label(event)
        entry = feed.add_entry(order="append")
        entry.id(event_entry_id(event, meta.id_authority))
        entry.title(xml_text(f"{label.split(':')[0]}: {pilot.title}"))
        summary = xml_text(f"{label} — {_shorten(pilot.title, SUMMARY_LENGTH)}")
        entry.summary(_summary_html(summary), type="html")
        said = ""
        if event.summary:
            said += f"<p>{escape(event.summary)}</p>"
        reason = (event.detail or {}).get("reason")
        if isinstance(reason, str) and reason:
            said += f"<p>Reason: {escape(reason)}</p>"
        entry.content(
            _feed_html(said, pilot_url(pilot)) + pilot_html(pilot, pillar_names), type="html"
        )
        entry.published(event.at)
        entry.updated(event.at)
        _describe_pilot(entry, pilot, pillar_names)
    return _render(feed, fmt)


def build_priorities_feed(
    meta: FeedMeta,
    events: list[PriorityEvent],
    rounds: list[RoundFeedEntry],
    fmt: str,
    results: ResultsLookup,
) -> bytes:
    """A feed of residents' priorities and rounds: consultations opened and closed, rounds
    opened, closed and decided, newest first. A closed consultation's entry carries its
    published counts (`results` gives them; never for an open one)."""
    feed = _new_feed(meta)
    moments: list[PriorityEvent | RoundFeedEntry] = [*events, *rounds]
    moments.sort(key=lambda m: m.at, reverse=True)
    for event in moments[:FEED_ENTRIES]:
        if isinstance(event, RoundFeedEntry):
            _add_round_entry(feed, event, meta)
            continue
        consultation = event.consultation
        council = consultation.council
        url = url_for("consultations.show", consultation_id=consultation.id, _external=True)
        opened = event.kind == "consultation-opened"
        label = "Consultation opened" if opened else "Consultation closed"
        entry = feed.add_entry(order="append")
        entry.id(f"tag:{meta.id_authority},{event.at:%Y-%m-%d}:{event.key}")
        entry.title(xml_text(f"{label}: {consultation.question}"))
        entry.summary(_summary_html(xml_text(f"{label} — {council.nice_name}")), type="html")
        parts = [f"<p>{escape(label)} by {_council_link(council.slug, council.nice_name)}.</p>"]
        if opened:
            options = "".join(f"<li>{escape(o.label)}</li>" for o in consultation.options)
            parts.append(f"<ul>{options}</ul>")
            parts.append(
                f"<p>Answers taken until {escape(format_date(consultation.closes_on))}.</p>"
            )
        elif (counts := results(consultation)) is not None:
            parts.append(_results_html(counts))
        parts.append(f'<p><a href="{escape(url)}">The consultation on Proving Ground</a></p>')
        entry.content(_feed_html("".join(parts), url), type="html")
        entry.link(href=url, rel="alternate", type="text/html")
        entry.author(
            name=xml_text(council.nice_name),
            uri=url_for("councils.council", code=council.slug, _external=True),
        )
        entry.published(event.at)
        entry.updated(event.at)
    return _render(feed, fmt)


def _add_round_entry(feed: FeedGenerator, round_: RoundFeedEntry, meta: FeedMeta) -> None:
    url = urljoin(url_for("content.home", _external=True), round_.path)
    entry = feed.add_entry(order="append")
    entry.id(f"tag:{meta.id_authority},{round_.at:%Y-%m-%d}:{round_.entry_id}")
    entry.title(xml_text(round_.title))
    entry.summary(_summary_html(xml_text(round_.summary)), type="html")
    council_link = _council_link(round_.council_code.lower(), round_.council_name)
    entry.content(
        _feed_html(f"<p>{escape(round_.summary)}</p><p>{council_link}</p>", url), type="html"
    )
    entry.link(href=url, rel="alternate", type="text/html")
    entry.author(name=xml_text(round_.council_name))
    entry.published(round_.at)
    entry.updated(round_.at)


def _results_html(results: ConsultationResults) -> str:
    channels = ", ".join(
        f"{CHANNEL_NAMES[c].lower()} {n}" for c, n in results.answers_by_channel.items()
    )
    rows = "".join(
        f'<tr><th scope="row">{escape(o.label)}</th><td>{o.total}</td></tr>'
        for o in results.options
    )
    return (
        f"<p>{results.answers} answers ({escape(channels)}).</p>"
        f"<table><thead><tr><th>Option</th><th>Answers choosing it</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
