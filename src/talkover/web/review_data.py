"""What the recording page receives from the review API: the report's data for the current
version, with every event's identity and verdict and the review's progress.

The counts (speakers, matrix, groups, summary) are the corrected version's: rejected events
are left out of them. The event list is every event the edited timeline makes, rejected ones
included (drawn crossed out, so that a verdict can be taken back).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import PurePath
from typing import Any

from talkover.export.json_groups import sensitivity_to_dict
from talkover.report.html import report_data, summary_lines
from talkover.review import EventRef, Review

__all__ = ["review_payload", "review_status", "public_document"]


def public_document(document: dict[str, Any]) -> dict[str, Any]:
    """A talkover JSON document as the API gives it: its input's ``path`` and ``media_path``
    and its provenance's input names are the files' names in the store, never the server's
    folders (changed in place)."""
    found = document.get("input")
    if isinstance(found, dict):
        for key in ("path", "media_path"):
            if isinstance(found.get(key), str):
                found[key] = PurePath(found[key]).name
    provenance = document.get("provenance")
    for item in (provenance.get("inputs") or []) if isinstance(provenance, dict) else []:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            item["name"] = PurePath(item["name"]).name
    return document


def review_payload(review: Review, title: str) -> dict[str, Any]:
    """The page's data block for the current version of ``review``."""
    result = review.result
    corrected = result.corrected
    data = report_data(replace(corrected, events=result.events))
    data["summary"] = summary_lines(corrected)
    data["title"] = title
    public_document(data)  # the upload's name in the store, not the server's folders
    for row, event, verdict in zip(data["events"], result.events, result.verdicts, strict=True):
        row["id"] = EventRef.of_event(event).key
        row["verdict"] = verdict
    if data["sensitivity"] is None and review.base.sensitivity is not None:
        # a grid of recomputations: not redone per edit; exports carry the corrected one
        data["sensitivity"] = sensitivity_to_dict(review.base.sensitivity)
        data["sensitivity_of"] = "automatic" if review.edits_in_effect else "current"
    data["review"] = review_status(review)
    return data


def review_status(review: Review) -> dict[str, Any]:
    """Progress and history: the queue (least confident first), how many of its events have a
    verdict, whether undo/redo can act, and the counts automatic vs corrected."""
    queue = review.queue()
    result = review.result
    auto: dict[str, int] = {}
    for e in review.base.events:
        auto[e.type] = auto.get(e.type, 0) + 1
    now: dict[str, int] = {}
    for e in result.corrected.events:
        now[e.type] = now.get(e.type, 0) + 1
    return {
        "queue": [q.ref.key for q in queue],
        "reviewed": sum(q.verdict is not None for q in queue),
        "total": len(queue),
        "edits": len(review.log),
        "edits_in_effect": review.edits_in_effect,
        "can_undo": review.can_undo,
        "can_redo": review.can_redo,
        "confirmed": len(result.confirmed),
        "rejected": len(result.rejected),
        "unmatched_verdicts": len(result.unmatched),
        "counts": {t: [auto.get(t, 0), now.get(t, 0)] for t in sorted(set(auto) | set(now))},
    }
