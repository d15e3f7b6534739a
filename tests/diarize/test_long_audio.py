"""Long recordings are kept as float16 (half the memory) and diarize as well as float32."""

from __future__ import annotations

import numpy as np
import pytest

from talkover.evaluation import evaluate
from talkover.io import decode, decode_audio
from tests.diarize.conftest import SAMPLE_FLAC


def test_a_long_recording_is_decoded_to_float16(monkeypatch) -> None:
    short = decode_audio(SAMPLE_FLAC)
    monkeypatch.setattr(decode, "COMPACT_AFTER_S", 10.0)  # the sample call (30 s) is "long"
    compact = decode_audio(SAMPLE_FLAC)
    assert short.samples.dtype == np.float32 and compact.samples.dtype == np.float16
    assert len(compact.samples) == len(short.samples)
    assert np.max(np.abs(compact.samples.astype(np.float32) - short.samples)) < 1e-3


@pytest.mark.slow
def test_float16_samples_diarize_like_float32(diarizer, sample_waveform) -> None:
    from dataclasses import replace

    compact = replace(sample_waveform, samples=sample_waveform.samples.astype(np.float16))
    reference = diarizer.diarize(sample_waveform)
    result = evaluate(reference, diarizer.diarize(compact))
    assert result.diarization.der < 0.02


def test_silence_is_checked_without_a_full_size_copy() -> None:
    from talkover.diarize.pipeline import _is_silent

    quiet = np.zeros(3_000_000, np.float16)
    assert _is_silent(quiet, block=1 << 16)
    quiet[2_999_999] = 0.01
    assert not _is_silent(quiet, block=1 << 16)
