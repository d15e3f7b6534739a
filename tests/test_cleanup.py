"""talkover.cleanup: jitter removed from diarized timelines; planted events untouched."""

from __future__ import annotations

import random

import pytest

from talkover import ConfigError, SpeakerTimeline, analyze_timeline
from talkover.cleanup import MIN_ISLAND_S, clean_timeline
from talkover.testing import TimelineBuilder


def rows(timeline: SpeakerTimeline) -> list[tuple[float, float, str]]:
    return [(s.start_s, s.end_s, s.speaker) for s in timeline]


def test_short_islands_go_and_their_blip_event_with_them() -> None:
    tl = SpeakerTimeline.from_tuples(
        [(0, 6, "A"), (2.0, 2.15, "B"), (3.0, 3.6, "B"), (6.5, 6.6, "A")], duration_s=8, uri="x"
    )
    cleaned = clean_timeline(tl)
    assert rows(cleaned) == [(0.0, 6.0, "A"), (3.0, 3.6, "B")]
    assert (cleaned.duration_s, cleaned.uri) == (8, "x")
    before = [(e.type, e.start_s) for e in analyze_timeline(tl).events]
    after = [(e.type, e.start_s) for e in analyze_timeline(cleaned).events]
    assert before == [("backchannel", 2.0), ("backchannel", 3.0)]
    assert after == [("backchannel", 3.0)]


def test_touching_pieces_make_one_island() -> None:
    tl = SpeakerTimeline.from_tuples([(1.0, 1.1, "B"), (1.1, 1.25, "B"), (2.0, 2.1, "B")])
    assert rows(clean_timeline(tl)) == [(1.0, 1.1, "B"), (1.1, 1.25, "B")]
    assert rows(clean_timeline(tl, min_island_s=0.0)) == rows(tl)
    with pytest.warns(DeprecationWarning, match="min_island_s"):  # the name before 0.2
        assert rows(clean_timeline(tl, min_speech_s=0.0)) == rows(tl)


def test_negative_threshold_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="min_island_s"):
        clean_timeline(SpeakerTimeline(), min_island_s=-0.1)


@pytest.mark.parametrize("seed", range(20))
def test_planted_events_survive_clean_up(seed: int) -> None:
    """Speech of at least MIN_ISLAND_S is never touched, so the events stay exactly."""
    rng = random.Random(seed)
    b = TimelineBuilder().speak("A", rng.uniform(2, 5))
    for _ in range(12):
        move = rng.choice(["speak", "backchannel", "interruption", "overlap", "failed"])
        other = rng.choice([s for s in "ABC" if s != b.holder])
        try:
            if move == "speak":
                b.speak(other, rng.uniform(1, 4), gap_s=rng.uniform(0.3, 1.0))
            elif move == "backchannel":
                b.backchannel(other, at_s=0.2, duration_s=rng.uniform(MIN_ISLAND_S, 1.0))
            elif move == "failed":
                b.failed_interruption(other, at_s=0.2, duration_s=rng.uniform(1.1, 1.5))
            elif move == "interruption":
                b.interruption(other, overlap_s=rng.uniform(0.6, 1.5), duration_s=3.0)
            else:
                b.overlap(other, overlap_s=rng.uniform(0.1, 0.4), duration_s=3.0)
        except ValueError:  # the builder refuses an ambiguous plant
            continue
    tl = b.timeline()
    assert clean_timeline(tl) == tl
    assert analyze_timeline(clean_timeline(tl)).events == analyze_timeline(tl).events
    assert len(b.planted) >= 4
