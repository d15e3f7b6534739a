"""The terminal view and the plain lines show what the tracker decided."""

from __future__ import annotations

import io

from rich.console import Console

from talkover.live.session import LiveUpdate
from talkover.live.tracker import Alert, FloorChange
from talkover.live.view import PlainView, render_snapshot
from talkover.testing import TimelineBuilder

from .helpers import feed, frames_of

NAMES = ["me", "Hilaria"]


def _snapshot(watch: str | None):
    builder = TimelineBuilder().speak("Hilaria", 5.0).interruption("me", overlap_s=1.4,
                                                                   duration_s=4.0)
    tracker, _ = feed(frames_of(builder.timeline(tail_s=0.0), NAMES), NAMES, watch=watch)
    snap = tracker.snapshot()
    return tracker, snap


def _text(renderable) -> str:
    console = Console(record=True, width=120, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_view_shows_lanes_floor_shares_counts_and_the_alert() -> None:
    tracker, snap = _snapshot("me")
    text = _text(render_snapshot(snap))
    assert "you're talking over Hilaria" in text
    assert "▶ me (you)" in text  # the floor holder, and who "you" is
    assert "floor: me" in text
    lanes = [line for line in text.splitlines() if "█" in line]
    assert len(lanes) == 2
    assert "%" in lanes[0] and "1" in lanes[0].split("█")[-1]  # one interruption made


def test_view_from_the_other_side_and_for_anyone() -> None:
    _, snap = _snapshot("Hilaria")
    assert "me is talking over you" in _text(render_snapshot(snap))
    _, snap = _snapshot(None)
    assert "me is talking over Hilaria" in _text(render_snapshot(snap))


def test_plain_lines() -> None:
    out = io.StringIO()
    view = PlainView(out, watch="me")
    _, snap = _snapshot("me")
    view.on_update(LiveUpdate(5.0, 5.0, (
        FloorChange(0.1, "Hilaria", None, 0.6, "start"),
        Alert(4.3, "me", "Hilaria", 3.2),
        Alert(4.4, "Alec", "Hilaria", 3.3),  # not about me: not shown
    ), snap))
    lines = out.getvalue().splitlines()
    assert lines == ["00:00    0.10  floor  Hilaria",
                     "00:04    4.30  ALERT  you're talking over Hilaria"]
