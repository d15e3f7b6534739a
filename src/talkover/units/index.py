"""A timeline's units built once and indexed for the event stages (detection, words,
confidence), which all look units up by speaker and time."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from talkover.timeline import SpeakerTimeline
from talkover.units.ipus import IPU, build_ipus, ipus_by_speaker

__all__ = ["Units"]

_NEARBY_S = 2.0


@dataclass(frozen=True, slots=True, eq=False)
class Units:
    """The inter-pausal units of one timeline, with their lookups (each a binary search).

    Attributes
    ----------
    timeline
        The timeline they were built from (its segments carry any transcript).
    min_pause_s
        The pause that splits one speaker's speech.
    ipus
        Every unit, sorted by start (:func:`~talkover.units.build_ipus`).
    by_speaker
        Each speaker's units, sorted by start (one speaker's units never overlap).
    starts
        Every unit's start, sorted.
    """

    timeline: SpeakerTimeline
    min_pause_s: float
    ipus: tuple[IPU, ...]
    by_speaker: dict[str, list[IPU]]
    starts: list[float]

    @classmethod
    def build(cls, timeline: SpeakerTimeline, *, min_pause_s: float) -> Units:
        """The units of ``timeline``, indexed."""
        ipus = build_ipus(timeline, min_pause_s=min_pause_s)
        return cls(timeline, min_pause_s, ipus, ipus_by_speaker(ipus), [u.start_s for u in ipus])

    def starting_at(self, speaker: str, t: float) -> IPU | None:
        """``speaker``'s unit starting at ``t``."""
        own = self.by_speaker.get(speaker, [])
        i = bisect_left(own, t, key=_start)
        return own[i] if i < len(own) and own[i].start_s == t else None

    def spoken_over(self, speaker: str, t: float) -> IPU | None:
        """``speaker``'s unit going on at ``t`` (``start < t < end``)."""
        own = self.by_speaker.get(speaker, [])
        i = bisect_left(own, t, key=_start) - 1
        return own[i] if i >= 0 and t < own[i].end_s else None

    def last_started(self, speaker: str, t: float) -> IPU | None:
        """``speaker``'s unit that started last before ``t`` (going on, or the last one
        finished: one speaker's units do not overlap)."""
        own = self.by_speaker.get(speaker, [])
        i = bisect_left(own, t, key=_start)
        return own[i - 1] if i > 0 else None

    def starting_near(self, t: float) -> int:
        """How many units start within 2 s of ``t`` (``|start - t| <= 2``)."""

        def offset(start_s: float) -> float:
            # searched on start - t itself, not on start against t -/+ _NEARBY_S, so that the
            # float rounding is the comparison's own; start - t grows with start
            return start_s - t

        first = bisect_left(self.starts, -_NEARBY_S, key=offset)
        return bisect_right(self.starts, _NEARBY_S, lo=first, key=offset) - first


def _start(unit: IPU) -> float:
    return unit.start_s
