"""Scoring a hypothesis against a reference: DER, JER, overlapped speech, turn-taking events."""

from talkover.evaluation.evaluate import check_onset_tolerance, evaluate
from talkover.evaluation.events import match_events
from talkover.evaluation.result import (
    Detection,
    DiarizationCounts,
    EvaluationResult,
    JaccardCounts,
)

__all__ = [
    "evaluate",
    "check_onset_tolerance",
    "match_events",
    "EvaluationResult",
    "DiarizationCounts",
    "JaccardCounts",
    "Detection",
]
