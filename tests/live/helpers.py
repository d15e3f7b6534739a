"""Feeding known frames to the floor tracker, and what the offline code makes of the same frames."""

from __future__ import annotations

import numpy as np

from talkover.cleanup import clean_timeline
from talkover.config import EventConfig
from talkover.diarize.reconstruct import to_timeline
from talkover.live.activity import SEGMENTATION_GRID, ActivityChunk
from talkover.live.speech import Smoothing
from talkover.live.tracker import Decision, FloorTracker
from talkover.timeline import SpeakerTimeline

GRID = SEGMENTATION_GRID


def frames_of(timeline: SpeakerTimeline, names: list[str]) -> np.ndarray:
    """``(frames, speakers)`` activity: a frame is active when its centre is in a segment."""
    count = int((timeline.end_s + 1.0) / GRID.step_s)
    centres = GRID.origin_s + np.arange(count) * GRID.step_s
    activity = np.zeros((count, len(names)), bool)
    for seg in timeline:
        column = names.index(seg.speaker)
        activity[(centres >= seg.start_s) & (centres < seg.end_s), column] = True
    return activity


def duration_of(activity: np.ndarray) -> float:
    """A recording length just past the last frame (so nothing is clipped at the end)."""
    return GRID.end_s(activity.shape[0] - 1) + 0.001


def offline_timeline(activity: np.ndarray, names: list[str]) -> SpeakerTimeline:
    """The timeline the offline diarizer's reconstruction and clean-up give for these frames,
    with the columns' names (to_timeline names speakers by first speech)."""
    duration = duration_of(activity)
    timeline = clean_timeline(to_timeline(activity, duration_s=duration, uri="x",
                                          min_duration_on_s=0.1, min_duration_off_s=0.1))
    order = []
    for c, name in enumerate(names):
        one = to_timeline(activity[:, [c]], duration_s=duration, uri="x",
                          min_duration_on_s=0.1, min_duration_off_s=0.1)
        if len(one):
            order.append((one.segments[0].start_s, c, name))
    mapping = {f"SPEAKER_{i:02d}": name for i, (_, _, name) in enumerate(sorted(order))}
    return timeline.renamed(mapping)


def feed(
    activity: np.ndarray,
    names: list[str],
    *,
    chunk_frames: int = 30,
    config: EventConfig | None = None,
    watch: str | None = None,
    alert_after_s: float | None = None,
) -> tuple[FloorTracker, list[Decision]]:
    """Run the tracker over the frames in chunks, then finish; all decisions in order."""
    tracker = FloorTracker(config, smoothing=Smoothing.for_diarizer(GRID), watch=watch,
                           alert_after_s=alert_after_s)
    decisions: list[Decision] = []
    for first in range(0, activity.shape[0], chunk_frames):
        part = activity[first : first + chunk_frames]
        decided_s = GRID.end_s(first + part.shape[0] - 1)
        chunk = ActivityChunk(first, part, tuple(names), GRID, decided_s)
        decisions += tracker.update(chunk)
    decisions += tracker.finish(duration_of(activity))
    return tracker, decisions
