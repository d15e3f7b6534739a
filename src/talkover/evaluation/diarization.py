"""DER and JER as pyannote.metrics computes them (collar 0, overlapped speech scored), and the
speaker mapping, in one sweep over the segment boundaries: time and memory grow with the number
of segments, not with their product nor with the recording's length.

pyannote.metrics gives the same numbers (tests/evaluation check it) but its cost grows with the
square of the segments (10,000 segments: 100 s for DER alone). The definitions it follows:

- Between two consecutive boundaries of either timeline, ``r`` reference and ``h`` hypothesis
  segments are active (a speaker's overlapping segments count each). Over that stretch of
  ``d`` seconds: total ``d r``, missed ``d max(0, r - h)``, false alarm ``d max(0, h - r)``,
  confusion ``d (min(r, h) - correct)`` where ``correct`` counts the reference segments whose
  speaker the hypothesis has too, under the mapping.
- The mapping (hypothesis speaker -> reference speaker, one to one) maximises the summed
  co-occurrence: the time each pair of segments of the two speakers overlaps (Hungarian
  assignment, pairs that never co-occur left unmapped).
- JER: per reference speaker, ``1 - |R & H| / |R | H|`` with the speech ``H`` of the speaker
  mapped to it (sets of time, a speaker's overlapping segments counted once), 1 when unmapped;
  summed, with the number of reference speakers.

The scored region is the whole recording: from 0 to the longer of the two timelines' ends.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from talkover.evaluation.result import DiarizationCounts, JaccardCounts
from talkover.timeline import SpeakerTimeline

__all__ = [
    "AnnotatedPair",
    "diarization_counts",
    "jaccard_counts",
    "optimal_mapping",
    "assign_max_weight",
]


@dataclass(frozen=True, slots=True)
class AnnotatedPair:
    """What one sweep over a reference and a hypothesis gives; every score is read from it.

    Attributes
    ----------
    reference_speakers, hypothesis_speakers
        The speakers of each (sorted).
    totals
        Seconds of ``(total, missed, false alarm, sum of min(r, h))`` over the scored region.
    cooccurrence
        ``{(hyp, ref): seconds}`` that segments of the two overlap (pairs of segments).
    correct
        ``{(hyp, ref): seconds * min(r of ref, h of hyp)}``: the correct time if mapped.
    intersection
        ``{(hyp, ref): seconds both speak}`` (as sets of time).
    speech
        ``{("ref" or "hyp", speaker): seconds of speech}`` (as sets of time).

    Examples
    --------
    >>> ref = SpeakerTimeline.from_tuples([(0, 10, "A"), (10, 20, "B")])
    >>> pair = AnnotatedPair.of(ref, SpeakerTimeline.from_tuples([(0, 12, "x"), (12, 20, "y")]))
    >>> pair.optimal_mapping(), pair.diarization_counts().confusion_s
    ({'x': 'A', 'y': 'B'}, 2.0)
    """

    reference_speakers: tuple[str, ...]
    hypothesis_speakers: tuple[str, ...]
    totals: tuple[float, float, float, float]
    cooccurrence: dict[tuple[str, str], float]
    correct: dict[tuple[str, str], float]
    intersection: dict[tuple[str, str], float]
    speech: dict[tuple[str, str], float]

    @classmethod
    def of(cls, reference: SpeakerTimeline, hypothesis: SpeakerTimeline) -> AnnotatedPair:
        """Sweep both timelines' boundaries once (``O(n log n)`` for ``n`` segments)."""
        boundaries = sorted(
            [(s.start_s, 1, side, s.speaker) for side, tl in (("ref", reference),
                                                              ("hyp", hypothesis)) for s in tl]
            + [(s.end_s, -1, side, s.speaker) for side, tl in (("ref", reference),
                                                               ("hyp", hypothesis)) for s in tl],
            key=lambda b: b[0],
        )
        active: dict[str, dict[str, int]] = {"ref": defaultdict(int), "hyp": defaultdict(int)}
        count = {"ref": 0, "hyp": 0}
        totals = [0.0, 0.0, 0.0, 0.0]
        cooccurrence: dict[tuple[str, str], float] = defaultdict(float)
        correct: dict[tuple[str, str], float] = defaultdict(float)
        intersection: dict[tuple[str, str], float] = defaultdict(float)
        speech: dict[tuple[str, str], float] = defaultdict(float)
        previous = 0.0
        for time_s, step, side, speaker in boundaries:
            duration = time_s - previous
            if duration > 0 and (count["ref"] or count["hyp"]):
                _add_stretch(duration, active, count, totals, cooccurrence, correct,
                             intersection, speech)
            previous = time_s
            active[side][speaker] += step
            count[side] += step
            if not active[side][speaker]:
                del active[side][speaker]
        return cls(tuple(sorted(reference.speakers)), tuple(sorted(hypothesis.speakers)),
                   (totals[0], totals[1], totals[2], totals[3]), dict(cooccurrence),
                   dict(correct), dict(intersection), dict(speech))

    def optimal_mapping(self) -> dict[str, str]:
        """Hypothesis speaker -> reference speaker, the one-to-one mapping that minimises DER
        (maximises co-occurrence). Speakers that co-occur with none are absent."""
        return assign_max_weight(self.cooccurrence)

    def diarization_counts(self, mapping: dict[str, str] | None = None) -> DiarizationCounts:
        """Missed speech, false alarm, confusion and total reference speech, in seconds."""
        mapping = self.optimal_mapping() if mapping is None else mapping
        total, missed, false_alarm, paired = self.totals
        correct = sum(self.correct.get((h, r), 0.0) for h, r in mapping.items())
        confusion = paired - correct  # both sums of the same stretches, in another order:
        if confusion < 1e-9 * max(1.0, paired):  # what differs is rounding, not confusion
            confusion = 0.0
        return DiarizationCounts(
            miss_s=missed, false_alarm_s=false_alarm, confusion_s=confusion, total_s=total,
        )

    def jaccard_counts(self, mapping: dict[str, str] | None = None) -> JaccardCounts:
        """Summed per-reference-speaker Jaccard errors and the number of reference speakers."""
        mapping = self.optimal_mapping() if mapping is None else mapping
        mapped = {r: h for h, r in mapping.items()}
        error = 0.0
        for r in self.reference_speakers:
            h = mapped.get(r)
            if h is None:
                error += 1.0
                continue
            both = self.intersection.get((h, r), 0.0)
            union = self.speech[("ref", r)] + self.speech[("hyp", h)] - both
            error += (union - both) / union
        return JaccardCounts(speaker_error=error, speaker_count=float(len(self.reference_speakers)))


