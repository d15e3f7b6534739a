"""Event confidence: only for diarized timelines, in [0, 1], events otherwise unchanged."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest

from talkover import analyze_timeline
from talkover.events import SIMULTANEOUS_TYPES
from talkover.events.confidence import COEFFICIENTS, FEATURE_NAMES
from talkover.export.json import format_json
from talkover.provenance import Provenance
from talkover.report.text import format_summary, trust_lines
from talkover.testing import TimelineBuilder
from talkover.timeline import SpeakerTimeline
from talkover.units import Units


def diarized(timeline: SpeakerTimeline) -> SpeakerTimeline:
    """``timeline`` stamped as talkover's diarizer stamps its output."""
    return timeline.stamped(Provenance("audio", uri=timeline.uri))


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
    assessed = analyze_timeline(diarized(timeline))
    assert assessed.provenance.kind == "audio" and assessed.source == "diarization"
    assert {e.type for e in assessed.events} == {
        "switch", "interruption", "failed_interruption", "backchannel", "overlap"
    }
    for e in assessed.events:
        assert e.confidence is not None and 0.0 <= e.confidence <= 1.0
    assert [replace(e, confidence=None) for e in assessed.events] == list(exact)
    assert analyze_timeline(diarized(timeline)).events == assessed.events


def test_the_deprecated_source_argument_still_decides() -> None:
    timeline = conversation().timeline()
    with pytest.warns(DeprecationWarning, match="source"):
        old = analyze_timeline(timeline, source="diarization")
    assert old.events == analyze_timeline(diarized(timeline)).events


def test_confidence_reaches_the_json_and_the_summary() -> None:
    analysis = analyze_timeline(diarized(conversation().timeline()))
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
    timeline = conversation().timeline().stamped(Provenance("multichannel"))
    analysis = analyze_timeline(timeline)
    assert all(e.confidence is None for e in analysis.events)


def _random_timeline(seed: int) -> SpeakerTimeline:
    """Segments on a 10 ms grid in any order, spread over 20 minutes; one speaker's may
    overlap or end together."""
    rng = random.Random(seed)
    rows = []
    for _ in range(300):
        start_s = rng.randrange(0, 120_000) / 100
        rows.append((start_s, start_s + rng.randrange(1, 400) / 100, rng.choice("ABC")))
    return SpeakerTimeline.from_tuples(rows)


def _times(units: Units, seed: int) -> list[float]:
    """Units' starts and ends, starts 2 s off (as sums and rounded), and random grid times."""
    rng = random.Random(seed)
    near = [u.start_s + d for u in units.ipus for d in (-2.0, 2.0)]
    grid = [rng.randrange(-300, 120_500) / 100 for _ in range(300)]
    return [*(u.start_s for u in units.ipus), *(u.end_s for u in units.ipus), *near,
            *(round(t, 2) for t in near), *grid]


@pytest.mark.parametrize("seed", range(5))
def test_units_starting_near_match_a_scan_of_all_units(seed: int) -> None:
    units = Units.build(_random_timeline(seed), min_pause_s=0.3)
    assert len(units.ipus) > 150
    for t in _times(units, seed):
        assert units.starting_near(t) == sum(abs(u.start_s - t) <= 2.0 for u in units.ipus), t


def test_units_starting_near_round_as_the_distance_does() -> None:
    # 2.1 - 0.1 is exactly 2.0, but 2.1 - 2.0 is a little above 0.1
    rows = [(0.1, 0.5, "A"), (2.1, 3.0, "B"), (4.2, 5.0, "A")]
    units = Units.build(SpeakerTimeline.from_tuples(rows), min_pause_s=0.3)
    assert units.starting_near(2.1) == 2


@pytest.mark.parametrize("seed", range(5))
def test_unit_lookups_match_a_scan_of_the_units(seed: int) -> None:
    units = Units.build(_random_timeline(seed), min_pause_s=0.3)
    for t in _times(units, seed):
        for speaker, own in units.by_speaker.items():
            going = [u for u in own if u.start_s < t < u.end_s]
            assert units.spoken_over(speaker, t) == (going[-1] if going else None), (speaker, t)
            before = [u for u in own if u.start_s < t]
            assert units.last_started(speaker, t) == (before[-1] if before else None)
            at = [u for u in own if u.start_s == t]
            assert units.starting_at(speaker, t) == (at[0] if at else None)


@pytest.mark.parametrize("seed", range(5))
def test_events_carry_the_units_a_scan_finds(seed: int) -> None:
    analysis = analyze_timeline(diarized(_random_timeline(seed)))
    assert analysis.events
    for e in analysis.events:
        assert e.by_unit == next(
            u for u in analysis.ipus if u.speaker == e.by and u.start_s == e.start_s
        )
        own = [u for u in analysis.ipus if u.speaker == e.of]
        if e.type in SIMULTANEOUS_TYPES:
            expected = next(u for u in own if u.start_s < e.start_s < u.end_s)
        else:  # a switch: of's unit that ended last before the onset
            expected = max((u for u in own if u.end_s <= e.start_s), key=lambda u: u.end_s)
        assert e.of_unit == expected, e
