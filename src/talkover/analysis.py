"""analyze_timeline(): the glue from a speaker timeline to a complete :class:`Analysis`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from talkover._version import __version__
from talkover.cast import Cast, label_speakers
from talkover.config import EventConfig
from talkover.events import Event, detect_events
from talkover.events.confidence import assess_events
from talkover.events.words import refine_events
from talkover.metrics import EventMatrix, SpeakerStats, build_matrix, compute_speaker_stats
from talkover.metrics.groups import GroupComparison, compare_groups
from talkover.metrics.sensitivity import Sensitivity, SensitivityGrid, measure_sensitivity
from talkover.timeline import SpeakerTimeline
from talkover.turns import Turn, build_turns
from talkover.units import IPU, build_ipus
from talkover.voices import VoiceMatch

__all__ = ["Analysis", "TimelineSource", "analyze_timeline"]

#: Where a timeline comes from: an annotation (taken as true: the events follow exactly from the
#: definitions, ``confidence`` None), talkover's diarizer (``confidence`` from
#: :mod:`talkover.events.confidence`), or per-channel voice activity (not assessed: None).
TimelineSource = Literal["annotation", "diarization", "channels"]


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything talkover found in one recording.

    ``input_path`` is the file analysed (``None`` for an in-memory timeline); ``duration_s`` the
    recording's length (the last speech's end when the length is unknown); ``media_path`` the
    audio or video the timeline belongs to, when known (reports play it). ``groups`` compares
    the cast's groups (one per attribute); ``sensitivity`` is set when a grid was asked for;
    ``voice_matches`` says which speakers voice enrollment named (and which it could not);
    ``source`` where the timeline came from (it decides the events' ``confidence``).
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
    source: TimelineSource = "annotation"


def analyze_timeline(
    timeline: SpeakerTimeline,
    *,
    config: EventConfig | None = None,
    input_path: str | None = None,
    media_path: str | None = None,
    cast: Cast | None = None,
    sensitivity: SensitivityGrid | None = None,
    source: TimelineSource = "annotation",
) -> Analysis:
    """Detect turns and events in ``timeline`` and compute every figure.

    ``source`` says where the timeline comes from: for talkover's diarizer (``"diarization"``)
    each event gets the calibrated ``confidence`` of :mod:`talkover.events.confidence`; an
    annotation's events are exact under the definitions and per-channel voice activity is not
    assessed (``confidence`` None). ``cast`` names speakers and puts them in groups
    (:mod:`talkover.cast`); ``sensitivity`` recomputes the headline numbers over a grid of
    thresholds (:mod:`talkover.metrics.sensitivity`).

    >>> tl = SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")])
    >>> [(e.type, e.by, e.of) for e in analyze_timeline(tl).events]
    [('interruption', 'B', 'A')]
    """
    config = config or EventConfig()
    ipus = build_ipus(timeline, min_pause_s=config.min_pause_s)
    events = refine_events(detect_events(ipus, config), ipus, timeline,  # text: words.py
                           max_gap_s=config.silent_gap_s)
    if source == "diarization":
        events = assess_events(events, ipus, timeline, config)
    turns = build_turns(ipus, events)
    speakers = compute_speaker_stats(timeline, turns, events)
    matrix = build_matrix(events, timeline.speakers)
    if cast is not None:
        speakers = label_speakers(speakers, cast.resolve(timeline.speakers))
    groups = compare_groups(speakers, turns, events)
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
        ipus=ipus,
        turns=turns,
        events=events,
        speakers=speakers,
        matrix=matrix,
        media_path=media_path,
        groups=groups,
        sensitivity=spread,
        voice_matches=cast.voice_matches if cast is not None else (),
        source=source,
    )

