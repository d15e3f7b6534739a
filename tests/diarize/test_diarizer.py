"""The real models on real audio (slow): the bundled 30 s call and edge cases."""

from __future__ import annotations

import numpy as np
import pytest

from talkover.errors import ConfigError
from talkover.formats.rttm import read_rttm
from talkover.io import Waveform

from .conftest import SAMPLE_RTTM

pytestmark = pytest.mark.slow


def _crop(waveform: Waveform, start_s: float, end_s: float) -> Waveform:
    rate = waveform.sample_rate_hz
    return Waveform(waveform.samples[int(start_s * rate) : int(end_s * rate)], rate, "crop.wav")


def test_short_clip_with_overlap_finds_two_speakers_and_the_overlap(diarizer, sample_waveform):
    # 12.5-22.5 s of the call (one 10 s window): Diane and Sheila alternate; Sheila's 0.44 s
    # "yeah" at 18.15 s
    # overlaps Diane (reference: speaker91 18.15-18.59 inside speaker90 18.05-21.49).
    tl = diarizer.diarize(_crop(sample_waveform, 12.5, 22.5))
    assert len(tl.speakers) == 2
    overlaps = tl.overlap_spans()
    assert any(o.start_s < 18.59 - 12.5 and o.end_s > 18.15 - 12.5 for o in overlaps), overlaps
    ref = read_rttm(SAMPLE_RTTM)
    for spk in tl.speakers:  # each hypothesis speaker is mostly one reference speaker
        hyp_frames = _frames(tl, spk, 10.0)
        best = max(_frames(ref, r, 10.0, offset=12.5) @ hyp_frames for r in ref.speakers)
        assert best >= 0.8 * hyp_frames.sum()


def _frames(tl, speaker, duration_s, offset=0.0):
    out = np.zeros(int(duration_s * 100))
    for seg in tl:
        if seg.speaker == speaker:
            a, b = (max(0, int((t - offset) * 100)) for t in (seg.start_s, seg.end_s))
            out[a:b] = 1
    return out


def test_whole_sample_call_matches_the_reference_count(diarizer, sample_waveform):
    tl = diarizer.diarize(sample_waveform)
    assert len(tl.speakers) == 2
    assert tl.segments[-1].end_s <= 30.0 + 1e-6
    assert sum(o.duration_s for o in tl.overlap_spans()) > 0.5  # reference: 1.9 s


def test_num_speakers_is_honoured(diarizer, sample_waveform):
    assert len(diarizer.diarize(sample_waveform, num_speakers=1).speakers) == 1
    three = diarizer.diarize(sample_waveform, min_speakers=3)
    assert len(three.speakers) >= 2  # a third cluster may win no frame, never fewer than 2
    with pytest.raises(ConfigError):
        diarizer.diarize(sample_waveform, min_speakers=3, max_speakers=2)


def test_silence_gives_an_empty_timeline(diarizer):
    tl = diarizer.diarize(Waveform(np.zeros(16_000 * 12, np.float32), 16_000, "silence.wav"))
    assert len(tl) == 0 and tl.duration_s == 12.0 and tl.uri == "silence"


def test_one_second_file_works(diarizer, sample_waveform):
    tl = diarizer.diarize(_crop(sample_waveform, 11.0, 12.0))
    assert tl.duration_s == 1.0
    assert all(0 <= s.start_s < s.end_s <= 1.0 for s in tl)
    assert len(tl.speakers) == 1


def test_progress_reaches_the_end(diarizer, sample_waveform):
    seen = []
    diarizer.diarize(sample_waveform, progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1] == (30.0, 30.0)


def test_worker_threads_give_the_sequential_result_and_leave_torch_threads_alone(
    diarizer, sample_waveform
):
    import torch

    from talkover.diarize import Diarizer
    from talkover.diarize.pipeline import DiarizationConfig

    before = torch.get_num_threads()
    one = Diarizer(DiarizationConfig(num_workers=1, segmentation_batch_size=2))
    parallel = Diarizer(DiarizationConfig(num_workers=2, segmentation_batch_size=2))
    a, b = one.diarize(sample_waveform), parallel.diarize(sample_waveform)
    assert a.segments == b.segments
    assert len(a.speakers) == 2
    assert torch.get_num_threads() == before
