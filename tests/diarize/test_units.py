"""Model-free tests of the diarizer's stages: windows, clustering, reconstruction, config."""

from __future__ import annotations

import numpy as np
import pytest

from talkover.diarize import DiarizationConfig
from talkover.diarize.clustering import check_speaker_counts, cluster_speakers
from talkover.diarize.reconstruct import aggregate_activity, binarize, to_timeline
from talkover.diarize.segmentation import FRAME_STEP_SAMPLES, num_frames, window_starts
from talkover.errors import ConfigError


def test_window_geometry():
    assert num_frames(160_000) == 589
    assert list(window_starts(50_000, step_samples=40_000)) == [0]
    starts = window_starts(16_000 * 30, step_samples=148 * FRAME_STEP_SAMPLES)
    assert starts[-1] + 160_000 >= 16_000 * 30 > starts[-2] + 160_000


def _unit(v):
    v = np.asarray(v, np.float32)
    return v / np.linalg.norm(v)


def test_clustering_keeps_two_local_speakers_of_a_window_apart():
    a, b = _unit([1, 0.1, 0]), _unit([0.1, 1, 0])
    emb = np.full((4, 3, 3), np.nan, np.float32)
    emb[0, 0], emb[0, 1] = a, b
    emb[1, 0], emb[1, 1] = b, a
    emb[2, 0] = a
    emb[3, 2] = b
    reliable = ~np.isnan(emb[..., 0])
    out = cluster_speakers(emb, reliable, threshold=0.9, min_cluster_size=1)
    assert out[0, 0] != out[0, 1] and out[1, 0] != out[1, 1]
    assert out[0, 0] == out[1, 1] == out[2, 0] and out[0, 1] == out[1, 0] == out[3, 2]
    assert out[2, 1] == -1


def test_clustering_honours_the_requested_count():
    rng = np.random.default_rng(0)
    centres = [_unit(rng.standard_normal(8)) for _ in range(3)]
    emb = np.stack([[_unit(c + 0.05 * rng.standard_normal(8)) for c in centres]] * 6)
    reliable = np.ones(emb.shape[:2], bool)
    free = cluster_speakers(emb, reliable, threshold=0.9, min_cluster_size=1)
    assert len(np.unique(free)) == 3
    two = cluster_speakers(emb, reliable, threshold=0.9, min_cluster_size=1, num_speakers=2)
    assert len(np.unique(two)) == 2
    capped = cluster_speakers(emb, reliable, threshold=0.9, min_cluster_size=1, max_speakers=1)
    assert len(np.unique(capped)) == 1


@pytest.mark.parametrize("counts", [{"num_speakers": 1000}, {"min_speakers": 40}])
def test_asking_for_more_speakers_than_can_be_told_apart_is_said(caplog, counts):
    rng = np.random.default_rng(1)
    emb = np.array([[_unit(rng.standard_normal(8)) for _ in range(3)] for _ in range(6)])
    out = cluster_speakers(emb, np.ones(emb.shape[:2], bool), threshold=0.9,
                           min_cluster_size=1, **counts)
    asked = next(iter(counts.values()))
    assert len(np.unique(out)) == 18  # as many as there are embeddings, no more
    assert (f"{asked} speakers were asked for, but only 18 can be told apart: the recording "
            "gives 18 voice embedding(s)") in caplog.text


def test_reconstruction_keeps_overlap_where_the_windows_count_two():
    frames = 589
    act = np.zeros((1, frames, 3), np.float32)
    act[0, 100:300, 0] = 1
    act[0, 250:400, 1] = 1  # overlaps frames 250..299
    scores, count = aggregate_activity(
        act, np.array([0]), np.array([[0, 1, -1]]), num_speakers=2, edge_weighting=False
    )
    tl = to_timeline(
        binarize(scores, count), duration_s=10.0, uri="t",
        min_duration_on_s=0.1, min_duration_off_s=0.1,
    )
    assert tl.speakers == ("SPEAKER_00", "SPEAKER_01")
    (overlap,) = tl.overlap_spans()
    assert overlap.duration_s == pytest.approx(50 * FRAME_STEP_SAMPLES / 16_000, abs=0.02)


def test_short_backchannel_survives_binarization():
    act = np.zeros((1, 589, 3), np.float32)
    act[0, 50:500, 0] = 1
    act[0, 200:218, 1] = 1  # 18 frames = 0.30 s
    scores, count = aggregate_activity(
        act, np.array([0]), np.array([[0, 1, -1]]), num_speakers=2, edge_weighting=False
    )
    tl = to_timeline(binarize(scores, count), duration_s=10.0, uri="t",
                     min_duration_on_s=0.1, min_duration_off_s=0.1)
    (short,) = [s for s in tl if s.speaker == "SPEAKER_01"]
    assert short.duration_s == pytest.approx(0.30, abs=0.02)


@pytest.mark.parametrize(
    "kwargs", [{"window_step_s": 0.1}, {"threshold": 0}, {"min_cluster_size": 0},
               {"min_embedding_s": 2, "max_embedding_s": 1}, {"num_workers": -1}],
)
def test_config_rejects_out_of_range_values(kwargs):
    with pytest.raises(ConfigError):
        DiarizationConfig(**kwargs)


def test_workers_default_to_the_cores_at_most_four():
    assert 1 <= DiarizationConfig().workers <= 4
    assert DiarizationConfig(num_workers=3).workers == 3


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((0, None, None), "num_speakers must be >= 1, got 0"),
        ((None, None, -1), "max_speakers must be >= 1, got -1"),
        ((None, 3, 2), "min_speakers (3) must be <= max_speakers (2)"),
        ((1, 2, None), "min_speakers (2) must be <= num_speakers (1)"),
        ((4, 1, 3), "num_speakers (4) must be <= max_speakers (3)"),
    ],
)
def test_impossible_speaker_counts_are_refused(counts, expected):
    with pytest.raises(ConfigError) as err:
        check_speaker_counts(*counts)
    assert str(err.value) == expected


def test_media_pipeline_refuses_counts_before_decoding(tmp_path):
    from talkover.pipeline import diarize_media

    missing = tmp_path / "missing.wav"  # decoding it would raise DecodeError
    with pytest.raises(ConfigError, match="min_speakers \\(3\\) must be <= max_speakers \\(2\\)"):
        diarize_media(missing, min_speakers=3, max_speakers=2)
