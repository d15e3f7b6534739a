"""The live floor tracker applies the offline definitions: on planted timelines and on random
frames, the events it decides are exactly those detect_events finds on the same frames, each
decided no earlier than the audio allows; alerts fire for talking over, never for a
backchannel."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talkover.config import EventConfig
from talkover.events import detect_events
from talkover.live.tracker import Alert, FloorChange, LiveEvent
from talkover.testing import TimelineBuilder
from talkover.turns import build_turns
from talkover.units import Units

from .helpers import GRID, feed, frames_of, offline_timeline

NAMES = ["A", "B", "C"]


def _fields(events) -> list[tuple]:
    """What an event says (its units are as known when it was decided: a unit still going on
    then has the end it had)."""
    return [(e.type, e.start_s, e.end_s, e.by, e.of, e.overlap_s, e.gap_s) for e in events]


def _planted() -> TimelineBuilder:
    """A holds the floor; B backchannels, C tries and fails, B interrupts (1.3 s of overlap),
    A takes the floor back at the end of B's turn (an overlap), then C after a pause."""
    return (
        TimelineBuilder()
        .speak("A", 6.0)
        .backchannel("B", at_s=1.0, duration_s=0.5)
        .failed_interruption("C", at_s=2.5, duration_s=1.6)
        .interruption("B", overlap_s=1.3, duration_s=4.0)
        .overlap("A", overlap_s=0.3, duration_s=3.0)
        .speak("C", 2.0, gap_s=0.8)
    )


def _offline(activity: np.ndarray, names: list[str], config: EventConfig | None = None):
    config = config or EventConfig()
    units = Units.build(offline_timeline(activity, names), min_pause_s=config.min_pause_s)
    events = detect_events(units, config)
    return events, build_turns(units.ipus, events)


def test_decided_events_are_the_offline_events() -> None:
    builder = _planted()
    activity = frames_of(builder.timeline(), NAMES)
    tracker, _ = feed(activity, NAMES)
    events, _ = _offline(activity, NAMES)
    assert _fields(e.event for e in tracker.events) == _fields(events)
    planted = [(p.type, p.by, p.of) for p in builder.planted]
    assert [(e.event.type, e.event.by, e.event.of) for e in tracker.events] == planted


def test_floor_passes_as_offline_turns() -> None:
    activity = frames_of(_planted().timeline(), NAMES)
    tracker, _ = feed(activity, NAMES)
    _, turns = _offline(activity, NAMES)
    assert [c.by for c in tracker.floor_changes] == [t.speaker for t in turns] == [
        "A", "B", "A", "C"]
    assert [c.cause for c in tracker.floor_changes] == ["start", "interruption", "overlap",
                                                       "switch"]
    assert [c.over for c in tracker.floor_changes] == [None, "A", "B", "A"]


def test_alerts_for_talking_over_never_for_a_backchannel() -> None:
    builder = _planted()
    tracker, _ = feed(frames_of(builder.timeline(), NAMES), NAMES)
    over = {(p.by, p.of): p.start_s for p in builder.planted
            if p.type in ("interruption", "failed_interruption")}
    assert {(a.by, a.over) for a in tracker.alerts} == set(over) == {("C", "A"), ("B", "A")}
    step = 30 * GRID.step_s  # one chunk of frames
    for alert in tracker.alerts:
        assert alert.onset_s == pytest.approx(over[(alert.by, alert.over)], abs=GRID.step_s)
        # as soon as the newcomer has spoken past backchannel_max_s (1 s), within a chunk
        assert 1.0 < alert.t_s - alert.onset_s <= 1.0 + step + 2 * GRID.step_s


def test_watched_speaker_only() -> None:
    tracker, _ = feed(frames_of(_planted().timeline(), NAMES), NAMES, watch="C")
    assert [(a.by, a.over) for a in tracker.alerts] == [("C", "A")]
    tracker, _ = feed(frames_of(_planted().timeline(), NAMES), NAMES, watch="A")
    assert [(a.by, a.over) for a in tracker.alerts] == [("C", "A"), ("B", "A")]


