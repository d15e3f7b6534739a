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

One knob, ``min_speech_s`` (default :data:`MIN_SPEECH_S`, 0.2 s): a speaker's speech island
(the union of their segments, touching segments joined) shorter than this is dropped. Measured
with ``benchmarks/events.py`` (see ``docs/benchmarks-events.md``); longer islands are left alone
(the shortest planted backchannel is 0.25 s of speech). Pauses inside one speaker's speech need
no bridging here: inter-pausal units already join pauses shorter than ``min_pause_s``.
"""

from __future__ import annotations

from talkover.errors import ConfigError
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["MIN_SPEECH_S", "clean_timeline"]

#: Shortest speech island (seconds) kept in a diarized timeline.
MIN_SPEECH_S = 0.2


def clean_timeline(timeline: SpeakerTimeline, *, min_speech_s: float = MIN_SPEECH_S
                   ) -> SpeakerTimeline:
    """``timeline`` without speech islands shorter than ``min_speech_s`` seconds.

    An island is a stretch of one speaker's speech with no gap (segments that touch or overlap
    count as one). Segments of kept islands are returned unchanged, with their transcript.

    Parameters
    ----------
    timeline
        A diarizer's output.
    min_speech_s
        Shortest island kept, seconds; 0 keeps everything.

    Raises
    ------
    ConfigError
        When ``min_speech_s`` is negative.

    Examples
    --------
    >>> tl = SpeakerTimeline.from_tuples([(0, 5, "A"), (2, 2.1, "B"), (3, 3.6, "B")])
    >>> [(s.start_s, s.end_s, s.speaker) for s in clean_timeline(tl)]
    [(0.0, 5.0, 'A'), (3.0, 3.6, 'B')]
    """
    if min_speech_s < 0:
        raise ConfigError(f"min_speech_s must be >= 0 seconds, got {min_speech_s}")
    by_speaker: dict[str, list[Segment]] = {}
    for seg in timeline:  # sorted by start
        by_speaker.setdefault(seg.speaker, []).append(seg)
    kept: list[Segment] = []
    for segments in by_speaker.values():
        island: list[Segment] = []
        end_s = 0.0
        for seg in segments:
            if island and seg.start_s > end_s:
                kept += _if_long(island, end_s, min_speech_s)
                island = []
            end_s = max(end_s, seg.end_s) if island else seg.end_s
            island.append(seg)
        kept += _if_long(island, end_s, min_speech_s)
    return SpeakerTimeline(tuple(kept), duration_s=timeline.duration_s, uri=timeline.uri)


def _if_long(island: list[Segment], end_s: float, min_speech_s: float) -> list[Segment]:
    if not island:
        return []
    return island if end_s - island[0].start_s >= min_speech_s else []
