"""Helpers to build conversations with known answers, for tests and for users who want to
stress-test thresholds, and the listing of the team's annotated real cases."""

from talkover.testing.cases import SHARED_REAL, real_cases
from talkover.testing.synth import EventMix, SyntheticConversation, build_conversation
from talkover.testing.timeline_builder import PlantedEvent, TimelineBuilder
from talkover.testing.voices import VoiceBank, load_voice_bank

__all__ = [
    "TimelineBuilder",
    "PlantedEvent",
    "SyntheticConversation",
    "build_conversation",
    "EventMix",
    "VoiceBank",
    "load_voice_bank",
    "SHARED_REAL",
    "real_cases",
]
