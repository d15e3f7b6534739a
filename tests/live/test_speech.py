"""SpeechTrack: the offline clean-up rules (bridge short gaps, drop short runs, drop short bursts
first for multichannel), applied frame by frame, and what is certain at each moment."""

from __future__ import annotations

import numpy as np

from talkover.diarize.segmentation import FRAME_SIZE_SAMPLES, FRAME_STEP_SAMPLES
from talkover.live.activity import SEGMENTATION_GRID, VAD_GRID
from talkover.live.speech import Smoothing, SpeechTrack
from talkover.multichannel import MultichannelConfig
from talkover.multichannel.pipeline import _close_pauses, _drop_short
from talkover.multichannel.vad import VAD_HOP_S


def _frames(pattern: str) -> np.ndarray:
    return np.array([c == "#" for c in pattern], bool)


def _run(pattern: str, smoothing: Smoothing, *, chunk: int = 1):
    track = SpeechTrack(smoothing)
    frames = _frames(pattern)
    closed, updates = [], []
    for first in range(0, len(frames), chunk):
        update = track.push(frames[first : first + chunk], first_frame=first)
        closed += update.closed
        updates.append(update)
    return closed + track.finish(), updates


def test_bridge_and_drop() -> None:
    rules = Smoothing(min_burst=0, bridge=3, min_speech=4)
    closed, _ = _run("####..###.....##.....#####", rules)
    assert closed == [(0, 9), (21, 26)]  # gap of 2 bridged; the 2-frame run dropped


def test_short_bursts_go_before_bridging() -> None:
    rules = Smoothing(min_burst=3, bridge=4, min_speech=5)
    # the 2-frame burst is dropped first, so the gap before the 4-frame run is too long to
    # bridge, and that run alone is too short
    assert _run("#####.##..####......", rules)[0] == [(0, 5)]
    assert _run("#####.###.####......", rules)[0] == [(0, 14)]


def test_same_as_the_multichannel_masks() -> None:
    """The rules of talkover.multichannel.pipeline.speech_masks, on random masks."""
    rng = np.random.default_rng(1)
    rules = Smoothing(min_burst=5, bridge=31, min_speech=6)
    for _ in range(30):
        mask = np.repeat(rng.random(80) < 0.5, rng.integers(1, 12, 80))
        expected = _drop_short(_close_pauses(_drop_short(mask, 5), 31), 6)
        edges = np.diff(np.r_[0, expected.astype(np.int8), 0])
        runs = list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(),
                        strict=True))
        pattern = "".join("#" if x else "." for x in mask)
        assert _run(pattern, rules, chunk=9)[0] == runs


def test_certainty_grows_with_the_frames() -> None:
    rules = Smoothing(min_burst=0, bridge=3, min_speech=4)
    _, updates = _run("..######.......", rules)
    # frame 4 is the 3rd of the run: not yet visible; from frame 5 on the run is certain
    assert updates[4].open_run is None and updates[4].earliest_new == 2
    assert updates[5].open_run == (2, 6) and updates[5].earliest_new == 6
    # after 3 silent frames the run can no longer be bridged: closed
    assert updates[10].closed == [(2, 8)] and updates[10].open_run is None


def test_chunking_does_not_matter() -> None:
    rng = np.random.default_rng(0)
    pattern = "".join("#" if x else "." for x in rng.random(400) < 0.6)
    rules = Smoothing(min_burst=2, bridge=5, min_speech=6)
    reference, _ = _run(pattern, rules)
    for chunk in (2, 7, 30, 400):
        assert _run(pattern, rules, chunk=chunk)[0] == reference


def test_rules_in_frames() -> None:
    assert (SEGMENTATION_GRID.step_s, SEGMENTATION_GRID.origin_s) == (
        FRAME_STEP_SAMPLES / 16000, (FRAME_SIZE_SAMPLES // 2) / 16000)
    # 0.1 s is 5.93 frames: gaps of 5 frames are bridged, 6 are not; runs of 12 frames
    # (0.2025 s) are kept, 11 (0.186 s) are dropped, as clean_timeline's 0.2 s
    assert Smoothing.for_diarizer(SEGMENTATION_GRID) == Smoothing(min_burst=0, bridge=6,
                                                                 min_speech=12)
    config = MultichannelConfig()
    rules = Smoothing.for_channels(min_burst_s=config.min_burst_s,
                                   min_pause_s=config.min_pause_s,
                                   min_segment_s=config.min_segment_s, hop_s=VAD_HOP_S)
    assert rules == Smoothing(min_burst=5, bridge=31, min_speech=6)
    assert VAD_GRID.start_s(10) == 10 * VAD_HOP_S
