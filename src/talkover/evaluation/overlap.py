"""Overlapped-speech detection scored on a fixed frame grid."""

from __future__ import annotations

import numpy as np

from talkover.evaluation.result import Detection
from talkover.timeline import SpeakerTimeline

__all__ = ["overlap_frames", "overlap_detection"]


def overlap_frames(timeline: SpeakerTimeline, *, num_frames: int, frame_s: float) -> np.ndarray:
    """Boolean ``(num_frames,)``: frames whose centre has two or more speakers speaking."""
    centres_s = (np.arange(num_frames) + 0.5) * frame_s
    active = np.zeros(num_frames, dtype=np.int32)
    for speaker in timeline.speakers:
        spoken = np.zeros(num_frames, dtype=bool)
        for span in timeline.speech_of(speaker):
            lo, hi = np.searchsorted(centres_s, [span.start_s, span.end_s])
            spoken[lo:hi] = True
        active += spoken
    return active >= 2


def overlap_detection(
    reference: SpeakerTimeline, hypothesis: SpeakerTimeline, *, frame_s: float = 0.01
) -> Detection:
    """Overlapped speech found in both, in the reference and in the hypothesis, in seconds.

    Speaker identities do not matter here: only whether two or more speak at once.
    """
    num_frames = int(np.ceil(max(reference.end_s, hypothesis.end_s) / frame_s))
    ref = overlap_frames(reference, num_frames=num_frames, frame_s=frame_s)
    hyp = overlap_frames(hypothesis, num_frames=num_frames, frame_s=frame_s)
    return Detection(
        hits=float(np.sum(ref & hyp)) * frame_s,
        num_ref=float(np.sum(ref)) * frame_s,
        num_hyp=float(np.sum(hyp)) * frame_s,
    )
