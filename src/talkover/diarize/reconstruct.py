"""Stitch per-window local activity into one overlap-aware speaker timeline.

For each global frame (16.875 ms) and global speaker, the activity of the local speakers mapped
to that speaker is averaged over every window covering the frame. The number of speakers active
in the frame is the (rounded) average of the windows' local speaker counts, so overlap shows up
where the segmentation model heard two voices; that many top-scoring speakers are kept.
Short gaps are then bridged and short blips dropped, per speaker.
"""

from __future__ import annotations

import numpy as np

from talkover.diarize.segmentation import FRAME_SIZE_SAMPLES, FRAME_STEP_SAMPLES
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["aggregate_activity", "binarize", "to_timeline"]


def aggregate_activity(
    activity: np.ndarray,
    window_starts: np.ndarray,
    assignment: np.ndarray,
    *,
    num_speakers: int,
    edge_weighting: bool,
    count_offset: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Average per-window activity onto the global frame grid.

    Parameters
    ----------
    activity
        Shape ``(windows, frames, local)``, binary local activity.
    window_starts
        Start of each window in samples, multiples of the frame step.
    assignment
        Shape ``(windows, local)``, global speaker per local speaker, ``-1`` for none.
    num_speakers
        Number of global speakers K.
    edge_weighting
        Weight frames by a Hamming window so window edges (less context) count less.
    count_offset
        Added to the mean speaker count before rounding it.

    Returns
    -------
    scores, count
        ``(global_frames, K)`` float32 mean activity and ``(global_frames,)`` int speaker count.
    """
    num_windows, frames, local = activity.shape
    offsets = (window_starts // FRAME_STEP_SAMPLES).astype(np.int64)
    total = int(offsets[-1]) + frames
    weight = np.hamming(frames).astype(np.float32) + 1e-3 if edge_weighting else np.ones(frames)
    scores = np.zeros((total, max(num_speakers, 1)), np.float32)
    count = np.zeros(total, np.float32)
    coverage = np.zeros(total, np.float32)
    for w in range(num_windows):
        span = slice(offsets[w], offsets[w] + frames)
        coverage[span] += weight
        count[span] += weight * activity[w].sum(1)
        mapped = np.zeros((frames, scores.shape[1]), np.float32)
        for k in range(local):
            c = assignment[w, k]
            if c >= 0:
                mapped[:, c] = np.maximum(mapped[:, c], activity[w, :, k])
        scores[span] += weight[:, None] * mapped
    coverage = np.maximum(coverage, 1e-8)
    rounded = np.floor(count / coverage + 0.5 + count_offset).astype(np.int64)
    scores /= coverage[:, None]  # in place: on a 6-hour recording with 20 speakers, 100 MB
    return scores, rounded


def binarize(scores: np.ndarray, count: np.ndarray, *, block: int = 1 << 16) -> np.ndarray:
    """Keep, in each frame, the ``count`` speakers with the highest (positive) score.

    Frames are ranked ``block`` at a time, so that the temporaries (ranks are int64) stay small
    however long the recording: all at once they took 0.6 GB on 6 hours with 20 speakers.
    """
    active = np.zeros(scores.shape, dtype=bool)
    speakers = np.arange(scores.shape[1])[None, :]
    for start in range(0, len(scores), block):
        part = scores[start : start + block]
        order = np.argsort(-part, axis=1)
        rank = np.empty_like(order)
        np.put_along_axis(rank, order, speakers, axis=1)
        active[start : start + block] = (rank < count[start : start + block, None]) & (part > 0)
    return active


def to_timeline(
    active: np.ndarray,
    *,
    duration_s: float,
    min_duration_on_s: float,
    min_duration_off_s: float,
    uri: str,
    sample_rate_hz: int = 16_000,
) -> SpeakerTimeline:
    """Turn ``(global_frames, K)`` binary activity into segments, speakers named by first speech.

    Gaps shorter than ``min_duration_off_s`` within one speaker are bridged, then segments
    shorter than ``min_duration_on_s`` are dropped.
    """
    step_s = FRAME_STEP_SAMPLES / sample_rate_hz
    centre0_s = (FRAME_SIZE_SAMPLES // 2) / sample_rate_hz
    per_speaker: list[list[tuple[float, float]]] = []
    for c in range(active.shape[1]):
        edges = np.diff(np.r_[0, active[:, c].astype(np.int8), 0])
        runs = []
        for on, off in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
            start = max(0.0, centre0_s + (on - 0.5) * step_s)
            end = min(duration_s, centre0_s + (off - 0.5) * step_s)
            if end > start:
                runs.append((start, end))
        per_speaker.append(_clean(runs, min_on=min_duration_on_s, min_off=min_duration_off_s))
    firsts = sorted((runs[0][0], c) for c, runs in enumerate(per_speaker) if runs)
    names = {c: f"SPEAKER_{i:02d}" for i, (_, c) in enumerate(firsts)}
    segments = tuple(
        Segment(round(a, 3), round(b, 3), names[c])
        for c, runs in enumerate(per_speaker)
        for a, b in runs
    )
    return SpeakerTimeline(segments, duration_s=duration_s, uri=uri)


def _clean(
    runs: list[tuple[float, float]], *, min_on: float, min_off: float
) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in runs:
        if merged and start - merged[-1][1] < min_off:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return [(a, b) for a, b in merged if b - a >= min_on]
