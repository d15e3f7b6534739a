"""The who-over-whom matrix: for each event type, how often ``by`` did it to ``of``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from talkover.events.types import EVENT_TYPES, Event, EventType

__all__ = ["EventMatrix", "build_matrix"]


@dataclass(frozen=True, slots=True)
class EventMatrix:
    """Counts of events per ``(type, by, of)``, over a fixed list of speakers."""

    speakers: tuple[str, ...]
    counts: tuple[tuple[EventType, str, str, int], ...]

    def count(self, type: EventType, by: str, of: str) -> int:
        """How many ``type`` events ``by`` made over ``of``."""
        for t, b, o, n in self.counts:
            if (t, b, o) == (type, by, of):
                return n
        return 0

    def to_dict(self) -> dict[str, dict[str, dict[str, int]]]:
        """``{type: {by: {of: count}}}`` with every ordered pair of distinct speakers."""
        table = {
            t: {b: {o: 0 for o in self.speakers if o != b} for b in self.speakers}
            for t in EVENT_TYPES
        }
        for t, b, o, n in self.counts:
            table[t][b][o] = n
        return table


def build_matrix(events: Sequence[Event], speakers: Sequence[str]) -> EventMatrix:
    """Count events by type, maker and receiver."""
    counter = Counter((e.type, e.by, e.of) for e in events)
    counts = tuple((t, b, o, n) for (t, b, o), n in sorted(counter.items()))
    return EventMatrix(tuple(speakers), counts)
