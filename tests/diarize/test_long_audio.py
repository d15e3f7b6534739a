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


def test_past_max_clustered_a_spread_subset_founds_the_clusters(monkeypatch) -> None:
    from talkover.diarize import clustering

    rng = np.random.default_rng(0)
    centres = rng.normal(size=(3, 192))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    truth = rng.integers(0, 3, size=(600, 1))  # one local speaker per window
    embeddings = centres[truth[:, 0]][:, None, :] + rng.normal(scale=0.05, size=(600, 1, 192))
    embeddings /= np.linalg.norm(embeddings, axis=2, keepdims=True)
    reliable = np.ones((600, 1), bool)
    full = clustering.cluster_speakers(embeddings, reliable, threshold=1.0, min_cluster_size=2)
    monkeypatch.setattr(clustering, "MAX_CLUSTERED", 50)
    subset = clustering.cluster_speakers(embeddings, reliable, threshold=1.0, min_cluster_size=2)
    assert len(np.unique(full)) == len(np.unique(subset)) == 3
    # the same partition (cluster numbers may differ)
    pairs = {(int(a), int(b)) for a, b in zip(full[:, 0], subset[:, 0], strict=True)}
    assert len(pairs) == 3
