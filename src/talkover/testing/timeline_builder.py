"""A small builder that plants turn-taking events in a speaker timeline and remembers them.

The builder keeps the floor holder and the end of their speech. Each method adds speech that
makes exactly one event under the given :class:`EventConfig`, and refuses (``ValueError``) a
plant whose outcome the definitions would not make unambiguous, such as an onset within
``min_pause_s`` of the same speaker's previous speech. Times are kept to the millisecond, as a
timeline keeps them, and a plant is judged on its times so rounded.

>>> b = TimelineBuilder()
>>> b.speak("A", 4.0).backchannel("B", at_s=1.0, duration_s=0.5).interruption("B", overlap_s=1.0)
TimelineBuilder(...)
>>> [(p.type, p.by, p.of) for p in b.planted]
[('backchannel', 'B', 'A'), ('interruption', 'B', 'A')]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from talkover.config import EventConfig
from talkover.events.types import EventType
from talkover.timeline import Segment, SpeakerTimeline, to_ms

__all__ = ["PlantedEvent", "TimelineBuilder"]


@dataclass(frozen=True, slots=True)
class PlantedEvent:
    """An event the builder planted: what the engine must find."""

    type: EventType
    start_s: float
    by: str
    of: str


@dataclass
class TimelineBuilder:
    """Plant events one after another; read :meth:`timeline` and :attr:`planted`."""

    config: EventConfig = field(default_factory=EventConfig)
    segments: list[Segment] = field(default_factory=list)
    planted: list[PlantedEvent] = field(default_factory=list)
    holder: str | None = None

    def __repr__(self) -> str:
        return "TimelineBuilder(...)"

    @property
    def floor_end_s(self) -> float:
        """End of the floor holder's last speech (0 before anyone spoke)."""
        return max((s.end_s for s in self.segments if s.speaker == self.holder), default=0.0)

    def timeline(self, *, tail_s: float = 1.0) -> SpeakerTimeline:
        """The timeline so far, with ``tail_s`` of silence after the last speech."""
        end = max((s.end_s for s in self.segments), default=0.0)
        return SpeakerTimeline(tuple(self.segments), duration_s=end + tail_s, uri="built")

    def speak(self, speaker: str, duration_s: float, *, gap_s: float = 0.6) -> TimelineBuilder:
        """``speaker`` speaks ``gap_s`` after the floor holder stopped.

        A switch when ``speaker`` is not the holder; a new IPU of the same turn otherwise
        (``gap_s`` must then be at least ``min_pause_s``)."""
        start = to_ms(self.floor_end_s + gap_s if self.segments else gap_s)
        self._check_free_onset(speaker, start)
        if self.holder is not None and speaker != self.holder:
            self.planted.append(PlantedEvent("switch", start, speaker, self.holder))
        self._add(speaker, start, start + duration_s)
        self.holder = speaker
        return self

    def backchannel(self, by: str, *, at_s: float, duration_s: float = 0.5) -> TimelineBuilder:
        """``by`` says something short ``at_s`` into the holder's last unit, inside it."""
        if duration_s > self.config.backchannel_max_s:
            raise ValueError(f"a backchannel lasts at most {self.config.backchannel_max_s} s")
        return self._inside("backchannel", by, at_s, duration_s)

    def failed_interruption(
        self, by: str, *, at_s: float, duration_s: float = 1.5
    ) -> TimelineBuilder:
        """``by`` speaks longer than a backchannel inside the holder's last unit."""
        if duration_s <= self.config.backchannel_max_s:
            raise ValueError(f"a failed interruption lasts over {self.config.backchannel_max_s} s")
        return self._inside("failed_interruption", by, at_s, duration_s)

    def interruption(
        self, by: str, *, overlap_s: float = 1.0, duration_s: float = 3.0
    ) -> TimelineBuilder:
        """``by`` starts ``overlap_s`` (> grace) before the holder stops and talks on."""
        if overlap_s <= self.config.grace_s:
            raise ValueError(f"an interruption overlaps more than grace ({self.config.grace_s} s)")
        return self._take_over("interruption", by, overlap_s, duration_s)

    def overlap(
        self, by: str, *, overlap_s: float = 0.3, duration_s: float = 3.0
    ) -> TimelineBuilder:
        """``by`` starts ``overlap_s`` (<= grace) before the holder stops and talks on."""
        if overlap_s > self.config.grace_s:
            raise ValueError(f"an overlap lasts at most grace ({self.config.grace_s} s)")
        return self._take_over("overlap", by, overlap_s, duration_s)

    def _holder_unit(self) -> Segment:
        if self.holder is None:
            raise ValueError("nobody holds the floor yet: call speak() first")
        return max((s for s in self.segments if s.speaker == self.holder), key=lambda s: s.end_s)

    def _inside(self, kind: EventType, by: str, at_s: float, duration_s: float) -> TimelineBuilder:
        unit = self._holder_unit()
        start, end = to_ms(unit.start_s + at_s), to_ms(unit.start_s + at_s + duration_s)
        if not unit.start_s < start or end >= unit.end_s:
            raise ValueError(f"{kind} must start and end inside the holder's unit {unit}")
        short = to_ms(end - start) <= self.config.backchannel_max_s
        if short != (kind == "backchannel"):
            raise ValueError(f"{kind}: {end - start:.3f} s is on the wrong side of backchannel_max")
        self._check_free_onset(by, start)
        self.planted.append(PlantedEvent(kind, start, by, unit.speaker))
        self._add(by, start, end)
        return self

    def _take_over(
        self, kind: EventType, by: str, overlap_s: float, duration_s: float
    ) -> TimelineBuilder:
        unit = self._holder_unit()
        start = to_ms(unit.end_s - overlap_s)
        if start <= unit.start_s or duration_s <= overlap_s:
            raise ValueError(f"{kind}: overlap {overlap_s} s does not fit {unit} / {duration_s} s")
        within_grace = to_ms(unit.end_s - start) <= self.config.grace_s
        if within_grace != (kind == "overlap"):
            raise ValueError(f"{kind}: overlap {overlap_s} s is on the wrong side of grace")
        self._check_free_onset(by, start)
        self.planted.append(PlantedEvent(kind, start, by, unit.speaker))
        self._add(by, start, start + duration_s)
        self.holder = by
        return self

    def _check_free_onset(self, speaker: str, start: float) -> None:
        """The onset must open a new IPU and overlap no other plant's speech but the holder's."""
        own_end = max((s.end_s for s in self.segments if s.speaker == speaker), default=None)
        if own_end is not None and start - own_end < self.config.min_pause_s:
            raise ValueError(f"{speaker} at {start:.2f} s would continue their previous unit")
        others = [
            s for s in self.segments
            if s.speaker not in (speaker, self.holder) and s.start_s < start < s.end_s
        ]
        if others:
            raise ValueError(f"{speaker} at {start:.2f} s overlaps a third speaker {others[0]}")

    def _add(self, speaker: str, start_s: float, end_s: float) -> None:
        self.segments.append(Segment(to_ms(start_s), to_ms(end_s), speaker))
