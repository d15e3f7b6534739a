"""The event definitions, checked on planted conversations."""

from __future__ import annotations

import random

import pytest

from talkover import EventConfig, SpeakerTimeline, analyze_timeline
from talkover.testing import TimelineBuilder


def found(timeline: SpeakerTimeline, config: EventConfig | None = None) -> list[tuple]:
    return [
        (e.type, round(e.start_s, 6), e.by, e.of)
        for e in analyze_timeline(timeline, config=config).events
    ]


def planted(builder: TimelineBuilder) -> list[tuple]:
    return [(p.type, round(p.start_s, 6), p.by, p.of) for p in builder.planted]


def test_each_event_type_is_found_exactly() -> None:
    b = TimelineBuilder()
    b.speak("A", 5.0)
    b.backchannel("B", at_s=1.0, duration_s=0.4)
    b.failed_interruption("B", at_s=1.8, duration_s=1.6)
    b.interruption("B", overlap_s=0.8, duration_s=4.0)
    b.overlap("A", overlap_s=0.3, duration_s=3.0)
    b.speak("B", 2.0, gap_s=0.7)
    assert found(b.timeline()) == planted(b)
    assert [p.type for p in b.planted] == [
        "backchannel", "failed_interruption", "interruption", "overlap", "switch"
    ]


def test_switch_records_gap_and_no_overlap() -> None:
    b = TimelineBuilder().speak("A", 3.0).speak("B", 2.0, gap_s=0.45)
    (event,) = analyze_timeline(b.timeline()).events
    assert event.type == "switch"
    assert event.gap_s == pytest.approx(0.45)
    assert event.overlap_s == 0.0 and event.end_s == event.start_s


def test_interruption_fields() -> None:
    tl = SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")])
    (event,) = analyze_timeline(tl).events
    assert (event.type, event.by, event.of) == ("interruption", "B", "A")
    assert (event.start_s, event.end_s, event.overlap_s, event.gap_s) == (4, 5, 1, None)


@pytest.mark.parametrize(
    ("b_end", "a_end", "expected"),
    [
        (4.0, 6.0, "backchannel"),       # 1.0 s, inside A: <= backchannel_max
        (4.01, 6.0, "failed_interruption"),
        (6.0, 6.0, "failed_interruption"),  # A outlasts B when ending together (v.end >= u.end)
        (8.0, 3.5, "overlap"),           # A stops exactly grace after B's onset
        (8.0, 3.51, "interruption"),
    ],
)
def test_thresholds_are_inclusive_where_the_spec_says(b_end, a_end, expected) -> None:
    tl = SpeakerTimeline.from_tuples([(0, a_end, "A"), (3.0, b_end, "B")])
    assert [e.type for e in analyze_timeline(tl).events] == [expected]


def test_short_pause_joins_units_and_long_pause_splits() -> None:
    # A pauses 0.2 s (< min_pause): one unit, so B's short speech in the pause is inside it.
    tl = SpeakerTimeline.from_tuples([(0, 2, "A"), (2.2, 5, "A"), (1.0, 1.5, "B")])
    assert found(tl) == [("backchannel", 1.0, "B", "A")]
    # With min_pause 0.1 the pause splits A; B's onset at 2.1 finds A silent -> a switch.
    tl = SpeakerTimeline.from_tuples([(0, 2, "A"), (2.3, 5, "A"), (2.05, 2.25, "B")])
    assert found(tl, EventConfig(min_pause_s=0.1))[0] == ("switch", 2.05, "B", "A")


def test_own_pause_is_not_a_switch() -> None:
    tl = SpeakerTimeline.from_tuples([(0, 2, "A"), (3, 5, "A")])
    assert found(tl) == []
    assert len(analyze_timeline(tl).turns) == 1


def test_floor_holder_is_the_earliest_started_of_several() -> None:
    # A holds the floor; B starts a long unit inside A's; C's short onset is measured against A.
    tl = SpeakerTimeline.from_tuples([(0, 10, "A"), (2, 9, "B"), (4, 4.5, "C")])
    assert found(tl) == [
        ("failed_interruption", 2.0, "B", "A"),
        ("backchannel", 4.0, "C", "A"),
    ]


def test_simultaneous_starts_are_not_overlaps_of_each_other() -> None:
    # B and C both start at 3.0: neither onset finds the other speaking *before* it, so both
    # are switches from A (the shorter segment sorts first).
    tl = SpeakerTimeline.from_tuples([(0, 2, "A"), (3, 5, "B"), (3, 4, "C")])
    assert found(tl) == [("switch", 3.0, "C", "A"), ("switch", 3.0, "B", "A")]


def test_four_speakers_mixture() -> None:
    b = TimelineBuilder()
    b.speak("A", 6.0).backchannel("C", at_s=2.0, duration_s=0.3)
    b.interruption("B", overlap_s=1.2, duration_s=5.0)
    b.backchannel("D", at_s=1.5, duration_s=0.8).failed_interruption("A", at_s=2.5, duration_s=1.5)
    b.overlap("C", overlap_s=0.2, duration_s=4.0).speak("D", 3.0, gap_s=1.2)
    b.speak("D", 2.0, gap_s=0.5).speak("A", 1.0, gap_s=0.1)
    analysis = analyze_timeline(b.timeline())
    assert found(b.timeline()) == planted(b)
    assert [t.speaker for t in analysis.turns] == ["A", "B", "C", "D", "A"]


def test_random_planted_conversations_are_recovered() -> None:
    rng = random.Random(7)
    speakers = "ABCD"
    for _ in range(200):
        b = TimelineBuilder()
        b.speak(rng.choice(speakers), rng.uniform(2, 6))
        for _ in range(rng.randint(1, 12)):
            others = [s for s in speakers if s != b.holder]
            move = rng.choice(["speak", "bc", "fail", "int", "ovl"])
            try:
                if move == "speak":
                    b.speak(rng.choice(speakers), rng.uniform(1, 6), gap_s=rng.uniform(0.3, 2))
                elif move == "bc":
                    b.backchannel(rng.choice(others), at_s=rng.uniform(0.1, 1.0),
                                  duration_s=rng.uniform(0.1, 1.0))
                elif move == "fail":
                    b.failed_interruption(rng.choice(others), at_s=rng.uniform(0.1, 0.5),
                                          duration_s=rng.uniform(1.05, 1.4))
                elif move == "int":
                    b.interruption(rng.choice(others), overlap_s=rng.uniform(0.55, 1.0),
                                   duration_s=rng.uniform(1.2, 5))
                else:
                    b.overlap(rng.choice(others), overlap_s=rng.uniform(0.05, 0.5),
                              duration_s=rng.uniform(1, 5))
            except ValueError:
                continue  # the plant would be ambiguous here; try the next move
        assert found(b.timeline()) == sorted(planted(b), key=lambda p: p[1])
