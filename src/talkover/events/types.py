"""The event value type and the names of the event types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from talkover.units import IPU

__all__ = [
    "EventType",
    "EVENT_TYPES",
    "SIMULTANEOUS_TYPES",
    "OVERLAP_EVENT_TYPES",
    "FLOOR_TAKING_TYPES",
    "Event",
]

EventType = Literal[
    "switch", "interruption", "failed_interruption", "backchannel", "overlap", "silent_interruption"
]
EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)
#: Event types that start while another speaker speaks, in simultaneous speech (all but
#: ``switch`` and ``silent_interruption``, which happen in silence). Not to be confused with the
#: type ``overlap`` (an end-of-turn overlap), one of them.
SIMULTANEOUS_TYPES: tuple[EventType, ...] = (
    "interruption",
    "failed_interruption",
    "backchannel",
    "overlap",
)
#: Deprecated name of :data:`SIMULTANEOUS_TYPES` (kept for one release).
OVERLAP_EVENT_TYPES = SIMULTANEOUS_TYPES
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
    by_unit
        The inter-pausal unit of ``by`` that starts at ``start_s`` (``None`` only for events
        built by hand).
    of_unit
        The unit of ``of`` the event is relative to: the one spoken over (simultaneous-speech
        types) or the one just finished (a switch); ``None`` only for events built by hand.
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
    by_unit: IPU | None = None
    of_unit: IPU | None = None
