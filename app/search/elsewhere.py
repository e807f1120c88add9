"""Has another council already piloted this? For the scorers of a prioritisation round: the
published pilots of other councils that an idea's title finds, with what each proved.

The choosing domain sits below search and never imports it; the scoring page's route asks here.
"""

from __future__ import annotations

import re

from app.pilots.models import Pilot
from app.search.service import SearchInputError, matching_pilots

# Words nearly every pilot has: searching for them would find everything.
COMMON_WORDS = frozenset(
    {
        "council", "councils", "resident", "residents", "service", "services", "digital",
        "pilot", "pilots", "local", "with", "from", "that", "this", "their", "they", "into",
        "more", "less", "about",
    }
)  # fmt: skip
MIN_WORD = 4
MAX_WORDS = 5


def query_for(title: str) -> str:
    """Any of the title's telling words: an idea's title and an earlier pilot's rarely share
    all their words."""
    words = [w for w in re.findall(r"[^\W_]+", title.lower()) if len(w) >= MIN_WORD]
    telling = [w for w in dict.fromkeys(words) if w not in COMMON_WORDS][:MAX_WORDS]
    return " OR ".join(telling)


def piloted_elsewhere(title: str, council_id: int, limit: int = 3) -> list[Pilot]:
    """Published pilots led by other councils that the title finds, best match first."""
    query = query_for(title)
    if not query:
        return []
    try:
        found = matching_pilots({"q": query}, limit + 10)
    except SearchInputError:
        return []
    return [p for p in found if p.lead_council_id != council_id][:limit]
