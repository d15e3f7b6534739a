"""Invariants every analysis must keep, on random timelines."""

from __future__ import annotations

import random

import pytest

from talkover import SpeakerTimeline, analyze_timeline
from talkover.events import SIMULTANEOUS_TYPES


def random_timeline(seed: int) -> SpeakerTimeline:
    rng = random.Random(seed)
    rows = []
    for speaker in ["A", "B", "C", "Ünal"][: rng.randint(1, 4)]:
        t = rng.uniform(0, 3)
        for _ in range(rng.randint(1, 15)):
            d = rng.uniform(0.05, 6)
            rows.append((t, t + d, speaker))
            t += d + rng.uniform(0.0, 4)
    return SpeakerTimeline.from_tuples(rows, duration_s=200.0)


@pytest.mark.parametrize("seed", range(60))
def test_invariants(seed: int) -> None:
    analysis = analyze_timeline(random_timeline(seed))
    shares = sum(s.talk_share for s in analysis.speakers)
    assert shares == pytest.approx(1.0)
    starts = [e.start_s for e in analysis.events]
    assert starts == sorted(starts)
    for e in analysis.events:
        assert 0 <= e.start_s <= e.end_s <= analysis.duration_s
        assert e.by != e.of
        if e.type in SIMULTANEOUS_TYPES:
            assert e.overlap_s > 0 and e.gap_s is None
        else:
            assert e.gap_s is not None and e.gap_s >= 0
    for turn in analysis.turns:
        assert 0 <= turn.start_s <= turn.end_s <= analysis.duration_s
    assert [t.start_s for t in analysis.turns] == sorted(t.start_s for t in analysis.turns)
    for s in analysis.speakers:
        assert s.talk_time_s <= analysis.duration_s
        assert s.turns == sum(t.speaker == s.speaker for t in analysis.turns)
    # The matrix and the per-speaker counts tell the same story.
    total = sum(n for t, _, _, n in analysis.matrix.counts if t == "interruption")
    assert total == sum(s.interruptions_made for s in analysis.speakers)
    assert total == sum(s.interruptions_received for s in analysis.speakers)


def test_empty_timeline_gives_a_valid_empty_analysis() -> None:
    analysis = analyze_timeline(SpeakerTimeline((), duration_s=12.0))
    assert analysis.speakers == () and analysis.events == () and analysis.turns == ()
    assert analysis.duration_s == 12.0
    assert analysis.matrix.to_dict()["interruption"] == {}
