"""What changed between two versions of an analysis: events added, removed, retyped or moved,
segments added and removed, speakers renamed, and the counts per type.

Events are paired in three passes, each on what the previous left unpaired:

1. the same event: same type, speakers and onset (within a millisecond) — unchanged;
2. the same speakers at nearly the same onset (within ``tolerance_s``) but another type —
   **retyped** (an overlap that became a switch when a boundary moved);
3. the same type and speakers at nearly the same onset — **moved**.

What is left is **removed** (only in the old version) or **added** (only in the new one).

>>> from talkover.analysis import analyze_timeline
>>> from talkover.timeline import SpeakerTimeline
>>> a = analyze_timeline(SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")]))
>>> b = analyze_timeline(SpeakerTimeline.from_tuples([(0, 4.3, "A"), (4, 8, "B")]))
>>> [(x.type, y.type) for x, y in diff_analyses(a, b).retyped]
[('interruption', 'overlap')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from talkover.analysis import Analysis
from talkover.events.types import EVENT_TYPES, Event
from talkover.timeline import Segment

__all__ = ["AnalysisDiff", "diff_analyses"]


@dataclass(frozen=True, slots=True)
class AnalysisDiff:
    """The differences from an old version to a new one (see the module doc).

    ``retyped`` and ``moved`` hold ``(old, new)`` pairs; ``counts`` is ``(type, old, new)``
    for every event type whose count differs; ``renamed`` is ``(id, old name, new name)``.
    """

    added: tuple[Event, ...] = ()
    removed: tuple[Event, ...] = ()
    retyped: tuple[tuple[Event, Event], ...] = ()
    moved: tuple[tuple[Event, Event], ...] = ()
    segments_added: tuple[Segment, ...] = ()
    segments_removed: tuple[Segment, ...] = ()
    renamed: tuple[tuple[str, str | None, str | None], ...] = ()
    counts: tuple[tuple[str, int, int], ...] = ()

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.retyped or self.moved
                    or self.segments_added or self.segments_removed or self.renamed)


def diff_analyses(old: Analysis, new: Analysis, *, tolerance_s: float = 0.5) -> AnalysisDiff:
    """The changes from ``old`` to ``new`` (events paired within ``tolerance_s`` seconds)."""
    left, right = list(old.events), list(new.events)
    _pair(left, right, lambda a, b: a.type == b.type and _near(a, b, 0.001), 0.001)
    retyped = _pair(left, right, lambda a, b: a.type != b.type and _near(a, b, tolerance_s),
                    tolerance_s)
    moved = _pair(left, right, lambda a, b: a.type == b.type and _near(a, b, tolerance_s),
                  tolerance_s)
    old_counts = Counter(e.type for e in old.events)
    new_counts = Counter(e.type for e in new.events)
    counts = tuple(
        (t, old_counts[t], new_counts[t]) for t in EVENT_TYPES if old_counts[t] != new_counts[t]
    )
    old_segments = Counter(_segment_key(s) for s in old.timeline)
    new_segments = Counter(_segment_key(s) for s in new.timeline)
    old_names = {s.speaker: s.name for s in old.speakers}
    new_names = {s.speaker: s.name for s in new.speakers}
    renamed = tuple(
        (sid, old_names[sid], new_names[sid])
        for sid in new_names if sid in old_names and old_names[sid] != new_names[sid]
    )
    return AnalysisDiff(
        added=tuple(e for e in right if e is not None),
        removed=tuple(e for e in left if e is not None),
        retyped=retyped,
        moved=moved,
        segments_added=_segments(new.timeline.segments, new_segments - old_segments),
        segments_removed=_segments(old.timeline.segments, old_segments - new_segments),
        renamed=renamed,
        counts=counts,
    )


def _near(a: Event, b: Event, tolerance_s: float) -> bool:
    return (a.by, a.of) == (b.by, b.of) and abs(a.start_s - b.start_s) <= tolerance_s


def _pair(left: list[Event | None], right: list[Event | None], same, window_s: float) -> tuple:
    """Pair each unpaired old event with the nearest unpaired new one within ``window_s``
    that ``same`` accepts; paired events become ``None`` in both lists (both in time order)."""
    pairs = []
    starts = [e.start_s if e is not None else float("nan") for e in right]
    lo = 0
    for i, a in enumerate(left):
        if a is None:
            continue
        while lo < len(right) and (right[lo] is None or starts[lo] < a.start_s - window_s):
            lo += 1
        best, best_d = None, float("inf")
        for j in range(lo, len(right)):
            b = right[j]
            if b is None:
                continue
            if b.start_s > a.start_s + window_s:
                break
            d = abs(a.start_s - b.start_s)
            if d < best_d and same(a, b):
                best, best_d = j, d
        if best is not None:
            pairs.append((a, right[best]))
            left[i] = right[best] = None
    return tuple(pairs)


def _segment_key(s: Segment) -> tuple[float, float, str]:
    return (round(s.start_s, 3), round(s.end_s, 3), s.speaker)


def _segments(segments: Sequence[Segment], keys: Counter) -> tuple[Segment, ...]:
    out = []
    wanted = Counter(keys)
    for s in segments:
        key = _segment_key(s)
        if wanted[key] > 0:
            wanted[key] -= 1
            out.append(s)
    return tuple(out)
