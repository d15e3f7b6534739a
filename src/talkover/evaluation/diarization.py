"""DER and JER with pyannote.metrics (collar 0, overlapped speech scored), and the speaker mapping.

The scored region is the whole recording: from 0 to the longer of the two timelines' ends.
:class:`AnnotatedPair` converts a reference and a hypothesis to pyannote once; its methods
score that one conversion, so :func:`talkover.evaluation.evaluate` converts each timeline once
for DER, JER and the mapping together.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from pyannote.core import Annotation, Timeline
from pyannote.core import Segment as PyannoteSegment
from pyannote.metrics.diarization import DiarizationErrorRate, JaccardErrorRate

from talkover.evaluation.result import DiarizationCounts, JaccardCounts
from talkover.timeline import SpeakerTimeline

__all__ = [
    "AnnotatedPair",
    "to_annotation",
    "scored_region",
    "diarization_counts",
    "jaccard_counts",
    "optimal_mapping",
]


def to_annotation(timeline: SpeakerTimeline) -> Annotation:
    """The timeline as a :class:`pyannote.core.Annotation` (one track per segment)."""
    annotation = Annotation(uri=timeline.uri)
    for i, seg in enumerate(timeline):
        annotation[PyannoteSegment(seg.start_s, seg.end_s), i] = seg.speaker
    return annotation


def scored_region(reference: SpeakerTimeline, hypothesis: SpeakerTimeline) -> Timeline:
    """``[0, max end)`` of both timelines, as a pyannote UEM."""
    end_s = max(reference.end_s, hypothesis.end_s)
    return Timeline([PyannoteSegment(0.0, end_s)] if end_s > 0 else [])


def _der_metric() -> DiarizationErrorRate:
    return DiarizationErrorRate(collar=0.0, skip_overlap=False)


@dataclass(frozen=True, slots=True)
class AnnotatedPair:
    """A reference and a hypothesis as pyannote annotations, with the region they are scored on.

    Attributes
    ----------
    reference, hypothesis
        The two timelines as annotations (:func:`to_annotation`).
    uem
        The scored region (:func:`scored_region`).

    Examples
    --------
    >>> ref = SpeakerTimeline.from_tuples([(0, 10, "A"), (10, 20, "B")])
    >>> pair = AnnotatedPair.of(ref, SpeakerTimeline.from_tuples([(0, 12, "x"), (12, 20, "y")]))
    >>> pair.optimal_mapping(), pair.diarization_counts().confusion_s
    ({'x': 'A', 'y': 'B'}, 2.0)
    """

    reference: Annotation
    hypothesis: Annotation
    uem: Timeline

    @classmethod
    def of(cls, reference: SpeakerTimeline, hypothesis: SpeakerTimeline) -> AnnotatedPair:
        """Convert both timelines and their scored region, once."""
        uem = scored_region(reference, hypothesis)
        return cls(to_annotation(reference), to_annotation(hypothesis), uem)

    def diarization_counts(self) -> DiarizationCounts:
        """Missed speech, false alarm, confusion and total reference speech, in seconds."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            d = _der_metric()(self.reference, self.hypothesis, uem=self.uem, detailed=True)
        return DiarizationCounts(
            miss_s=d["missed detection"],
            false_alarm_s=d["false alarm"],
            confusion_s=d["confusion"],
            total_s=d["total"],
        )

    def jaccard_counts(self) -> JaccardCounts:
        """Summed per-reference-speaker Jaccard errors and the number of reference speakers."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            d = JaccardErrorRate(collar=0.0, skip_overlap=False)(
                self.reference, self.hypothesis, uem=self.uem, detailed=True
            )
        return JaccardCounts(speaker_error=d["speaker error"], speaker_count=d["speaker count"])

    def optimal_mapping(self) -> dict[str, str]:
        """Hypothesis speaker -> reference speaker, the one-to-one mapping that minimises DER.

        Hypothesis speakers left unmapped (more hypothesis than reference speakers) are absent.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mapping = _der_metric().optimal_mapping(self.reference, self.hypothesis, uem=self.uem)
        return {str(h): str(r) for h, r in mapping.items()}


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
