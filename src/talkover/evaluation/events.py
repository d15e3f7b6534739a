"""Event detection scoring: one-to-one matching of reference and hypothesis events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from talkover.evaluation.result import Detection
from talkover.events import Event
from talkover.events.types import EVENT_TYPES

__all__ = ["match_events", "event_detection"]


def _key(event: Event, mapping: Mapping[str, str]) -> tuple[str, str, str]:
    # a hypothesis speaker with no reference counterpart can never match: keep it distinct
    def name(speaker: str) -> str:
        return mapping.get(speaker, f"\x00unmapped:{speaker}")

    return event.type, name(event.by), name(event.of)


def match_events(
    reference: Sequence[Event],
    hypothesis: Sequence[Event],
    *,
    mapping: Mapping[str, str],
    onset_tolerance_s: float = 1.0,
) -> list[tuple[int, int]]:
    """Pairs ``(ref index, hyp index)`` of matching events, each event used at most once.

    Two events match when their type agrees, the hypothesis ``by`` and ``of`` map to the
    reference ones, and their onsets differ by at most ``onset_tolerance_s``. The assignment
    (Hungarian) maximises the number of matches, then minimises the summed onset distance.
    """
    if not reference or not hypothesis:
        return []
    ref_keys = [(e.type, e.by, e.of) for e in reference]
    hyp_keys = [_key(e, mapping) for e in hypothesis]
    onset_gap = np.abs(
        np.array([e.start_s for e in reference])[:, None]
        - np.array([e.start_s for e in hypothesis])[None, :]
    )
    allowed = (onset_gap <= onset_tolerance_s) & np.array(
        [[rk == hk for hk in hyp_keys] for rk in ref_keys]
    )
    # a forbidden pair costs more than any set of allowed ones: matches count first
    forbidden_cost = 1.0 + onset_tolerance_s * (len(reference) + len(hypothesis))
    cost = np.where(allowed, onset_gap, forbidden_cost)
    rows, cols = linear_sum_assignment(cost)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if allowed[r, c]]


def event_detection(
    reference: Sequence[Event],
    hypothesis: Sequence[Event],
    *,
    mapping: Mapping[str, str],
    onset_tolerance_s: float = 1.0,
) -> dict[str, Detection]:
    """Per event type: matched events, reference events and hypothesis events."""
    pairs = match_events(
        reference, hypothesis, mapping=mapping, onset_tolerance_s=onset_tolerance_s
    )
    hits: dict[str, int] = {}
    for r, _ in pairs:
        hits[reference[r].type] = hits.get(reference[r].type, 0) + 1
    return {
        t: Detection(
            hits=float(hits.get(t, 0)),
            num_ref=float(sum(e.type == t for e in reference)),
            num_hyp=float(sum(e.type == t for e in hypothesis)),
        )
        for t in EVENT_TYPES
    }
