"""The voice bank cut from the shared real recordings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from talkover.errors import InputError
from talkover.testing.voices import PAD_S, VoiceBank, load_voice_bank


def test_clean_tracks_are_matched_to_their_reference_speakers(voice_bank: VoiceBank) -> None:
    sources = {c.source.split("@")[0] for v in voice_bank.voices for c in v.clips}
    seriously = {s.split(":")[1] for s in sources if s.startswith("pyannote_seriously")}
    assert seriously == {"FEE013", "FEE016", "MEE014", "MEO015"}
    # FEE016 opens the meeting (0-5.29 s in the reference): its clips start there.
    starts = [float(c.source.split("@")[1]) for c in voice_bank.voice("FEE016").clips]
    assert min(starts) < 5.3


def test_every_clip_is_one_unit_of_speech_inside_its_samples(voice_bank: VoiceBank) -> None:
    for voice in voice_bank.voices:
        for clip in voice.clips:
            assert clip.max_pause_s < voice_bank.max_pause_s
            assert clip.speech_start_s == pytest.approx(PAD_S, abs=1e-3)
            assert clip.speech_end_s <= len(clip.samples) / voice_bank.sample_rate_hz + 1e-9
            assert clip.samples.dtype == np.float32
            assert 0.2 <= clip.duration_s


def test_bank_has_turns_and_backchannels(voice_bank: VoiceBank) -> None:
    longs = [v.name for v in voice_bank.voices if len(v.clips_between(2.4, 60)) >= 2]
    shorts = [v.name for v in voice_bank.voices if v.clips_between(0.2, 0.85)]
    assert len(longs) >= 4
    assert {"FEE013", "FEE016", "MEO015"} <= set(shorts)
    # Voices are keyed by RTTM label: MEE009 speaks in dev00 and dev01.
    cases = {c.source.split(":")[0] for c in voice_bank.voice("MEE009").clips}
    assert cases == {"ami_pyannote_debug_dev00", "ami_pyannote_debug_dev01"}


def test_a_folder_without_cases_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no case folder"):
        load_voice_bank(tmp_path)
    (tmp_path / "x").mkdir()
    with pytest.raises(InputError, match="expected x.rttm and x.wav"):
        load_voice_bank(tmp_path, cases=["x"])
