"""analyze_timeline(): the glue from a speaker timeline to a complete :class:`Analysis`.

(:func:`talkover.analyze` takes any source — a recording, an annotation file, tracks — to its
timeline first, then calls this.)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from typing import Literal

from talkover._version import __version__
from talkover.cast import Cast
from talkover.config import EventConfig
from talkover.detection import detect_turn_taking
from talkover.events import Event
from talkover.metrics import EventMatrix, SpeakerStats, build_matrix, compute_speaker_stats
from talkover.metrics.groups import GroupComparison, compare_groups
from talkover.metrics.sensitivity import Sensitivity, SensitivityGrid, measure_sensitivity
from talkover.metrics.speakers import label_speakers
from talkover.provenance import Provenance
from talkover.tables import Frames, analysis_frames
from talkover.timeline import SpeakerTimeline
from talkover.turns import Turn
from talkover.units import IPU, Units
from talkover.voices import VoiceMatch

__all__ = ["Analysis", "TimelineSource", "analyze_timeline"]

#: Deprecated (kept for one release): where a timeline comes from, in the words of
#: ``Analysis.source``; :class:`~talkover.provenance.Provenance` ``kind`` says it now.
TimelineSource = Literal["annotation", "diarization", "channels"]
_SOURCE_KIND = {"annotation": "annotation", "diarization": "audio", "channels": "multichannel"}


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything talkover found in one recording.

    ``input_path`` is the file analysed (``None`` for an in-memory timeline); ``duration_s`` the
    recording's length (the last speech's end when the length is unknown); ``media_path`` the
    audio or video the timeline belongs to, when known (reports play it). ``ipus`` are the
    inter-pausal units the events were found on. ``groups`` compares the cast's groups (one per
    attribute); ``sensitivity`` is set when a grid was asked for; ``voice_matches`` says which
    speakers voice enrollment named (and which it could not, and why); ``provenance`` what the
    timeline was made from (it decides whether events carry a ``confidence``).
    """

    input_path: str | None
    duration_s: float
    config: EventConfig
    timeline: SpeakerTimeline
    ipus: tuple[IPU, ...]
    turns: tuple[Turn, ...]
    events: tuple[Event, ...]
    speakers: tuple[SpeakerStats, ...]
    matrix: EventMatrix
    media_path: str | None = None
    talkover_version: str = __version__
    groups: tuple[GroupComparison, ...] = ()
    sensitivity: Sensitivity | None = None
    voice_matches: tuple[VoiceMatch, ...] = ()
    provenance: Provenance = field(default_factory=lambda: Provenance("timeline"))

    @property
    def uri(self) -> str:
        """The recording's name (unique within a corpus): the provenance's ``uri``."""
        return self.provenance.uri

    @property
    def source(self) -> TimelineSource:
        """Deprecated: ``"diarization"``, ``"channels"`` or ``"annotation"`` (use
        ``provenance.kind``)."""
        kind = self.provenance.kind
        return "diarization" if kind == "audio" else "channels" if kind == "multichannel" \
            else "annotation"

    def to_frames(self) -> Frames:
        """The analysis as named pandas DataFrames (:mod:`talkover.tables`): ``segments``,
        ``events``, ``speakers``, ``turns`` and ``matrix`` (long form), each with a ``uri``
        column so that frames of many recordings concatenate."""
        return analysis_frames(self)


def analyze_timeline(
    timeline: SpeakerTimeline,
    *,
    config: EventConfig | None = None,
    input_path: str | None = None,
    media_path: str | None = None,
    cast: Cast | None = None,
    sensitivity: SensitivityGrid | None = None,
    source: TimelineSource | None = None,
) -> Analysis:
    """Detect turns and events in ``timeline`` and compute every figure.

    The timeline's stamp (``timeline.provenance``, set by the reader, the diarizer or the
    multichannel pipeline that made it) travels into the analysis: on talkover's diarization
    each event gets the calibrated ``confidence`` of :mod:`talkover.events.confidence`; an
    annotation's events are exact under the definitions and per-channel voice activity is not
    assessed (``confidence`` None). ``cast`` names speakers and puts them in groups
    (:mod:`talkover.cast`); ``sensitivity`` recomputes the headline numbers over a grid of
    thresholds (:mod:`talkover.metrics.sensitivity`). ``source`` is deprecated: it overrides
    the stamp's kind, for timelines made without one.

    >>> tl = SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")])
    >>> [(e.type, e.by, e.of) for e in analyze_timeline(tl).events]
    [('interruption', 'B', 'A')]
    """
    config = config or EventConfig()
    provenance = _provenance(timeline, source)
    if timeline.duration_s is None:  # the analysis records the length it took
        timeline = replace(timeline, duration_s=timeline.end_s)
    units = Units.build(timeline, min_pause_s=config.min_pause_s)
    found = detect_turn_taking(units, config, assess=provenance.assessed)
    speakers = compute_speaker_stats(timeline, found.turns, found.events)
    if cast is not None:
        speakers = label_speakers(speakers, cast.resolve(timeline.speakers))
    spread = (
        measure_sensitivity(timeline, speakers, chosen=config, grid=sensitivity)
        if sensitivity is not None
        else None
    )
    return Analysis(
        input_path=input_path,
        duration_s=timeline.end_s,
        config=config,
        timeline=timeline,
        ipus=units.ipus,
        turns=found.turns,
        events=found.events,
        speakers=speakers,
        matrix=build_matrix(found.events, timeline.speakers),
        media_path=media_path,
        groups=compare_groups(speakers, found.turns, found.events),
        sensitivity=spread,
        voice_matches=cast.voice_matches if cast is not None else (),
        provenance=provenance,
    )


def _provenance(timeline: SpeakerTimeline, source: TimelineSource | None) -> Provenance:
    stamp = timeline.provenance or Provenance("timeline", uri=timeline.uri)
    if source is None:
        return stamp
    warnings.warn(
        "analyze_timeline(source=...) is deprecated: producers stamp the timeline "
        "(SpeakerTimeline.provenance)",
        DeprecationWarning,
        stacklevel=3,
    )
    return replace(stamp, kind=_SOURCE_KIND[source])
