"""Clean a diarizer's timeline of jitter before the event definitions are applied to it.

A diarizer's speaker timeline carries noise a human annotation does not: islands of speech a
fraction of a second long (a frame or two of a wrong speaker label, a breath, a click). The event
definitions take every island at face value, so one 0.15 s blip of B inside A's speech becomes a
backchannel. :func:`clean_timeline` removes what is shorter than any speech the definitions are
meant to judge, **on diarizer output only**: an annotation is a given truth and is never cleaned
(``talkover analyze file.rttm`` applies the definitions to it exactly).

```
A  |===============================|        A  |===============================|
B            |=|    |======|          ->   B                   |======|
             0.12 s island dropped                   0.6 s kept (a backchannel)
```

One knob, ``min_island_s`` (default :data:`MIN_ISLAND_S`, 0.2 s): a speaker's speech island
(the union of their segments, touching segments joined) shorter than this is dropped. Measured
with ``benchmarks/events.py`` (see ``docs/benchmarks-events.md``); longer islands are left alone
(the shortest planted backchannel is 0.25 s of speech). Pauses inside one speaker's speech need
no bridging here: inter-pausal units already join pauses shorter than ``min_pause_s``.
"""

from __future__ import annotations

import warnings

from talkover.errors import ConfigError
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["MIN_ISLAND_S", "MIN_SPEECH_S", "clean_timeline", "number_speakers"]

#: Shortest speech island (seconds) kept in a diarized timeline.
MIN_ISLAND_S = 0.2
#: Deprecated name of :data:`MIN_ISLAND_S` (kept for one release).
MIN_SPEECH_S = MIN_ISLAND_S


def clean_timeline(
    timeline: SpeakerTimeline,
    *,
    min_island_s: float = MIN_ISLAND_S,
    min_speech_s: float | None = None,
) -> SpeakerTimeline:
    """``timeline`` without speech islands shorter than ``min_island_s`` seconds.

    An island is a stretch of one speaker's speech with no gap (segments that touch or overlap
    count as one). Segments of kept islands are returned unchanged, with their transcript.

    Parameters
    ----------
    timeline
        A diarizer's output.
    min_island_s
        Shortest island kept, seconds; 0 keeps everything.
    min_speech_s
        Deprecated name of ``min_island_s`` (kept for one release).

    Raises
    ------
    ConfigError
        When ``min_island_s`` is negative.

    Examples
    --------
    >>> tl = SpeakerTimeline.from_tuples([(0, 5, "A"), (2, 2.1, "B"), (3, 3.6, "B")])
    >>> [(s.start_s, s.end_s, s.speaker) for s in clean_timeline(tl)]
    [(0.0, 5.0, 'A'), (3.0, 3.6, 'B')]
    """
    if min_speech_s is not None:
        warnings.warn(
            "clean_timeline(min_speech_s=...) is deprecated; use min_island_s",
            DeprecationWarning, stacklevel=2,
        )
        min_island_s = min_speech_s
    if min_island_s < 0:
        raise ConfigError(f"min_island_s must be >= 0 seconds, got {min_island_s}")
    by_speaker: dict[str, list[Segment]] = {}
    for seg in timeline:  # sorted by start
        by_speaker.setdefault(seg.speaker, []).append(seg)
    kept: list[Segment] = []
    for segments in by_speaker.values():
        island: list[Segment] = []
        end_s = 0.0
        for seg in segments:
            if island and seg.start_s > end_s:
                kept += _if_long(island, end_s, min_island_s)
                island = []
            end_s = max(end_s, seg.end_s) if island else seg.end_s
            island.append(seg)
        kept += _if_long(island, end_s, min_island_s)
    return timeline.with_segments(kept)


def _if_long(island: list[Segment], end_s: float, min_island_s: float) -> list[Segment]:
    if not island:
        return []
    return island if end_s - island[0].start_s >= min_island_s else []


def number_speakers(timeline: SpeakerTimeline, *, prefix: str = "SPEAKER_") -> SpeakerTimeline:
    """``timeline`` with its speakers renamed ``SPEAKER_00``, ``SPEAKER_01``... in order of
    first speech (after clean-up has dropped islands, the diarizer's own numbering can skip).

    >>> tl = SpeakerTimeline.from_tuples([(0, 1, "SPEAKER_02"), (2, 3, "SPEAKER_00")])
    >>> number_speakers(tl).speakers
    ('SPEAKER_00', 'SPEAKER_01')
    """
    width = max(2, len(str(len(timeline.speakers) - 1)))
    mapping = {s: f"{prefix}{i:0{width}d}" for i, s in enumerate(timeline.speakers)}
    return timeline.renamed(mapping)
