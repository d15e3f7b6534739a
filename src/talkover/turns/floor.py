"""Turns: who holds the floor, and from when to when.

The floor passes to ``by`` on a switch, an overlap and an interruption; backchannels and failed
interruptions leave it where it is. A turn of speaker S starts at the onset that gave S the floor
(or at the first speech of the recording) and ends at the end of S's last inter-pausal unit
before the floor passes on.

```
A  |=====|  |=====|             |====|
B             |=|    |=======|             B's first IPU is a backchannel: A keeps the floor
turns  |--- A -----| |-- B --|  |- A |     two switches pass it on
```
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from talkover.events.types import FLOOR_TAKING_TYPES, Event
from talkover.units.ipus import IPU, ipus_by_speaker

__all__ = ["Turn", "build_turns"]


@dataclass(frozen=True, slots=True)
class Turn:
    """Speaker ``speaker`` holds the floor from ``start_s`` to ``end_s`` (seconds)."""

    speaker: str
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def build_turns(ipus: Sequence[IPU], events: Sequence[Event]) -> tuple[Turn, ...]:
    """Turns from the IPUs and the events detected on them, in time order."""
    if not ipus:
        return ()
    # Moments the floor passes: the recording's first onset, then each floor-taking event.
    passes = [(ipus[0].start_s, ipus[0].speaker)]
    for event in events:
        if event.type in FLOOR_TAKING_TYPES and event.by != passes[-1][1]:
            passes.append((event.start_s, event.by))
    by_speaker = ipus_by_speaker(ipus)
    onsets = {speaker: [u.start_s for u in units] for speaker, units in by_speaker.items()}
    turns: list[Turn] = []
    for i, (start_s, speaker) in enumerate(passes):
        until = passes[i + 1][0] if i + 1 < len(passes) else float("inf")
        lo = bisect_left(onsets[speaker], start_s)
        hi = bisect_left(onsets[speaker], until)
        end_s = max((u.end_s for u in by_speaker[speaker][lo:hi]), default=start_s)
        turns.append(Turn(speaker, start_s, end_s))
    return tuple(turns)
