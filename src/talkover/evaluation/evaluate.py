"""evaluate(): score a hypothesis speaker timeline against a reference."""

from __future__ import annotations

from talkover.analysis import analyze_timeline
from talkover.config import EventConfig
from talkover.errors import ConfigError
from talkover.evaluation.diarization import AnnotatedPair
from talkover.evaluation.events import event_detection
from talkover.evaluation.overlap import overlap_detection
from talkover.evaluation.result import EvaluationResult
from talkover.timeline import SpeakerTimeline

__all__ = ["MAX_ONSET_TOLERANCE_S", "check_onset_tolerance", "evaluate"]

MAX_ONSET_TOLERANCE_S = 3600.0


def check_onset_tolerance(value: float, *, name: str = "onset_tolerance_s") -> None:
    """Refuse an onset tolerance outside [0, :data:`MAX_ONSET_TOLERANCE_S`] (``nan`` too);
    ``name`` is how the caller's user gave it (e.g. a CLI flag).

    Raises
    ------
    ConfigError
        ``value`` is out of range.
    """
    if not 0.0 <= value <= MAX_ONSET_TOLERANCE_S:
        raise ConfigError(
            f"{name} must be between 0 and {MAX_ONSET_TOLERANCE_S:g} seconds, got {value}"
        )


def evaluate(
    reference: SpeakerTimeline,
    hypothesis: SpeakerTimeline,
    *,
    config: EventConfig | None = None,
    onset_tolerance_s: float = 1.0,
    frame_s: float = 0.01,
) -> EvaluationResult:
    """Score ``hypothesis`` against ``reference``: DER, JER, overlap and event detection.

    Parameters
    ----------
    reference, hypothesis
        Speaker timelines of the same recording; speaker names need not agree.
    config
        Event thresholds used to detect events in both timelines (defaults if ``None``).
    onset_tolerance_s
        Largest onset difference, in seconds, at which two events of the same type and the
        same (mapped) speakers match.
    frame_s
        Frame step, in seconds, of the overlapped-speech scoring.

    Raises
    ------
    ConfigError
        ``onset_tolerance_s`` is not between 0 and 3600 s.

    Examples
    --------
    >>> ref = SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")])
    >>> hyp = SpeakerTimeline.from_tuples([(0, 5, "spk1"), (4, 8, "spk0")])
    >>> result = evaluate(ref, hyp)
    >>> result.diarization.der, result.events["interruption"].f1, result.mapping["spk0"]
    (0.0, 1.0, 'B')
    """
    check_onset_tolerance(onset_tolerance_s)
    config = config or EventConfig()
    annotated = AnnotatedPair.of(reference, hypothesis)
    mapping = annotated.optimal_mapping()
    ref_events = analyze_timeline(reference, config=config).events
    hyp_events = analyze_timeline(hypothesis, config=config).events
    return EvaluationResult(
        diarization=annotated.diarization_counts(mapping),
        jaccard=annotated.jaccard_counts(mapping),
        overlap=overlap_detection(reference, hypothesis, frame_s=frame_s),
        events=event_detection(
            ref_events, hyp_events, mapping=mapping, onset_tolerance_s=onset_tolerance_s
        ),
        mapping=mapping,
    )
