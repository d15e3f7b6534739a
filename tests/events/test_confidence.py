"""Event confidence: only for diarized timelines, in [0, 1], events otherwise unchanged."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest

from talkover import analyze_timeline
from talkover.events.confidence import (
    COEFFICIENTS,
    FEATURE_NAMES,
    UnitIndex,
    _last_ended,
    _spoken_over,
)
from talkover.export.json import format_json
from talkover.report.text import format_summary, trust_lines
from talkover.testing import TimelineBuilder
from talkover.timeline import SpeakerTimeline
from talkover.units import IPU, build_ipus


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


def _random_units(seed: int) -> list[IPU]:
    """Units on a 10 ms grid in any order; one speaker's may overlap or end together."""
    rng = random.Random(seed)
    units = []
    for _ in range(300):
        start_s = rng.randrange(0, 12_000) / 100
        units.append(IPU(start_s, start_s + rng.randrange(1, 400) / 100, rng.choice("ABC")))
    return units


def _times(units: list[IPU], seed: int) -> list[float]:
    """Units' starts and ends, starts 2 s off (as sums and rounded), and random grid times."""
    rng = random.Random(seed)
    near = [u.start_s + d for u in units for d in (-2.0, 2.0)]
    grid = [rng.randrange(-300, 12_500) / 100 for _ in range(300)]
    return [*(u.start_s for u in units), *(u.end_s for u in units), *near,
            *(round(t, 2) for t in near), *grid]


@pytest.mark.parametrize("seed", range(5))
def test_units_starting_near_match_a_scan_of_all_units(seed: int) -> None:
    units = _random_units(seed)
    index = UnitIndex.of(units)
    for t in _times(units, seed):
        assert index.starting_near(t) == sum(abs(u.start_s - t) <= 2.0 for u in units), t


def test_units_starting_near_round_as_the_distance_does() -> None:
    # 2.1 - 0.1 is exactly 2.0, but 2.1 - 2.0 is a little above 0.1
    index = UnitIndex.of([IPU(0.1, 0.5, "A"), IPU(2.1, 3.0, "B"), IPU(4.2, 5.0, "A")])
    assert index.starting_near(2.1) == 2


@pytest.mark.parametrize("seed", range(5))
def test_switch_holder_matches_a_scan_of_the_units(seed: int) -> None:
    units = _random_units(seed)
    index = UnitIndex.of(units)
    for t in _times(units, seed):
        for speaker, own in index.by_start.items():
            ended = [u for u in own if u.end_s <= t]
            expected = max(ended, key=lambda u: u.end_s) if ended else None
            assert _last_ended(index.by_end[speaker], t) == expected, (speaker, t)


@pytest.mark.parametrize("seed", range(5))
def test_overlap_holder_matches_a_scan_of_the_units(seed: int) -> None:
    # One speaker's IPUs do not overlap: built from random segments, as the analysis builds them
    # (spread over 20 minutes, so that most stay apart).
    rows = [(u.start_s * 10, u.start_s * 10 + u.duration_s, u.speaker) for u in _random_units(seed)]
    units = list(build_ipus(SpeakerTimeline.from_tuples(rows), min_pause_s=0.3))
    assert len(units) > 150
    index = UnitIndex.of(units)
    for t in _times(units, seed):
        for speaker, own in index.by_start.items():
            going = [u for u in own if u.start_s < t < u.end_s]
            expected = max(going, key=lambda u: u.start_s) if going else None
            assert _spoken_over(own, t) == expected, (speaker, t)
