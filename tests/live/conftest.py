from __future__ import annotations

from pathlib import Path

import pytest

from talkover.testing import SHARED_REAL
from talkover.testing.voices import VoiceBank, load_voice_bank

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "pyannote_sample_call.flac"
#: As tests/testing/conftest.py: enough voices for 4 speakers, quick to cut.
BANK_CASES = (
    "pyannote_seriously_ami_1min",
    "pyannote_sample_call",
    "ami_pyannote_debug_dev00",
    "ami_pyannote_debug_dev01",
    "ami_pyannote_debug_trn03",
)


@pytest.fixture(scope="session")
def diarizer():
    from talkover.diarize import Diarizer

    return Diarizer()


@pytest.fixture(scope="session")
def sample_call() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def voice_bank() -> VoiceBank:
    if not SHARED_REAL.is_dir():
        pytest.skip(f"shared benchmark data not found at {SHARED_REAL} (voices come from it)")
    return load_voice_bank(SHARED_REAL, cases=BANK_CASES)
