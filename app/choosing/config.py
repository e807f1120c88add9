"""A round's configuration as frozen when it opens, and its SHA-256.

The frozen configuration is what the round page, the JSON and the CSV publish: the ideas, the
criteria with their weights, directions and definitions, the panel by name, whether scorers
are anonymous, and the closed consultations attached as evidence with their numbers of
answers. The pseudonyms of an anonymous round are kept out of it, or publishing it would
say who each pseudonym is. The hash is of the canonical JSON (sorted keys, no spaces), so anyone
can recompute it from the published configuration.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from app.choosing.evidence import frozen_evidence
from app.choosing.models import Round


def weight_text(weight: Decimal) -> str:
    return format(Decimal(weight).normalize(), "f")


def frozen_config(round_: Round) -> dict[str, Any]:
    return {
        "round": round_.id,
        "council": round_.council.code,
        "title": round_.title,
        "anonymous": round_.anonymous,
        "ideas": [{"id": idea.id, "title": idea.title} for idea in round_.ideas],
        "criteria": [
            {
                "name": c.name,
                "weight": weight_text(c.weight),
                "direction": c.direction,
                "definitions": list(c.definitions),
            }
            for c in round_.criteria
        ],
        "panel": sorted(p.user.display_name for p in round_.panel),
        # Residents' priorities the panel scores with: each closed consultation and its answers.
        "evidence": frozen_evidence(round_),
    }


def config_hash(config: dict[str, Any]) -> str:
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
