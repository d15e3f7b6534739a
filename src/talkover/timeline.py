"""Speaker timeline value types: who speaks when, overlaps allowed.

A :class:`SpeakerTimeline` is the hand-over point between diarization (or an annotation file)
and everything downstream. Times are float seconds from the start of the recording, kept to
the millisecond: a timeline rounds every time it is given to 1 ms, so that float slivers
(``27.84294`` against ``27.842935`` in a 6-decimal RTTM) are no overlap, and every time
downstream is a plain float that the JSON writes exactly.

>>> tl = SpeakerTimeline.from_tuples([(0.0, 2.0, "A"), (1.5, 3.0, "B")])
>>> tl.speakers
('A', 'B')
>>> round(tl.speech_duration_s("A"), 3)
2.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from talkover.errors import InputError
from talkover.provenance import Provenance

__all__ = ["Span", "Word", "Segment", "SpeakerTimeline", "merge_spans", "to_ms"]

#: Decimal places every time is kept to (1 ms).
TIME_DECIMALS = 3


def to_ms(seconds: float) -> float:
    """``seconds`` as a plain float rounded to the millisecond.

    >>> to_ms(1.0470000000000002), to_ms(2.3 - 1.1)
    (1.047, 1.2)
    """
    return round(float(seconds), TIME_DECIMALS)


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """A half-open stretch of time ``[start_s, end_s)`` in seconds."""

    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True, slots=True)
class Word:
    """One transcribed word of a segment, from ``start_s`` to ``end_s`` (seconds)."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True, order=True, slots=True)
class Segment:
    """One speaker speaking from ``start_s`` to ``end_s`` (seconds).

    The optional transcript rides along without taking part in sorting or equality (two
    segments are equal when their times and speaker are): ``text`` is what was said (``None``
    when the input has no transcript), ``words`` its word timings when known, and
    ``annotations`` codes a transcription tool attached to the utterance (CHAT's ``+/.``,
    ``[<]``...).
    """

    start_s: float
    end_s: float
    speaker: str
    text: str | None = field(default=None, compare=False)
    words: tuple[Word, ...] = field(default=(), compare=False)
    annotations: tuple[str, ...] = field(default=(), compare=False)

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def span(self) -> Span:
        return Span(self.start_s, self.end_s)


def merge_spans(spans: Iterable[Span], *, min_pause_s: float = 0.0) -> tuple[Span, ...]:
    """Union of spans, also joining spans separated by a pause shorter than ``min_pause_s``.

    >>> merge_spans([Span(0, 1), Span(0.5, 2), Span(2.1, 3)], min_pause_s=0.2)
    (Span(start_s=0, end_s=3),)
    """
    merged: list[Span] = []
    for span in sorted(spans):
        gap_s = span.start_s - merged[-1].end_s if merged else None
        if gap_s is not None and (gap_s <= 0.0 or gap_s < min_pause_s):
            last = merged[-1]
            merged[-1] = Span(last.start_s, max(last.end_s, span.end_s))
        else:
            merged.append(span)
    return tuple(merged)


def _check_finite(segments: Iterable[Segment], duration_s: float | None) -> None:
    """Refuse infinite or NaN times (one pass; NaN would otherwise drop its segment unseen)."""
    if duration_s is not None and not (math.isfinite(duration_s) and duration_s >= 0):
        raise InputError(f"duration_s must be a finite number of seconds >= 0, got {duration_s}")
    isfinite = math.isfinite
    for seg in segments:
        if not (isfinite(seg.start_s) and isfinite(seg.end_s)):
            raise InputError(
                f"segment of {seg.speaker!r} from {seg.start_s} to {seg.end_s}: expected finite "
                "times in seconds"
            )


