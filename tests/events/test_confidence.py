"""Event confidence: only for diarized timelines, in [0, 1], events otherwise unchanged."""

from __future__ import annotations

import json
from dataclasses import replace

from talkover import analyze_timeline
from talkover.events.confidence import COEFFICIENTS, FEATURE_NAMES
from talkover.formats.json import format_json
from talkover.report.text import format_summary, trust_lines
from talkover.testing import TimelineBuilder


def conversation() -> TimelineBuilder:
    b = TimelineBuilder().speak("A", 5.0)
    b.backchannel("B", at_s=1.0, duration_s=0.4)
    b.failed_interruption("B", at_s=1.8, duration_s=1.6)
    b.interruption("B", overlap_s=0.8, duration_s=4.0)
    b.overlap("A", overlap_s=0.3, duration_s=3.0)
    return b.speak("B", 2.0, gap_s=0.7)


def test_one_weight_per_feature() -> None:
    assert len(COEFFICIENTS) == len(FEATURE_NAMES)


def test_annotation_events_are_exact_and_not_assessed() -> None:
    analysis = analyze_timeline(conversation().timeline())
    assert all(e.confidence is None for e in analysis.events)
    assert trust_lines(analysis) == []
    assert "counts from audio" not in format_summary(analysis)


def test_diarized_events_get_a_confidence_and_nothing_else_changes() -> None:
    timeline = conversation().timeline()
    exact = analyze_timeline(timeline).events
    diarized = analyze_timeline(timeline, source="diarization")
    assert diarized.source == "diarization"
    assert {e.type for e in diarized.events} == {
        "switch", "interruption", "failed_interruption", "backchannel", "overlap"
    }
    for e in diarized.events:
        assert e.confidence is not None and 0.0 <= e.confidence <= 1.0
    assert [replace(e, confidence=None) for e in diarized.events] == list(exact)
    assert analyze_timeline(timeline, source="diarization").events == diarized.events


def test_confidence_reaches_the_json_and_the_summary() -> None:
    analysis = analyze_timeline(conversation().timeline(), source="diarization")
    doc = json.loads(format_json(analysis))
    assert [e["confidence"] for e in doc["events"]] == [e.confidence for e in analysis.events]
    first, second = trust_lines(analysis)
    expected = sum(e.confidence for e in analysis.events)
    assert first.startswith(
        f"counts from audio are estimates: about {expected:.0f} of these "
        f"{len(analysis.events)} events are expected to be right"
    )
    sure = sum(e.confidence >= 0.8 for e in analysis.events)
    assert second.startswith(f"  {sure} {'has' if sure == 1 else 'have'} confidence >= 0.8")
    assert f"{first}\n{second}\n" in format_summary(analysis)


def test_channels_are_not_assessed() -> None:
    analysis = analyze_timeline(conversation().timeline(), source="channels")
    assert all(e.confidence is None for e in analysis.events)
