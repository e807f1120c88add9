"""The judged set: queries an officer would type over the demo, each with the pilots (slugs)
that must be in the top ten and those that must not; and the measures over it.

Written as officers ask: exact names, typos, words typed apart or hyphenated, council words
for the same thing, several needs at once, and exclusions. `make bench-search` prints the
figures for both backends; tests/search/test_relevance.py holds them to the targets.

recall@10: for each query, the share of its must-find pilots in the top ten, averaged.
nDCG@10: the must-find pilots as relevant (gain 1), discounted by log2(rank + 1), over the
best possible order, averaged. A dead end is a query that lists nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Judged:
    query: str
    must: tuple[str, ...]
    must_not: tuple[str, ...] = ()
    kind: str = "plain"


# query | pilots it must list in its top ten | pilots it must not | kind. $NAME stands for a
# group of slugs named below.
GROUPS = {
    "CHATBOTS": "man-council-tax-chatbot crf-bilingual-recycling-chatbot",
    "WEBCHATS": "bst-community-languages-housing-webchat cmd-estate-repairs-webchat",
    "BIN_SENSORS": "wbk-pangbourne-litter-bin-sensors glg-backcourt-communal-bin-sensors",
    "OTHER_SENSORS": "con-st-ives-car-park-sensors hrt-vehicle-mounted-road-surface-sensors "
    "lds-home-care-sensors",
    "ASSISTED": "wbk-lambourn-digital-champion wbk-hungerford-library-help-session "
    "kec-visitor-parking-assisted-route fif-blue-badge-assisted-applications "
    "gwn-llyn-village-hall-help-sessions",
    "INCLUSION": "man-library-digital-inclusion-hubs wbk-lambourn-digital-champion "
    "gwn-llyn-village-hall-help-sessions",
    "POTHOLES": "hrt-photo-pothole-reporting ken-highway-fault-report-triage",
    "RECYCLING": "crf-recycling-bag-home-delivery crf-bilingual-recycling-chatbot",
}
TABLE = """
older people offline | kec-visitor-parking-assisted-route | | synonym
chat bot | $CHATBOTS | | compound
digital exclusion | $INCLUSION | | synonym
gritting OR blue badges | fif-blue-badge-assisted-applications | | or
chatbot | $CHATBOTS | | plain
potholes | $POTHOLES | | plain
council tax | man-council-tax-chatbot cmd-community-researchers-council-tax-support | | plain
recycling | $RECYCLING | | plain
garden waste | gwn-garden-waste-online-renewals | | plain
webchat | $WEBCHATS | | plain
sensors | $BIN_SENSORS $OTHER_SENSORS | | plain
parking permits | kec-parking-permit-renewal-options | | plain
blue badge | fif-blue-badge-assisted-applications | | plain
telecare | lds-home-care-sensors | | plain
open data | bfs-neighbourhood-open-data-dashboard lds-bin-collection-open-data | | plain
machine learning | hrt-vehicle-mounted-road-surface-sensors \\
  ken-highway-fault-report-triage | | plain
