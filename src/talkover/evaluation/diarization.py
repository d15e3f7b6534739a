"""DER and JER with pyannote.metrics (collar 0, overlapped speech scored), and the speaker mapping.

The scored region is the whole recording: from 0 to the longer of the two timelines' ends.
"""

from __future__ import annotations

import warnings

from pyannote.core import Annotation, Timeline
from pyannote.core import Segment as PyannoteSegment
from pyannote.metrics.diarization import DiarizationErrorRate, JaccardErrorRate

from talkover.evaluation.result import DiarizationCounts, JaccardCounts
from talkover.timeline import SpeakerTimeline

__all__ = [
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


def diarization_counts(
    reference: SpeakerTimeline, hypothesis: SpeakerTimeline
) -> DiarizationCounts:
    """Missed speech, false alarm, confusion and total reference speech, in seconds."""
    uem = scored_region(reference, hypothesis)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = _der_metric()(
            to_annotation(reference), to_annotation(hypothesis), uem=uem, detailed=True
        )
    return DiarizationCounts(
        miss_s=d["missed detection"],
        false_alarm_s=d["false alarm"],
        confusion_s=d["confusion"],
        total_s=d["total"],
    )


def jaccard_counts(reference: SpeakerTimeline, hypothesis: SpeakerTimeline) -> JaccardCounts:
    """Summed per-reference-speaker Jaccard errors and the number of reference speakers."""
    uem = scored_region(reference, hypothesis)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = JaccardErrorRate(collar=0.0, skip_overlap=False)(
            to_annotation(reference), to_annotation(hypothesis), uem=uem, detailed=True
        )
    return JaccardCounts(speaker_error=d["speaker error"], speaker_count=d["speaker count"])


def optimal_mapping(reference: SpeakerTimeline, hypothesis: SpeakerTimeline) -> dict[str, str]:
    """Hypothesis speaker -> reference speaker, the one-to-one mapping that minimises DER.

    Hypothesis speakers left unmapped (more hypothesis than reference speakers) are absent.
    """
    uem = scored_region(reference, hypothesis)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mapping = _der_metric().optimal_mapping(
            to_annotation(reference), to_annotation(hypothesis), uem=uem
        )
    return {str(h): str(r) for h, r in mapping.items()}
