from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE_FLAC = REPO / "data" / "samples" / "pyannote_sample_call.flac"
SAMPLE_RTTM = REPO / "data" / "samples" / "pyannote_sample_call.rttm"


@pytest.fixture(scope="session")
def diarizer():
    from talkover.diarize import Diarizer

    return Diarizer()


@pytest.fixture(scope="session")
def sample_waveform():
    from talkover.io import decode_audio

    return decode_audio(SAMPLE_FLAC)
