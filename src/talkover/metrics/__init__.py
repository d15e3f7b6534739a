"""Turns + events -> per-speaker figures and the who-over-whom matrix."""

from talkover.metrics.matrix import EventMatrix, build_matrix
from talkover.metrics.speakers import SpeakerStats, compute_speaker_stats

__all__ = ["SpeakerStats", "compute_speaker_stats", "EventMatrix", "build_matrix"]
