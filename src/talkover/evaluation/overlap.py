"""Overlapped-speech detection scored on a fixed frame grid.

A frame ``k`` (centre ``(k + 0.5) * frame_s``) counts as overlapped speech when two or more
speakers speak at its centre. The frames are never materialised: each speaker's speech becomes
runs of frame indices, the runs where two or more overlap are found by a sweep, and the counts
come from intersecting runs -- time and memory follow the segments, not the recording's length
(a lone segment 10 days in costs what one near the start does).
"""

from __future__ import annotations

import math

import numpy as np

from talkover.evaluation.result import Detection
from talkover.timeline import SpeakerTimeline

__all__ = ["overlap_frames", "overlap_runs", "overlap_detection"]


def _first_centre_at_or_after(time_s: float, frame_s: float, num_frames: int) -> int:
    """The index of the first frame whose centre is at or after ``time_s`` (``num_frames`` when
    none), computed as ``numpy.searchsorted`` over the centres would find it."""
    k = max(0, math.floor(time_s / frame_s - 0.5))
    while k > 0 and (k - 1 + 0.5) * frame_s >= time_s:
        k -= 1
    while k < num_frames and (k + 0.5) * frame_s < time_s:
        k += 1
    return min(k, num_frames)


def overlap_runs(
    timeline: SpeakerTimeline, *, num_frames: int, frame_s: float
) -> list[tuple[int, int]]:
    """Sorted, disjoint ``[first, stop)`` runs of frames whose centre has two or more speakers."""
    steps: list[tuple[int, int]] = []
    for speaker in timeline.speakers:
        for span in timeline.speech_of(speaker):
            lo = _first_centre_at_or_after(span.start_s, frame_s, num_frames)
            hi = _first_centre_at_or_after(span.end_s, frame_s, num_frames)
            if hi > lo:
                steps += [(lo, 1), (hi, -1)]
    runs: list[tuple[int, int]] = []
    active, opened = 0, 0
    for frame, step in sorted(steps):  # at one frame, ends (-1) before starts (+1)
        if step > 0 and active == 1:
            opened = frame
        if step < 0 and active == 2 and frame > opened:
            runs.append((opened, frame))
        active += step
    merged: list[tuple[int, int]] = []
    for lo, hi in runs:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def overlap_frames(timeline: SpeakerTimeline, *, num_frames: int, frame_s: float) -> np.ndarray:
    """Boolean ``(num_frames,)``: frames whose centre has two or more speakers speaking (for
    inspection; scoring uses :func:`overlap_runs`)."""
    frames = np.zeros(num_frames, dtype=bool)
    for lo, hi in overlap_runs(timeline, num_frames=num_frames, frame_s=frame_s):
        frames[lo:hi] = True
    return frames


def _intersection(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    """Frames in both sets of sorted disjoint runs."""
    total, i, j = 0, 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        total += max(0, hi - lo)
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def overlap_detection(
    reference: SpeakerTimeline, hypothesis: SpeakerTimeline, *, frame_s: float = 0.01
) -> Detection:
    """Overlapped speech found in both, in the reference and in the hypothesis, in seconds.

    Speaker identities do not matter here: only whether two or more speak at once.
    """
    num_frames = int(np.ceil(max(reference.end_s, hypothesis.end_s) / frame_s))
    ref = overlap_runs(reference, num_frames=num_frames, frame_s=frame_s)
    hyp = overlap_runs(hypothesis, num_frames=num_frames, frame_s=frame_s)
    return Detection(
        hits=float(_intersection(ref, hyp)) * frame_s,
        num_ref=float(sum(hi - lo for lo, hi in ref)) * frame_s,
        num_hyp=float(sum(hi - lo for lo, hi in hyp)) * frame_s,
    )
