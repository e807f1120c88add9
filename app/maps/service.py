"""What the maps show: each council's public pilots under /search's filters, and the councils a
council has worked with."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, literal, select, union_all
from sqlalchemy.orm import load_only

from app.councils.models import Council
from app.councils.service import nations_and_types
from app.extensions import db
from app.funding.service import all_programmes
from app.pillars.service import all_pillars
from app.pilots.counts import counts_of
from app.pilots.models import PUBLIC_STATUSES, VERDICTS, Pilot, pilot_partners
from app.search.documents import region_of
from app.search.service import matching_pilot_ids, parse_filters

MAX_PILOTS = 20_000  # every public pilot there is, many times over
# What a council's concluded pilots proved, as the map colours it: the verdict most of them
# reached, "mixed" when two verdicts tie, "none" before any has concluded.
OUTCOMES = ("proved", "disproved", "inconclusive", "mixed", "none")
MAP_FILTERS = ("q", "pillar", "council_type", "region", "status", "verdict", "programme", "year")


@dataclass
class CouncilCount:
    """One council's pilots on the map: how many it led and partnered in, and their verdicts."""

    code: str
    name: str
    region: str
    latitude: Decimal | None
    longitude: Decimal | None
    led: int = 0
    partnered: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return self.led + self.partnered

    @property
    def outcome(self) -> str:
        if not self.verdicts:
            return "none"
        ranked = self.verdicts.most_common()
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            return "mixed"
        return ranked[0][0]

    @property
    def placed(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class PlacedPilot:
    """A pilot whose own position was given: the map marks it there as well."""

    slug: str
    title: str
    council: str
    verdict: str | None
    latitude: Decimal
    longitude: Decimal


@dataclass
class PilotMap:
    filters: dict[str, str]
    councils: list[CouncilCount]
    placed_pilots: list[PlacedPilot]
    pilot_count: int

    @property
    def unplaced(self) -> list[CouncilCount]:
        return [c for c in self.councils if not c.placed]


# What the map shows of a council.
_SHOWN = (Council.code, Council.nice_name, Council.nation, Council.region, Council.latitude,
          Council.longitude)  # fmt: skip


def _count(council: Council, counts: dict[int, CouncilCount]) -> CouncilCount:
    if council.id not in counts:
        counts[council.id] = CouncilCount(
            code=council.code,
            name=council.nice_name,
            region=region_of(council.nation, council.region),
            latitude=council.latitude,
            longitude=council.longitude,
        )
    return counts[council.id]


def _ordered(counts: Iterable[CouncilCount]) -> list[CouncilCount]:
    return sorted(counts, key=lambda c: (-c.total, c.name))


Tally = tuple[str, int, str | None, int]  # role, council id, verdict reached, pilots


def tallied(chosen: ColumnElement[bool]) -> list[Tally]:
    """Each council's pilots among those chosen, led and partnered, by verdict reached:
    counted by GROUP BYs over the public pilots' index."""
    verdict = case((Pilot.status == "concluded", Pilot.verdict))
    tallies = [
        ("led", select(Pilot.lead_council_id, verdict, func.count()).where(chosen)),
        (
            "partnered",
            select(pilot_partners.c.council_id, verdict, func.count())
            .join(Pilot, Pilot.id == pilot_partners.c.pilot_id)
            .where(chosen),
        ),
    ]
    found: list[Tally] = []
    for role, tally in tallies:
        rows = db.session.execute(tally.group_by(*tally.selected_columns[:2]))
        found += [(role, council_id, reached, n) for council_id, reached, n in rows]
    return found


def kept_tallies() -> list[Tally]:
    """The same for every public pilot, from the kept counts (app/pilots/counts.py): counting
    them took 0.15 s of CPU at 100,000 pilots, even from the index alone."""
    found: list[Tally] = []
    for role, everyone, by_verdict in (
        ("led", "lead", "led-v"),
        ("partnered", "partner", "partner-v"),
    ):
        reached: Counter[int] = Counter()
        for value, n in counts_of(by_verdict).items():
            council_id, verdict = value.split(":")
            found.append((role, int(council_id), verdict, n))
            reached[int(council_id)] += n
        # Those without a verdict: all it led (or partnered in) less those concluded with one.
        for value, n in counts_of(everyone).items():
            if n > reached[int(value)]:
                found.append((role, int(value), None, n - reached[int(value)]))
    return found


def pilot_map(args: dict[str, str]) -> PilotMap:
    """Every council that led or partnered in a public pilot /search would find with these
    filters, with its counts; and those pilots that give their own position. Raises
    SearchInputError (or QueryTooLong) as /search would.

    Never pilot by pilot: with no filter, read from the kept counts (what a search without
    one finds: every public pilot); with one, counted by GROUP BYs over the ids it found."""
    query_args = {k: v for k, v in args.items() if k in MAP_FILTERS}
    filters = parse_filters(query_args)
    if query_args.get("q", "").strip():
        filters["q"] = query_args["q"].strip()
    chosen: ColumnElement[bool] = Pilot.status.in_(PUBLIC_STATUSES)
    filtered = any(value.strip() for value in query_args.values())
    if filtered:
        ids = matching_pilot_ids(query_args, MAX_PILOTS, sort="newest")
        chosen = and_(chosen, Pilot.id.in_(ids))
    found = tallied(chosen) if filtered else kept_tallies()
    councils = {
        c.id: c
        for c in db.session.scalars(
            select(Council)
            .where(Council.id.in_({f[1] for f in found}))
            .options(load_only(*_SHOWN, raiseload=True))
        )
    }
    counts: dict[int, CouncilCount] = {}
    for role, council_id, reached, n in found:
        count = _count(councils[council_id], counts)
        setattr(count, role, getattr(count, role) + n)
        if reached:
            count.verdicts[reached] += n
    verdict = case((Pilot.status == "concluded", Pilot.verdict))
    placed = [
        PlacedPilot(*row)
        for row in db.session.execute(
            select(Pilot.slug, Pilot.title, Council.nice_name, verdict, Pilot.latitude,
                   Pilot.longitude)
            .join(Council, Council.id == Pilot.lead_council_id)
            .where(chosen, Pilot.latitude.is_not(None), Pilot.longitude.is_not(None))
            .order_by(Pilot.title)
        )
    ]  # fmt: skip
    if filtered:
        total = db.session.scalar(select(func.count()).select_from(Pilot).where(chosen)) or 0
    else:
        total = sum(counts_of("status").values())
    return PilotMap(filters, _ordered(counts.values()), placed, total)


def partner_counts(council: Council) -> tuple[CouncilCount, list[CouncilCount]]:
    """The council itself, and the councils it has run public pilots with (as lead or partner,
    either way round), each with the number of pilots they shared, most first."""
    # Counted in SQL, one row per other council: loading every public pilot the council took
    # part in (a seventh of the registry for the busiest) took 0.1 s of CPU at 10,000 pilots.
    theirs = pilot_partners.alias("theirs")
    public = Pilot.status.in_(PUBLIC_STATUSES)
    # The leads of the pilots it partnered in...
    leads = (
        select(Pilot.lead_council_id.label("council_id"), literal(1).label("led"),
               literal(0).label("partnered"))
        .join(pilot_partners, pilot_partners.c.pilot_id == Pilot.id)
        .where(pilot_partners.c.council_id == council.id, public,
               Pilot.lead_council_id != council.id)
    )  # fmt: skip
    # ...and the other partners of every pilot it led, and of every pilot it partnered in (a
    # lead listed among its own pilot's partners counts as leading it again): each from its
    # own index, as an OR over both would go through every partnership in the registry.
    is_lead = theirs.c.council_id == Pilot.lead_council_id
    others = select(theirs.c.council_id, case((is_lead, 1), else_=0), case((is_lead, 0), else_=1))
    of_led = (
        others.select_from(Pilot)
        .join(theirs, theirs.c.pilot_id == Pilot.id)
        .where(Pilot.lead_council_id == council.id, public, theirs.c.council_id != council.id)
    )
    of_partnered = (
        others.select_from(pilot_partners)
        .join(Pilot, Pilot.id == pilot_partners.c.pilot_id)
        .join(theirs, theirs.c.pilot_id == Pilot.id)
        .where(pilot_partners.c.council_id == council.id, public,
               Pilot.lead_council_id != council.id, theirs.c.council_id != council.id)
    )  # fmt: skip
    shared = union_all(leads, of_led, of_partnered).subquery()
    # The columns a count shows, not whole councils: the busiest council has hundreds.
    shown = (Council.code, Council.nice_name, Council.nation, Council.region, Council.latitude,
             Council.longitude)  # fmt: skip
    rows = db.session.execute(
        select(*shown, func.sum(shared.c.led), func.sum(shared.c.partnered))
        .join(shared, shared.c.council_id == Council.id)
        .group_by(*shown, Council.id)
    )
    partners = [
        CouncilCount(code, name, region_of(nation, region), lat, long, int(led), int(partnered))
        for code, name, nation, region, lat, long, led, partnered in rows
    ]
    return _count(council, {}), _ordered(partners)


@dataclass(frozen=True)
class FilterChoices:
    pillars: list[tuple[str, str]]
    council_types: list[tuple[str, str]]
    regions: list[tuple[str, str]]
    statuses: tuple[str, ...]
    verdicts: tuple[str, ...]
    programmes: list[tuple[str, str]]


def filter_choices() -> FilterChoices:
    """The choices for the map's filters: the same values /search accepts."""
    _, types = nations_and_types()
    places = db.session.execute(select(Council.nation, Council.region).distinct())
    return FilterChoices(
        pillars=[(p.slug, p.name) for p in all_pillars()],
        council_types=types,
        regions=[(r, r) for r in sorted({region_of(nation, region) for nation, region in places})],
        statuses=PUBLIC_STATUSES,
        verdicts=VERDICTS,
        programmes=[(p.slug, p.name) for p in all_programmes()],
    )
