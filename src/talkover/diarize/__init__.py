"""Overlap-aware speaker diarization: Waveform -> SpeakerTimeline.

>>> from talkover.diarize import Diarizer, DiarizationConfig  # doctest: +SKIP
"""

from talkover.diarize.pipeline import DiarizationConfig, Diarizer, ProgressCallback

__all__ = ["DiarizationConfig", "Diarizer", "ProgressCallback"]
