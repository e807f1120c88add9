"""A closed round as open data: JSON and CSV of the frozen configuration, the declarations,
every score with its scorer (a stable pseudonym when the round is anonymous), the result and the
decision. Nothing is published before the round closes; during a second scoring only the first
scoring is, since the second's scores are still hidden."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.choosing.consensus import RoundResult
from app.choosing.models import Round
from app.choosing.results import (
    criterion_names,
    idea_titles,
    is_published,
    published_declarations,
    published_result,
    scorer_labels,
)
from app.choosing.scoring import all_scores
from app.common.csv_output import csv_lines

CSV_HEADER = ("record", "scoring", "scorer", "idea_id", "idea", "criterion", "value", "text")


def _result_json(result: RoundResult, titles: dict[int, str]) -> dict[str, Any]:
    return {
        "ideas": [
            {
                "idea_id": r.idea,
                "idea": titles[r.idea],  # type: ignore[index]
                "rank": r.rank,
                "weighted_score": r.weighted_score,
                "quartiles": list(r.quartiles),
                "spread": r.spread,
            }
            for r in result.ideas
        ],
        "kendalls_w": result.agreement.w,
        "agreement": result.agreement.band,
        "weights_used": list(result.weights),
        "weights_normalised": result.weights_normalised,
        "scorers_excluded": len(result.scorers_excluded),
        "top_three_holds": result.top_three_holds,
    }


def _scorings(round_: Round) -> list[int]:
    last = 1 if round_.status == "rescoring" else round_.scoring
    return list(range(1, last + 1))


def round_document(round_: Round) -> dict[str, Any] | None:
    """The round as JSON, or None while it is not published."""
    if not is_published(round_):
        return None
    labels, titles, names = scorer_labels(round_), idea_titles(round_), criterion_names(round_)
    published = published_result(round_)
    scores = [
        {
            "scoring": scoring,
            "scorer": labels.get(s.user_id, ""),
            "idea_id": s.idea_id,
            "criterion": names.get(s.criterion_id, ""),
            "value": s.value,
            "reason": s.reason,
        }
        for scoring in _scorings(round_)
        for s in all_scores(round_, scoring)
    ]
    document: dict[str, Any] = {
        "id": round_.id,
        "status": round_.status,
        "config": round_.config,
        "config_sha256": round_.config_hash,
        "amendments": [
            {"at": a.at.isoformat(), "reason": a.reason, "config_sha256": a.config_hash}
            for a in round_.amendments
        ],
        "declarations": [
            {"by": d.user.display_name, "idea_id": d.idea_id, "interest": d.text}
            for d in published_declarations(round_)
        ],
        "scores": scores,
        "result": _result_json(published.result, titles) if published else None,
        "first_scoring_result": (
            _result_json(published.first, titles) if published and published.first else None
        ),
        "decision": None,
    }
    if round_.status == "decided":
        document["decision"] = {
            "chosen": [{"idea_id": i, "idea": titles.get(i, "")} for i in round_.chosen_idea_ids],
            "departure_reason": round_.departure_reason,
            "meeting": round_.meeting,
            "minute_reference": round_.minute_reference,
            "decided_at": round_.decided_at.isoformat() if round_.decided_at else None,
            "decided_by": round_.decided_by.display_name if round_.decided_by else "",
        }
    return document


def round_csv(round_: Round) -> Iterator[str] | None:
    """The round as CSV, a record a line (criterion, declaration, score, result, decision), or
    None while it is not published."""
    document = round_document(round_)
    if document is None:
        return None
    titles = idea_titles(round_)
    rows: list[list[str]] = [["config_sha256", "", "", "", "", "", "", round_.config_hash or ""]]
    for c in (document["config"] or {}).get("criteria", []):
        text = f"weight {c['weight']}, {c['direction']} is better: " + " / ".join(c["definitions"])
        rows.append(["criterion", "", "", "", "", c["name"], "", text])
    for d in document["declarations"]:
        idea = d["idea_id"] or ""
        rows.append(
            [
                "declaration",
                "",
                d["by"],
                str(idea),
                titles.get(d["idea_id"], ""),
                "",
                "",
                d["interest"],
            ]
        )
    for s in document["scores"]:
        rows.append([
            "score", str(s["scoring"]), s["scorer"], str(s["idea_id"]), titles[s["idea_id"]],
            s["criterion"], str(s["value"]), s["reason"],
        ])  # fmt: skip
    for r in (document["result"] or {}).get("ideas", []):
        text = f"rank {r['rank']}, IQR {r['spread']}"
        rows.append(
            ["result", "", "", str(r["idea_id"]), r["idea"], "", f"{r['weighted_score']:.4f}", text]
        )
    if document["decision"]:
        decision = document["decision"]
        for position, chosen in enumerate(decision["chosen"], start=1):
            text = f"{decision['meeting']}, minute {decision['minute_reference']}"
            rows.append(
                ["chosen", "", "", str(chosen["idea_id"]), chosen["idea"], "", str(position), text]
            )
        if decision["departure_reason"]:
            rows.append(["departure", "", "", "", "", "", "", decision["departure_reason"]])
    return csv_lines(CSV_HEADER, rows, numeric=(1, 3, 6))
