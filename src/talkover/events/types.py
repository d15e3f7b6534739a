"""The event value type and the names of the event types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["EventType", "EVENT_TYPES", "OVERLAP_EVENT_TYPES", "FLOOR_TAKING_TYPES", "Event"]

EventType = Literal[
    "switch", "interruption", "failed_interruption", "backchannel", "overlap", "silent_interruption"
]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)
#: Event types that happen while another speaker speaks (all but ``switch`` and
#: ``silent_interruption``, which happen in silence).
OVERLAP_EVENT_TYPES: tuple[EventType, ...] = (
    "interruption",
    "failed_interruption",
    "backchannel",
    "overlap",
)
#: Event types after which ``by`` holds the floor.
FLOOR_TAKING_TYPES: frozenset[EventType] = frozenset(
    {"switch", "interruption", "overlap", "silent_interruption"}
)


@dataclass(frozen=True, slots=True)
class Event:
    """One turn-taking event: speaker ``by`` starts an inter-pausal unit relative to ``of``.

    Attributes
    ----------
    type
        One of :data:`EVENT_TYPES`.
    start_s
        Onset of ``by``'s inter-pausal unit (seconds).
    end_s
        End of the overlap of the two speakers; equal to ``start_s`` for a switch.
    by, of
        Speaker ids: ``by`` interrupts / backchannels / overlaps / takes the turn from ``of``.
    overlap_s
        Duration of simultaneous speech of the two (0 for a switch).
    gap_s
        Silence between ``of``'s end and ``by``'s onset, for a switch; ``None`` otherwise.
    confidence
        How sure the detector is that the event is right, in [0, 1]; ``None`` when not assessed
        (events computed from a given timeline are exact under the definitions).
    text_by, text_of
        What ``by`` said in the unit that starts the event, and what ``of`` said in their unit
        around it (the one they were speaking, or had just finished); ``None`` without a
        transcript (see :mod:`talkover.events.words`).
    """

    type: EventType
    start_s: float
    end_s: float
    by: str
    of: str
    overlap_s: float
    gap_s: float | None = None
    confidence: float | None = None
    text_by: str | None = None
    text_of: str | None = None
