"""The who-over-whom matrix: for each event type, how often ``by`` did it to ``of``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from talkover.events.types import EVENT_TYPES, Event, EventType

__all__ = ["EventMatrix", "build_matrix"]


@dataclass(frozen=True, slots=True)
class EventMatrix:
    """Counts of events per ``(type, by, of)``, over a fixed list of speakers."""

    speakers: tuple[str, ...]
    counts: tuple[tuple[EventType, str, str, int], ...]
    _index: dict[tuple[str, str, str], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {(t, b, o): n for t, b, o, n in self.counts})

    def count(self, type: EventType, by: str, of: str) -> int:
        """How many ``type`` events ``by`` made over ``of``."""
        return self._index.get((type, by, of), 0)

    def to_dict(self, *, sparse: bool = False) -> dict[str, dict[str, dict[str, int]]]:
        """``{type: {by: {of: count}}}`` with every ordered pair of distinct speakers; with
        ``sparse``, only the pairs with at least one event (every type is still a key).

        The dense table grows with the square of the speakers (1,000 speakers: 6 million
        cells), the sparse one with the events.
        """
        table: dict[str, dict[str, dict[str, int]]] = {t: {} for t in EVENT_TYPES}
        if not sparse:
            table = {
                t: {b: {o: 0 for o in self.speakers if o != b} for b in self.speakers}
                for t in EVENT_TYPES
            }
        for t, b, o, n in self.counts:
            table[t].setdefault(b, {})[o] = n
        return table


def build_matrix(events: Sequence[Event], speakers: Sequence[str]) -> EventMatrix:
    """Count events by type, maker and receiver."""
    counter = Counter((e.type, e.by, e.of) for e in events)
    counts = tuple((t, b, o, n) for (t, b, o), n in sorted(counter.items()))
    return EventMatrix(tuple(speakers), counts)
