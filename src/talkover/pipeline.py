"""Media in, speaker timeline out: decode -> diarize -> clean.

The diarizer's timeline is cleaned of jitter (:func:`talkover.cleanup.clean_timeline`) before
events are detected from it; it is stamped as talkover's diarization (``provenance.kind`` is
``audio``), so :func:`talkover.analysis.analyze_timeline` gives its events a calibrated
``confidence`` (:mod:`talkover.events.confidence`).

The glue the ``talkover diarize`` and ``talkover analyze MEDIA`` commands call; importing it
loads no model (the :class:`~talkover.diarize.Diarizer` is built on first use or passed in).
"""

from __future__ import annotations

import os
from dataclasses import replace

from talkover.cleanup import MIN_ISLAND_S, clean_timeline, number_speakers
from talkover.diarize import Diarizer, ProgressCallback
from talkover.diarize.clustering import check_speaker_counts
from talkover.io import Waveform, decode_audio
from talkover.timeline import SpeakerTimeline

__all__ = ["diarize_media", "diarize_waveform"]


def diarize_media(
    path: str | os.PathLike[str],
    *,
    diarizer: Diarizer | None = None,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    progress: ProgressCallback | None = None,
    clean: bool = True,
) -> SpeakerTimeline:
    """Decode an audio/video file and diarize it (overlaps kept).

    With ``clean`` (the default) the timeline is cleaned of jitter as events need it
    (:func:`talkover.cleanup.clean_timeline`) and its speakers renumbered in order of first
    speech; ``clean=False`` gives the diarizer's own output. The timeline is stamped (kind
    ``audio``: :func:`~talkover.analysis.analyze_timeline` gives its events a confidence).

    Raises
    ------
    ConfigError
        When the speaker counts contradict each other (checked before decoding).
    DecodeError
        When the file cannot be decoded.
    ModelError
        When the packaged weights are missing or corrupt.
    """
    check_speaker_counts(num_speakers, min_speakers, max_speakers)
    return diarize_waveform(
        decode_audio(path), diarizer=diarizer, num_speakers=num_speakers,
        min_speakers=min_speakers, max_speakers=max_speakers, progress=progress, clean=clean,
    )


def diarize_waveform(
    waveform: Waveform,
    *,
    diarizer: Diarizer | None = None,
    num_speakers: int | None = None,
    min_speakers: int | None = None,
    max_speakers: int | None = None,
    progress: ProgressCallback | None = None,
    clean: bool = True,
) -> SpeakerTimeline:
    """:func:`diarize_media` of an already decoded recording.

    Raises
    ------
    ConfigError
        When the speaker counts contradict each other (checked before a model loads).
    ModelError
        When the packaged weights are missing or corrupt.
    """
    check_speaker_counts(num_speakers, min_speakers, max_speakers)
    timeline = (diarizer or Diarizer()).diarize(
        waveform, num_speakers=num_speakers, min_speakers=min_speakers,
        max_speakers=max_speakers, progress=progress,
    )
    if not clean:
        return timeline
    cleaned = number_speakers(clean_timeline(timeline, min_island_s=MIN_ISLAND_S))
    stamp = timeline.provenance
    if stamp is not None:
        settings = tuple(sorted((*stamp.settings, ("clean_min_island_s", MIN_ISLAND_S))))
        cleaned = cleaned.stamped(replace(stamp, settings=settings))
    return cleaned

