"""Value types of an evaluation: error components that add up over files, and rates from them.

Every rate is computed from counts (seconds or events) that simply add when files are pooled,
so a pooled result is the same as scoring all files as one corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from talkover.events.types import SIMULTANEOUS_TYPES

__all__ = ["DiarizationCounts", "JaccardCounts", "Detection", "EvaluationResult"]


@dataclass(frozen=True, slots=True)
class DiarizationCounts:
    """Diarization error components in seconds (collar 0, overlap scored).

    ``total_s`` is the reference speech counted per speaker (overlap counts twice).
    """

    miss_s: float = 0.0
    false_alarm_s: float = 0.0
    confusion_s: float = 0.0
    total_s: float = 0.0

    @property
    def error_s(self) -> float:
        return self.miss_s + self.false_alarm_s + self.confusion_s

    @property
    def der(self) -> float | None:
        """Diarization error rate; ``None`` when the reference has no speech."""
        return self.error_s / self.total_s if self.total_s > 0 else None

    def __add__(self, other: DiarizationCounts) -> DiarizationCounts:
        return DiarizationCounts(
            self.miss_s + other.miss_s,
            self.false_alarm_s + other.false_alarm_s,
            self.confusion_s + other.confusion_s,
            self.total_s + other.total_s,
        )


@dataclass(frozen=True, slots=True)
class JaccardCounts:
    """Jaccard error rate components: summed per-reference-speaker errors and their count."""

    speaker_error: float = 0.0
    speaker_count: float = 0.0

    @property
    def jer(self) -> float | None:
        """Jaccard error rate; ``None`` when the reference has no speaker."""
        return self.speaker_error / self.speaker_count if self.speaker_count > 0 else None

    def __add__(self, other: JaccardCounts) -> JaccardCounts:
        return JaccardCounts(
            self.speaker_error + other.speaker_error, self.speaker_count + other.speaker_count
        )


@dataclass(frozen=True, slots=True)
class Detection:
    """Detection counts: ``hits`` found in both, ``num_ref`` and ``num_hyp`` found in each.

    Counts are events, or seconds for overlapped speech.
    """

    hits: float = 0.0
    num_ref: float = 0.0
    num_hyp: float = 0.0

    @property
    def precision(self) -> float | None:
        """Share of the hypothesis that is right; ``None`` when the hypothesis found nothing."""
        return self.hits / self.num_hyp if self.num_hyp > 0 else None

    @property
    def recall(self) -> float | None:
        """Share of the reference found; ``None`` when the reference has nothing."""
        return self.hits / self.num_ref if self.num_ref > 0 else None

    @property
    def f1(self) -> float | None:
        """``2 hits / (num_ref + num_hyp)``; ``None`` when both are empty."""
        total = self.num_ref + self.num_hyp
        return 2 * self.hits / total if total > 0 else None

    def __add__(self, other: Detection) -> Detection:
        return Detection(
            self.hits + other.hits, self.num_ref + other.num_ref, self.num_hyp + other.num_hyp
        )

    def to_dict(self) -> dict[str, float | None]:
        return {
            "hits": self.hits,
            "num_ref": self.num_ref,
            "num_hyp": self.num_hyp,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True, slots=True)
class EvaluationResult:
    """How well a hypothesis timeline matches a reference (one file or pooled over several).

    Attributes
    ----------
    diarization
        DER components (collar 0, overlap scored), as pyannote.metrics computes them.
    jaccard
        JER components, as pyannote.metrics computes them.
    overlap
        Overlapped-speech detection in seconds (frames where two or more speakers speak).
    events
        Event detection per event type (events match on type, ``by``, ``of`` after the speaker
        mapping, and onset within the tolerance).
    mapping
        Hypothesis speaker -> reference speaker (the optimal DER mapping); empty when pooled.
    num_files
        How many files the result covers.
    """

    diarization: DiarizationCounts
    jaccard: JaccardCounts
    overlap: Detection
    events: Mapping[str, Detection]
    mapping: Mapping[str, str] = field(default_factory=dict)
    num_files: int = 1

    @property
    def event_macro_f1(self) -> float | None:
        """Mean F1 over the overlap event types that occur in the reference or the hypothesis."""
        scores = [self.events[t].f1 for t in SIMULTANEOUS_TYPES if t in self.events]
        defined = [s for s in scores if s is not None]
        return sum(defined) / len(defined) if defined else None

    @classmethod
    def pooled(cls, results: Iterable[EvaluationResult]) -> EvaluationResult:
        """Sum the components of several files' results (corpus-level scores)."""
        results = list(results)
        types = sorted({t for r in results for t in r.events})
        return cls(
            diarization=sum((r.diarization for r in results), DiarizationCounts()),
            jaccard=sum((r.jaccard for r in results), JaccardCounts()),
            overlap=sum((r.overlap for r in results), Detection()),
            events={
                t: sum((r.events.get(t, Detection()) for r in results), Detection()) for t in types
            },
            num_files=sum(r.num_files for r in results),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping of every count and rate."""
        d = self.diarization
        return {
            "num_files": self.num_files,
            "der": d.der,
            "miss_s": d.miss_s,
            "false_alarm_s": d.false_alarm_s,
            "confusion_s": d.confusion_s,
            "total_s": d.total_s,
            "jer": self.jaccard.jer,
            "overlap": self.overlap.to_dict(),
            "events": {t: det.to_dict() for t, det in self.events.items()},
            "event_macro_f1": self.event_macro_f1,
            "mapping": dict(self.mapping),
        }
