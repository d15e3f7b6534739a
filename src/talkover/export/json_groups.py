"""The ``groups``, ``sensitivity`` and ``voice_matches`` sections of the talkover JSON.

Times in seconds are rounded to the millisecond, rates, ratios and p-values to 6 significant
decimals. JSON has no infinity: an unbounded interval end or ratio (no events on the ``b``
side) is written as ``null``, as is anything undefined.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from talkover.metrics.groups import GroupComparison, GroupContrast
from talkover.metrics.sensitivity import Sensitivity
from talkover.voices import VoiceMatch

__all__ = ["groups_to_dict", "sensitivity_to_dict", "voice_matches_to_list"]


def _num(value: float | None, digits: int = 6) -> float | None:
    if value is None or math.isinf(value) or math.isnan(value):
        return None
    return round(value, digits)


def groups_to_dict(groups: Sequence[GroupComparison]) -> dict[str, Any]:
    """``{attribute: {groups, pairs, contrasts, unassigned}}``."""
    return {
        g.attribute: {
            "groups": [
                {
                    "value": f.value,
                    "speakers": list(f.speakers),
                    "talk_time_s": _num(f.talk_time_s, 3),
                    "talk_share": _num(f.talk_share),
                    "floor_time_s": _num(f.floor_time_s, 3),
                    "interruptions_made": f.interruptions_made,
                    "interruptions_received": f.interruptions_received,
                    "failed_interruptions_made": f.failed_interruptions_made,
                    "failed_interruptions_received": f.failed_interruptions_received,
                    "interruptions_received_per_min": _num(f.interruptions_received_per_min),
                }
                for f in g.groups
            ],
            "pairs": [
                {
                    "by": p.by,
                    "of": p.of,
                    "interruptions": p.interruptions,
                    "failed_interruptions": p.failed_interruptions,
                    "exposure_s": _num(p.exposure_s, 3),
                    "interruptions_per_min": _num(p.interruptions_per_min),
                }
                for p in g.pairs
            ],
            "contrasts": [_contrast(c) for c in g.contrasts],
            "unassigned": list(g.unassigned),
        }
        for g in groups
    }


def _contrast(c: GroupContrast) -> dict[str, Any]:
    r = c.ratio
    return {
        "kind": c.kind,
        "event_type": c.event_type,
        "a": c.a,
        "b": c.b,
        "count_a": r.count_a,
        "exposure_a_s": _num(r.exposure_a_s, 3),
        "count_b": r.count_b,
        "exposure_b_s": _num(r.exposure_b_s, 3),
        "rate_a_per_min": _num(r.rate_a_per_min),
        "rate_b_per_min": _num(r.rate_b_per_min),
        "ratio": _num(r.ratio),
        "ci_low": _num(r.ci_low),
        "ci_high": _num(r.ci_high),
        "level": r.level,
        "p_value": _num(r.p_value),
        "bootstrap_low": _num(r.bootstrap_low),
        "bootstrap_high": _num(r.bootstrap_high),
        "conclusive": c.conclusive,
        "verdict": c.verdict,
    }


def sensitivity_to_dict(sensitivity: Sensitivity | None) -> dict[str, Any] | None:
    """The grid and each headline's ``{quantity, subject, chosen, low, high, ...}``."""
    if sensitivity is None:
        return None
    grid = sensitivity.grid
    return {
        "grid": {
            "min_pause_s": list(grid.min_pause_s),
            "backchannel_max_s": list(grid.backchannel_max_s),
            "grace_s": list(grid.grace_s),
        },
        "configs": sensitivity.configs,
        "headlines": [
            {
                "quantity": h.quantity,
                "subject": h.subject,
                "chosen": _num(h.chosen),
                "low": _num(h.low),
                "high": _num(h.high),
                "unbounded": any(v is not None and math.isinf(v) for v in (h.high, h.chosen)),
                "defined_configs": h.defined_configs,
                "conclusive_configs": h.conclusive_configs,
                "chosen_conclusive": h.chosen_conclusive,
            }
            for h in sensitivity.headlines
        ],
    }


def voice_matches_to_list(matches: Sequence[VoiceMatch]) -> list[dict[str, Any]]:
    """One row per speaker voice enrollment looked at (empty without enrollment)."""
    return [
        {
            "speaker": m.speaker,
            "name": m.name,
            "similarity": _num(m.similarity, 4),
            "speech_s": _num(m.speech_s, 3),
            "matched": m.matched,
            "reason": m.reason,
        }
        for m in matches
    ]
