"""Media in, analysis out: decode -> diarize -> turn-taking events.

The glue the ``talkover diarize`` and ``talkover analyze MEDIA`` commands call; importing it
loads no model (the :class:`~talkover.diarize.Diarizer` is built on first use or passed in).
"""

from __future__ import annotations

import os

from talkover.analysis import Analysis, analyze_timeline
from talkover.config import EventConfig
from talkover.diarize import Diarizer, ProgressCallback
from talkover.io import decode_audio
from talkover.timeline import SpeakerTimeline

__all__ = ["diarize_media", "analyze_media"]


def diarize_media(
    path: str | os.PathLike[str],
    *,
    diarizer: Diarizer | None = None,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    progress: ProgressCallback | None = None,
) -> SpeakerTimeline:
    """Decode an audio/video file and diarize it (overlaps kept).

    Raises
    ------
    DecodeError
        When the file cannot be decoded.
    ModelError
        When the packaged weights are missing or corrupt.
    """
    waveform = decode_audio(path)
    return (diarizer or Diarizer()).diarize(
        waveform, num_speakers=num_speakers, min_speakers=min_speakers,
        max_speakers=max_speakers, progress=progress,
    )


def analyze_media(
    path: str | os.PathLike[str],
    *,
    config: EventConfig | None = None,
    diarizer: Diarizer | None = None,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    progress: ProgressCallback | None = None,
) -> Analysis:
    """Decode, diarize and analyse a recording; the result records it as ``media_path``."""
    timeline = diarize_media(
        path, diarizer=diarizer, num_speakers=num_speakers, min_speakers=min_speakers,
        max_speakers=max_speakers, progress=progress,
    )
    return analyze_timeline(
        timeline, config=config, input_path=str(path), media_path=str(path)
    )
