"""Helpers to build conversations with known answers, for tests and for users who want to
stress-test thresholds."""

from talkover.testing.timeline_builder import PlantedEvent, TimelineBuilder

__all__ = ["TimelineBuilder", "PlantedEvent"]
