"""``talkover analyze --channels`` / ``--tracks``."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.io import wavfile

from talkover.cli.main import main
from talkover.io import decode_audio

SR = 16000


def _stereo(path: Path, left: np.ndarray, right: np.ndarray) -> Path:
    wavfile.write(path, SR, (np.stack([left, right], axis=1) * 32767).astype(np.int16))
    return path


def test_channel_count_mismatch_is_a_usage_error(tmp_path: Path, capsys) -> None:
    wav = _stereo(tmp_path / "call.wav", np.zeros(SR), np.zeros(SR))
    assert main(["analyze", str(wav), "--channels", "Agent,Customer,Supervisor"]) == 2
    err = capsys.readouterr().err
    assert "call.wav" in err and "2 audio channel(s) but 3 speaker name(s)" in err


def test_usage_errors(tmp_path: Path, capsys) -> None:
    wav = _stereo(tmp_path / "call.wav", np.zeros(SR), np.zeros(SR))
    assert main(["analyze", "--tracks", str(wav), str(wav), "--track-names", "A"]) == 2
    assert "2 track(s) but 1 track name(s)" in capsys.readouterr().err
    assert main(["analyze", str(wav), "--tracks", str(wav)]) == 2
    assert main(["analyze", "--channels", "A,B"]) == 2
    assert main(["analyze", str(wav), "--channels", "A,B", "--track-names", "A,B"]) == 2
    assert "--track-names needs --tracks" in capsys.readouterr().err
    assert main(["analyze"]) == 2
    assert main(["analyze", str(wav), "--channels", "A,,B"]) == 2
    assert main(["analyze", "--tracks", str(tmp_path / "missing.wav")]) == 2


def test_name_errors_say_which_flag(tmp_path: Path, capsys) -> None:
    wav = _stereo(tmp_path / "call.wav", np.zeros(SR), np.zeros(SR))
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    same_stem = [str(_stereo(tmp_path / d / "a.wav", np.zeros(SR), np.zeros(SR)))
                 for d in ("x", "y")]
    cases = [
        ([str(wav), "--channels", "A,,B"],
         "--channels: speaker names must be non-empty and unique, got 'A', '', 'B'\n"),
        (["--tracks", str(wav), str(wav), "--track-names", "A,A"],
         "--track-names: speaker names must be non-empty and unique, got 'A', 'A'\n"),
        (["--tracks", str(wav), str(wav), "--track-names", "A"],
         "--track-names: 2 track(s) but 1 track name(s) (A); expected one name per track\n"),
        (["--tracks", *same_stem], "--tracks: track names must be non-empty and unique, "
         "got 'a', 'a' (name them with --track-names)\n"),
    ]
    for flags, expected in cases:
        assert main(["analyze", *flags]) == 2
        assert capsys.readouterr().err == f"talkover: error: {expected}"


@pytest.mark.slow
def test_stereo_call_and_tracks_give_the_same_speech(shared_real: Path, tmp_path, capsys) -> None:
    sources = shared_real / "pyannote_seriously_ami_1min" / "sources"
    if not sources.is_dir():
        pytest.skip(f"{sources} not found")
    agent = decode_audio(sources / "source3.wav").samples[: 8 * SR]  # FEE016 0.9-5.4 s
    customer = decode_audio(sources / "source1.wav").samples[: 8 * SR]  # FEE013
    wav = _stereo(tmp_path / "call.wav", agent, customer)
    assert main(["analyze", str(wav), "--channels", "Agent, Customer", "--json"]) == 0
    stereo = json.loads(capsys.readouterr().out)
    a, c = tmp_path / "agent.wav", tmp_path / "customer.wav"
    wavfile.write(a, SR, (agent * 32767).astype(np.int16))
    wavfile.write(c, SR, (customer * 32767).astype(np.int16))
    assert main(["analyze", "--tracks", str(a), str(c), "--json"]) == 0
    tracks = json.loads(capsys.readouterr().out)
    names = {s["speaker"] for s in stereo["segments"]}
    assert names == {"Agent", "Customer"}
    spans = [(s["start_s"], s["end_s"]) for s in stereo["segments"]]
    assert spans == [(s["start_s"], s["end_s"]) for s in tracks["segments"]]
    assert {s["speaker"] for s in tracks["segments"]} == {"agent", "customer"}


def test_every_multichannel_setting_has_a_flag(tmp_path: Path, capsys) -> None:
    from dataclasses import fields

    from talkover.cli.multichannel import _TUNING
    from talkover.multichannel import MultichannelConfig

    assert {field for _, field, _ in _TUNING} == {f.name for f in fields(MultichannelConfig)}
    wav = _stereo(tmp_path / "call.wav", np.zeros(SR), np.zeros(SR))
    # the flag reaches the config, whose validation makes it a usage error
    assert main(["analyze", str(wav), "--channels", "A,B", "--vad-onset", "0.2"]) == 2
    assert "offset <= onset" in capsys.readouterr().err
