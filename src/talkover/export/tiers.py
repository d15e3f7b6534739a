"""Pieces the tier-based writers share (TextGrid, EAF, CHAT, WebVTT): per-speaker intervals that
do not overlap, and the label an event gets on an ``events`` tier."""

from __future__ import annotations

from collections.abc import Sequence

from talkover.events.types import Event
from talkover.formats.tiers import EVENTS_TIER
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["EVENTS_TIER", "event_label", "speaker_tiers", "event_lanes"]


def event_label(event: Event) -> str:
    """``"interruption B>A"``: the type, then who did it to whom.

    >>> event_label(Event("backchannel", 1.0, 1.5, "Zoë", "A", 0.5))
    'backchannel Zoë>A'
    """
    return f"{event.type} {event.by}>{event.of}"


def speaker_tiers(timeline: SpeakerTimeline) -> dict[str, list[Segment]]:
    """Each speaker's segments, in order of first speech, with overlapping segments of the same
    speaker merged (a tier cannot hold overlapping intervals); texts are joined by a space."""
    tiers: dict[str, list[Segment]] = {speaker: [] for speaker in timeline.speakers}
    for segment in timeline:
        own = tiers[segment.speaker]
        if own and segment.start_s < own[-1].end_s:
            last = own[-1]
            texts = [t for t in (last.text, segment.text) if t]
            own[-1] = Segment(
                last.start_s,
                max(last.end_s, segment.end_s),
                last.speaker,
                " ".join(texts) if texts else None,
                last.words + segment.words,
                last.annotations + segment.annotations,
            )
        else:
            own.append(segment)
    return tiers


def event_lanes(
    events: Sequence[Event], *, min_s: float
) -> list[list[tuple[float, float, str]]]:
    """Events as ``(start_s, end_s, label)`` intervals spread over as few lanes (tiers) as needed
    so that no two intervals of a lane overlap.

    An event without duration (a switch, a silent interruption) spans the silence before it
    (``gap_s``), or ``min_s`` from its onset when there was none.
    """
    spans = []
    for event in events:
        start, end = event.start_s, event.end_s
        if end - start < min_s:
            gap = event.gap_s or 0.0
            start, end = (start - gap, start) if gap >= min_s else (start, start + min_s)
        spans.append((start, end, event_label(event)))
    lanes: list[list[tuple[float, float, str]]] = []
    for span in sorted(spans):
        for lane in lanes:
            if lane[-1][1] <= span[0]:
                lane.append(span)
                break
        else:
            lanes.append([span])
    return lanes