def test_an_earlier_alert_point_also_alerts_on_longer_backchannels() -> None:
    """alert_after_s below backchannel_max_s trades backchannel alerts for speed."""
    builder = TimelineBuilder().speak("A", 5.0).backchannel("B", at_s=1.0, duration_s=0.8)
    tracker, _ = feed(frames_of(builder.timeline(), NAMES), NAMES, alert_after_s=0.5)
    assert [(a.by, a.over) for a in tracker.alerts] == [("B", "A")]
    tracker, _ = feed(frames_of(builder.timeline(), NAMES), NAMES)
    assert tracker.alerts == []
    assert [e.event.type for e in tracker.events] == ["backchannel"]


def test_decisions_wait_for_the_audio_that_settles_them() -> None:
    tracker, decisions = feed(frames_of(_planted().timeline(), NAMES), NAMES)
    pause = EventConfig().min_pause_s
    for decision in decisions:
        if isinstance(decision, LiveEvent):
            event = decision.event
            if event.type == "switch":
                assert decision.t_s >= event.start_s
            else:  # who outlasts whom is known once the first of the two has paused
                assert decision.t_s >= event.end_s + pause - 1e-9
        elif isinstance(decision, Alert):
            assert decision.t_s > decision.onset_s + 1.0
    times = [d.t_s for d in decisions]
    assert times == sorted(times)
    kinds = [type(d) for d in decisions]
    assert kinds.count(FloorChange) == 4


def test_snapshot_shows_lanes_floor_and_counts() -> None:
    tracker, _ = feed(frames_of(_planted().timeline(), NAMES), NAMES, watch="B")
    snap = tracker.snapshot(span_s=30.0)
    assert snap.speakers == ("A", "B", "C")
    assert snap.floor == "C"
    assert sum(snap.talk_s) > 0 and all(t > 0 for t in snap.talk_s)
    assert ("interruption", "B", "A", 1) in snap.counts
    assert snap.alert is not None and snap.alert.by == "B"
    for spans in snap.lanes:
        assert all(a < b <= snap.t_s + 1e-9 for a, b in spans)


def test_silence_and_one_speaker_alone() -> None:
    tracker, decisions = feed(np.zeros((500, 2), bool), ["A", "B"])
    assert decisions == [] and tracker.floor is None
    solo = TimelineBuilder().speak("A", 3.0).speak("A", 4.0, gap_s=0.8)
    tracker, _ = feed(frames_of(solo.timeline(), ["A", "B"]), ["A", "B"])
    assert tracker.events == [] and tracker.alerts == []
    assert [c.by for c in tracker.floor_changes] == ["A"]


def _runs(draw, frames: int) -> np.ndarray:
    column = np.zeros(frames, bool)
    t = draw(st.integers(0, 150))
    while t < frames:
        on = draw(st.integers(1, 160))
        column[t : t + on] = True
        t += on + draw(st.integers(1, 120))
    return column


@st.composite
def _activity(draw) -> np.ndarray:
    frames = draw(st.integers(60, 1500))
    count = draw(st.integers(1, 4))
    return np.stack([_runs(draw, frames) for _ in range(count)], axis=1)


def _first_starts_differ(activity: np.ndarray, names: list[str]) -> bool:
    """Whether no two speakers' first speech starts together (which speaker the offline code
    puts first then depends on names that differ between the two runs)."""
    starts = [s.start_s for s in (offline_timeline(activity, names).speech_of(n)[:1]
                                  for n in names) for s in s]
    return len(starts) == len(set(starts))


@settings(max_examples=120, deadline=None)
@given(_activity(), st.integers(1, 64))
def test_random_frames_give_the_offline_events(activity: np.ndarray, chunk_frames: int) -> None:
    names = [f"S{c}" for c in range(activity.shape[1])]
    if not _first_starts_differ(activity, names):
        return
    tracker, _ = feed(activity, names, chunk_frames=chunk_frames)
    events, turns = _offline(activity, names)
    assert _fields(e.event for e in tracker.events) == _fields(events)
    assert [c.by for c in tracker.floor_changes] == [t.speaker for t in turns]
    expected = offline_timeline(activity, names)
    assert sorted((s.start_s, s.end_s, s.speaker) for s in tracker.timeline()) == sorted(
        (s.start_s, s.end_s, s.speaker) for s in expected)
