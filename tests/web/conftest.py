"""Files to upload: the planted conversation as RTTM with a tone recording to play with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from talkover.formats.rttm import write_rttm
from tests.report.conftest import write_tone_wav
from tests.review.conftest import planted_timeline


@pytest.fixture(scope="session")
def planted_files(tmp_path_factory) -> tuple[Path, Path]:
    """``(call.rttm, call.wav)``: Ann, Bob and Cy (tests/review/conftest.py), 34.5 s."""
    folder = tmp_path_factory.mktemp("planted")
    timeline = planted_timeline()
    rttm = folder / "call.rttm"
    write_rttm(timeline, rttm)
    return rttm, write_tone_wav(timeline, folder / "call.wav")