@dataclass(frozen=True, slots=True)
class SpeakerTimeline:
    """Speech segments of one recording, sorted by start time; overlaps allowed.

    Parameters
    ----------
    segments
        The segments; times rounded to the millisecond and sorted on construction, empty ones
        dropped.
    duration_s
        Length of the recording in seconds; ``None`` when unknown, then taken as the end of the
        last segment by :attr:`end_s`.
    uri
        Name of the recording (RTTM file-id), for writers.
    provenance
        What the timeline was made from, stamped by its producer (a reader, the diarizer,
        multichannel); ``None`` for one built in memory. Not part of equality.

    Raises
    ------
    InputError
        A time that is infinite or NaN (it would poison every figure; readers check times
        with :func:`talkover.formats.times.check_span` and name the file and line).
    """

    segments: tuple[Segment, ...] = ()
    duration_s: float | None = None
    uri: str = "recording"
    provenance: Provenance | None = field(default=None, compare=False)
    _spans: dict[str, list[Span]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_finite(self.segments, self.duration_s)
        kept = tuple(sorted(r for r in map(_in_ms, self.segments) if r.end_s > r.start_s))
        object.__setattr__(self, "segments", kept)
        if self.duration_s is not None:
            object.__setattr__(self, "duration_s", to_ms(self.duration_s))
        spans: dict[str, list[Span]] = {}  # in order of first speech
        for seg in kept:
            spans.setdefault(seg.speaker, []).append(Span(seg.start_s, seg.end_s))
        object.__setattr__(self, "_spans", spans)

    @classmethod
    def from_tuples(
        cls,
        rows: Iterable[tuple[float, float, str]],
        *,
        duration_s: float | None = None,
        uri: str = "recording",
    ) -> SpeakerTimeline:
        """Build from ``(start_s, end_s, speaker)`` tuples."""
        segs = tuple(Segment(float(a), float(b), str(s)) for a, b, s in rows)
        return cls(segs, duration_s=duration_s, uri=uri)

    def __iter__(self) -> Iterator[Segment]:
        return iter(self.segments)

    def __len__(self) -> int:
        return len(self.segments)

    @property
    def speakers(self) -> tuple[str, ...]:
        """Speaker ids in order of first speech (segments sort by start, end, then id)."""
        return tuple(self._spans)

    @property
    def end_s(self) -> float:
        """Duration if known, else the end of the last segment (0 when empty)."""
        last = max((s.end_s for s in self.segments), default=0.0)
        return max(self.duration_s, last) if self.duration_s is not None else last

    def spans_of(self, speaker: str) -> tuple[Span, ...]:
        """One speaker's segments as spans, sorted by start (they may overlap)."""
        return tuple(self._spans.get(speaker, ()))

    def speech_of(self, speaker: str) -> tuple[Span, ...]:
        """Union of one speaker's speech, as sorted disjoint spans."""
        return merge_spans(self._spans.get(speaker, ()))

    def speech_duration_s(self, speaker: str) -> float:
        """Talk time of one speaker: the length of the union of their segments."""
        return sum(span.duration_s for span in self.speech_of(speaker))

    def overlap_spans(self) -> tuple[Span, ...]:
        """Stretches where two or more speakers speak at once."""
        points: list[tuple[float, int]] = []
        for speaker in self.speakers:
            for span in self.speech_of(speaker):
                points += [(span.start_s, 1), (span.end_s, -1)]
        spans: list[Span] = []
        active, opened = 0, 0.0
        for t, step in sorted(points, key=lambda p: (p[0], p[1])):
            if step > 0 and active == 1:
                opened = t
            if step < 0 and active == 2 and t > opened:
                spans.append(Span(opened, t))
            active += step
        return merge_spans(spans)

    @property
    def has_text(self) -> bool:
        """Whether any segment carries a transcript."""
        return any(s.text is not None for s in self.segments)

    def renamed(self, mapping: dict[str, str]) -> SpeakerTimeline:
        """A copy with speaker ids replaced by ``mapping`` (ids not in it are kept)."""
        segs = tuple(replace(s, speaker=mapping.get(s.speaker, s.speaker)) for s in self)
        return self.with_segments(segs)

    def with_segments(self, segments: Iterable[Segment]) -> SpeakerTimeline:
        """A timeline of the same recording (duration, uri, provenance) with other segments."""
        return SpeakerTimeline(
            tuple(segments), duration_s=self.duration_s, uri=self.uri, provenance=self.provenance
        )

    def stamped(self, provenance: Provenance) -> SpeakerTimeline:
        """This timeline with ``provenance`` (its ``uri`` too)."""
        return replace(self, uri=provenance.uri, provenance=provenance)


def _in_ms(segment: Segment) -> Segment:
    """``segment`` with its times (and its words') rounded to the millisecond."""
    start_s, end_s = to_ms(segment.start_s), to_ms(segment.end_s)
    words = segment.words
    if words and any(to_ms(w.start_s) != w.start_s or to_ms(w.end_s) != w.end_s for w in words):
        words = tuple(Word(to_ms(w.start_s), to_ms(w.end_s), w.text) for w in words)
    if start_s == segment.start_s and end_s == segment.end_s and words is segment.words:
        return segment
    return replace(segment, start_s=start_s, end_s=end_s, words=words)