simulation | kec-housing-repairs-triage-simulation | | plain
community researchers | cmd-community-researchers-council-tax-support | | plain
digital champion | wbk-lambourn-digital-champion | | plain
assisted digital | $ASSISTED | | plain
digital inclusion | $INCLUSION | | plain
"housing register" | bst-housing-register-eligibility-checker | | phrase
litter | wbk-pangbourne-litter-bin-sensors | | plain
recyling | $RECYCLING | | typo
chatbto | $CHATBOTS | | typo
pothole reportng | hrt-photo-pothole-reporting | | typo
libary help | wbk-hungerford-library-help-session | | typo
telecar sensors | lds-home-care-sensors | | typo
pot holes | $POTHOLES | | compound
web chat | $WEBCHATS | | compound
fly-tipping | glg-bulky-uplift-booking-slots | | compound
back courts bins | glg-backcourt-communal-bin-sensors | | compound
bins | lds-bin-collection-open-data $BIN_SENSORS | | synonym
refuse collection | lds-bin-collection-open-data | | synonym
elderly residents | kec-visitor-parking-assisted-route | | synonym
road defects | hrt-vehicle-mounted-road-surface-sensors $POTHOLES | | synonym
winter maintenance | hrt-gritting-route-optimisation | | synonym
road salting | hrt-gritting-route-optimisation | | synonym
artificial intelligence | ken-highway-fault-report-triage $CHATBOTS | | synonym
disabled parking | fif-blue-badge-assisted-applications | | synonym
housing waiting list | bst-housing-register-eligibility-checker | | synonym
laptop loans | man-library-digital-inclusion-hubs | | synonym
internet of things | $BIN_SENSORS lds-home-care-sensors | | synonym
domiciliary care | lds-home-care-sensors | | synonym
virtual assistant | $CHATBOTS | | synonym
home to school transport | ken-school-transport-eligibility-checker | | synonym
help in libraries | wbk-hungerford-library-help-session man-library-digital-inclusion-hubs | | multi
bilingual chatbot recycling | crf-bilingual-recycling-chatbot | | multi
housing benefit photos | man-housing-benefit-photo-evidence | | multi
council tax support take up | cmd-community-researchers-council-tax-support | | multi
car park queues | con-st-ives-car-park-sensors | | multi
free school meals automatic enrolment | fif-free-school-meals-auto-enrolment | | multi
adult social care phone support | ken-adult-social-care-online-self-assessment | | multi
village hall help sessions welsh | gwn-llyn-village-hall-help-sessions | | multi
older disabled residents phone counter | kec-visitor-parking-assisted-route | | multi
bulky waste booking | glg-bulky-uplift-booking-slots | | multi
cost benefit analysis parking | kec-parking-permit-renewal-options | | multi
gritting route forecast | hrt-gritting-route-optimisation | | multi
chatbot -recycling | man-council-tax-chatbot | crf-bilingual-recycling-chatbot | negation
sensors -bins | $OTHER_SENSORS | $BIN_SENSORS | negation
open data -bins | bfs-neighbourhood-open-data-dashboard | lds-bin-collection-open-data | negation
repairs -webchat | kec-housing-repairs-triage-simulation | cmd-estate-repairs-webchat | negation
eligibility checker -housing | ken-school-transport-eligibility-checker \
  | bst-housing-register-eligibility-checker | negation
"""


def _slugs(cell: str) -> tuple[str, ...]:
    return tuple(slug for word in cell.split() for slug in GROUPS.get(word[1:], word).split())


def _judged(table: str) -> list[Judged]:
    rows = table.replace("\\\n", "").strip().splitlines()
    judged = []
    for row in rows:
        query, must, must_not, kind = (cell.strip() for cell in row.split("|"))
        judged.append(Judged(query, _slugs(must), _slugs(must_not), kind))
    return judged


JUDGED = _judged(TABLE)


@dataclass
class Figures:
    recall: float
    ndcg: float
    dead_ends: list[str] = field(default_factory=list)
    missed: list[tuple[str, list[str]]] = field(default_factory=list)
    wrong: list[tuple[str, list[str]]] = field(default_factory=list)

    def problems(self) -> list[str]:
        lines = [f"dead end: {q!r}" for q in self.dead_ends]
        lines += [f"missed in {q!r}: {', '.join(s)}" for q, s in self.missed]
        lines += [f"must not list in {q!r}: {', '.join(s)}" for q, s in self.wrong]
        return lines


def measure(top_ten: Callable[[str], list[str]], judged: list[Judged] = JUDGED) -> Figures:
    """recall@10 and nDCG@10 of `top_ten` (a query → the slugs it lists first) over the set."""
    recalls, gains = [], []
    figures = Figures(0.0, 0.0)
    for item in judged:
        found = top_ten(item.query)[:10]
        if not found:
            figures.dead_ends.append(item.query)
        wanted = set(item.must)
        recalls.append(len(wanted.intersection(found)) / len(wanted))
        dcg = sum(1 / math.log2(rank + 2) for rank, slug in enumerate(found) if slug in wanted)
        ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(wanted), 10)))
        gains.append(dcg / ideal)
        if missed := [s for s in item.must if s not in found]:
            figures.missed.append((item.query, missed))
        if wrong := [s for s in item.must_not if s in found]:
            figures.wrong.append((item.query, wrong))
    figures.recall = sum(recalls) / len(recalls)
    figures.ndcg = sum(gains) / len(gains)
    return figures
