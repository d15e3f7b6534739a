"""Inter-pausal units (IPUs): one speaker's speech with no pause of ``min_pause_s`` or more.

```
segments   A |====|  |=====|        |===|
pause           0.2 s         0.8 s
IPUs       A |=============|        |===|     (min_pause_s = 0.3)
```
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from talkover.timeline import SpeakerTimeline, merge_spans

__all__ = ["IPU", "build_ipus", "ipus_by_speaker"]


@dataclass(frozen=True, order=True, slots=True)
class IPU:
    """An inter-pausal unit of ``speaker`` from ``start_s`` to ``end_s`` (seconds)."""

    start_s: float
    end_s: float
    speaker: str

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def build_ipus(timeline: SpeakerTimeline, *, min_pause_s: float) -> tuple[IPU, ...]:
    """All speakers' IPUs, sorted by start time (ties by speaker order of first speech).

    >>> tl = SpeakerTimeline.from_tuples([(0, 1, "A"), (1.2, 2, "A"), (3, 4, "A")])
    >>> [(u.start_s, u.end_s) for u in build_ipus(tl, min_pause_s=0.3)]
    [(0.0, 2.0), (3.0, 4.0)]
    """
    rank = {speaker: i for i, speaker in enumerate(timeline.speakers)}
    ipus = [
        IPU(span.start_s, span.end_s, speaker)
        for speaker in timeline.speakers
        for span in merge_spans(timeline.spans_of(speaker), min_pause_s=min_pause_s)
    ]
    return tuple(sorted(ipus, key=lambda u: (u.start_s, rank[u.speaker], u.end_s)))


def ipus_by_speaker(ipus: Sequence[IPU]) -> dict[str, list[IPU]]:
    """Each speaker's units, in the order of ``ipus`` (by start for :func:`build_ipus`)."""
    units: dict[str, list[IPU]] = {}
    for unit in ipus:
        units.setdefault(unit.speaker, []).append(unit)
    return units
