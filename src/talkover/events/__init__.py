"""Inter-pausal units -> turn-taking events (switch, interruption, failed interruption,
backchannel, overlap; silent interruption with a transcript)."""

from talkover.events.detect import detect_events
from talkover.events.types import (
    EVENT_TYPES,
    FLOOR_TAKING_TYPES,
    OVERLAP_EVENT_TYPES,
    SIMULTANEOUS_TYPES,
    Event,
    EventType,
)
from talkover.events.words import BACKCHANNEL_WORDS, refine_events

__all__ = [
    "Event",
    "EventType",
    "EVENT_TYPES",
    "SIMULTANEOUS_TYPES",
    "OVERLAP_EVENT_TYPES",
    "FLOOR_TAKING_TYPES",
    "detect_events",
    "BACKCHANNEL_WORDS",
    "refine_events",
]