def _add_stretch(
    duration: float,
    active: dict[str, dict[str, int]],
    count: dict[str, int],
    totals: list[float],
    cooccurrence: dict[tuple[str, str], float],
    correct: dict[tuple[str, str], float],
    intersection: dict[tuple[str, str], float],
    speech: dict[tuple[str, str], float],
) -> None:
    """Account one stretch between boundaries where the ``active`` speakers speak."""
    r, h = count["ref"], count["hyp"]
    totals[0] += duration * r
    totals[1] += duration * max(0, r - h)
    totals[2] += duration * max(0, h - r)
    totals[3] += duration * min(r, h)
    for side in ("ref", "hyp"):
        for speaker in active[side]:
            speech[(side, speaker)] += duration
    for ref_speaker, ref_n in active["ref"].items():
        for hyp_speaker, hyp_n in active["hyp"].items():
            key = (hyp_speaker, ref_speaker)
            cooccurrence[key] += duration * ref_n * hyp_n
            correct[key] += duration * min(ref_n, hyp_n)
            intersection[key] += duration


def assign_max_weight(weights: dict[tuple[str, str], float]) -> dict[str, str]:
    """A one-to-one assignment ``{a: b}`` maximising the summed positive ``weights[(a, b)]``.

    Solved per connected component of the pairs with weight (an assignment never gains from
    pairs across components), each with the Hungarian algorithm
    (:func:`scipy.optimize.linear_sum_assignment`): many speakers cost only what their
    co-occurrences do. Pairs of weight 0 are never assigned.

    >>> assign_max_weight({("x", "A"): 3.0, ("x", "B"): 2.0, ("y", "A"): 2.5})
    {'x': 'B', 'y': 'A'}
    """
    from scipy.optimize import linear_sum_assignment

    positive = {pair: w for pair, w in weights.items() if w > 0}
    mapping: dict[str, str] = {}
    for rows, cols in _components(positive):
        matrix = np.zeros((len(rows), len(cols)))
        for i, a in enumerate(rows):
            for j, b in enumerate(cols):
                matrix[i, j] = positive.get((a, b), 0.0)
        for i, j in zip(*linear_sum_assignment(-matrix), strict=True):
            if matrix[i, j] > 0:
                mapping[rows[i]] = cols[j]
    return dict(sorted(mapping.items()))


def _components(pairs: dict[tuple[str, str], float]) -> list[tuple[list[str], list[str]]]:
    """The connected components of a bipartite graph given by its edges, each as its sorted
    left and right nodes (union-find)."""
    parent: dict[tuple[int, str], tuple[int, str]] = {}

    def find(node: tuple[int, str]) -> tuple[int, str]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in pairs:
        parent[find((0, a))] = find((1, b))
    groups: dict[tuple[int, str], tuple[list[str], list[str]]] = {}
    for node in list(parent):
        side, name = node
        groups.setdefault(find(node), ([], []))[side].append(name)
    return [(sorted(left), sorted(right)) for left, right in groups.values()]


def diarization_counts(
    reference: SpeakerTimeline, hypothesis: SpeakerTimeline
) -> DiarizationCounts:
    """:meth:`AnnotatedPair.diarization_counts` of two timelines."""
    return AnnotatedPair.of(reference, hypothesis).diarization_counts()


def jaccard_counts(reference: SpeakerTimeline, hypothesis: SpeakerTimeline) -> JaccardCounts:
    """:meth:`AnnotatedPair.jaccard_counts` of two timelines."""
    return AnnotatedPair.of(reference, hypothesis).jaccard_counts()


def optimal_mapping(reference: SpeakerTimeline, hypothesis: SpeakerTimeline) -> dict[str, str]:
    """:meth:`AnnotatedPair.optimal_mapping` of two timelines."""
    return AnnotatedPair.of(reference, hypothesis).optimal_mapping()
