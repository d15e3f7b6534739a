"""Analyses with a real recording for the report tests.

``sample_call``: the shared real sample call (wav + human RTTM) when ../shared is present.
``planted``: a timeline planted with :class:`TimelineBuilder` and a tone recording synthesized
to match it (each speaker a different pitch), always available.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from talkover.analysis import Analysis, analyze_timeline
from talkover.formats import read_annotation
from talkover.testing import SHARED_REAL, TimelineBuilder
from talkover.timeline import SpeakerTimeline

SAMPLE_CASE = SHARED_REAL / "pyannote_sample_call"


def planted_timeline() -> SpeakerTimeline:
    """Every event type at least once, three speakers, about 40 s."""
    b = TimelineBuilder()
    b.speak("Ann", 5.0).backchannel("Bob", at_s=1.5, duration_s=0.5)
    b.interruption("Bob", overlap_s=1.0, duration_s=6.0)
    b.failed_interruption("Ann", at_s=1.5, duration_s=1.5)
    b.overlap("Cy", overlap_s=0.3, duration_s=5.0).speak("Ann", 4.0)
    b.interruption("Cy", overlap_s=0.8, duration_s=4.0).backchannel("Bob", at_s=1.5)
    b.speak("Bob", 5.0).interruption("Ann", overlap_s=1.2, duration_s=5.0)
    return b.timeline(tail_s=2.0)


def write_tone_wav(timeline: SpeakerTimeline, path: Path, *, rate_hz: int = 16_000) -> Path:
    """A mono 16-bit WAV where each speaker hums their own pitch while they speak."""
    n = int(np.ceil(timeline.end_s * rate_hz))
    t = np.arange(n) / rate_hz
    out = np.zeros(n, dtype=np.float64)
    for i, speaker in enumerate(timeline.speakers):
        mask = np.zeros(n, dtype=bool)
        for span in timeline.speech_of(speaker):
            mask[int(span.start_s * rate_hz) : int(span.end_s * rate_hz)] = True
        out += mask * 0.25 * np.sin(2 * np.pi * (180 + 90 * i) * t)
    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(rate_hz)
        fh.writeframes((np.clip(out, -1, 1) * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture
def planted_analysis(tmp_path: Path) -> Analysis:
    timeline = planted_timeline()
    media = write_tone_wav(timeline, tmp_path / "planted.wav")
    return analyze_timeline(timeline, input_path="planted.rttm", media_path=str(media))


@pytest.fixture(params=["planted", "sample_call"])
def analysis_with_audio(request, tmp_path: Path) -> Analysis:
    """The planted analysis, and the real sample call when the shared data is present."""
    if request.param == "planted":
        return request.getfixturevalue("planted_analysis")
    if not SAMPLE_CASE.is_dir():
        pytest.skip(f"shared benchmark data not found at {SAMPLE_CASE} (only on team machines/CI)")
    rttm = SAMPLE_CASE / "pyannote_sample_call.rttm"
    return analyze_timeline(
        read_annotation(rttm), input_path=str(rttm),
        media_path=str(SAMPLE_CASE / "pyannote_sample_call.wav"),
    )
