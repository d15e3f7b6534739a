"""``talkover live``: usage errors and a missing device exit 2 before any model loads; a replayed
file gives the log, the audio and the offline record; Ctrl-C ends a session cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest
from scipy.io import wavfile

from talkover import read_annotation
from talkover.cli.main import main
from talkover.live.source import DeviceError, list_input_devices
from talkover.voices import VoiceProfile, save_profiles

REPO = Path(__file__).resolve().parents[2]


def _has_device() -> bool:
    try:
        return bool(list_input_devices())
    except DeviceError:  # PortAudio itself is missing: `make test` installs it
        return False


HAS_DEVICE = _has_device()
REQUIRED = {"t_s", "type", "by", "over", "onset_s", "wall_s"}


@pytest.mark.skipif(HAS_DEVICE, reason="this machine has an audio input")
def test_no_input_device_exits_2_with_a_clear_message(capsys) -> None:
    assert main(["live"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("talkover: error: no audio input device found")
    assert "--from FILE" in err
    assert main(["live", "--list-devices"]) == 2
    assert "no audio input device found" in capsys.readouterr().err
    assert main(["live", "--device", "USB"]) == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--speed", "2"], "--speed applies to --from FILE"),
        (["--from", "{sample}", "--speed", "-1"], "--speed must be 0"),
        (["--from", "{sample}", "--speed", "nan"], "--speed must be 0"),
        (["--from", "{sample}", "--me", "Ana"], "--me 'Ana': not a speaker"),
        (["--from", "{sample}", "--channels", "A,B", "--me", "C"], "--channels names: A, B"),
        (["--from", "{sample}", "-o", "{tmp}/x.mp3"], "unknown output format '.mp3'"),
        (["--from", "{sample}", "--no-offline", "-o", "{tmp}/x.json"], "only .wav outputs"),
        (["--from", "{sample}", "--channels", "A,,B"], "non-empty and unique"),
        (["--from", "{sample}", "--channels", "A,B,C"], "1 audio channel(s) but 3 speaker"),
        (["--from", "{sample}", "--enroll", "{tmp}/missing.npz"], "missing.npz"),
        (["--from", "{sample}", "--log", "{tmp}"], "is a directory"),
        (["--from", "{tmp}/missing.wav"], "missing.wav: no such file"),
        (["--from", "{sample}", "--alert-after", "-1"], "--alert-after must be"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, sample_call: Path, tmp_path: Path,
                             capsys) -> None:
    argv = [a.format(sample=sample_call, tmp=tmp_path) for a in argv]
    assert main(["live", *argv]) == 2
    assert message in capsys.readouterr().err


def test_me_must_be_an_enrolled_voice(sample_call: Path, tmp_path: Path, capsys) -> None:
    voices = tmp_path / "voices.npz"
    vector = np.ones(192, np.float32) / np.sqrt(192)
    save_profiles(voices, [VoiceProfile("Hilaria", vector, 5.0)])
    assert main(["live", "--from", str(sample_call), "--enroll", str(voices), "--me", "Alec"]) == 2
    assert "--enroll names: Hilaria" in capsys.readouterr().err


def _log(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_replayed_file_gives_the_log_the_audio_and_the_record(
    sample_call: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    argv = ["live", "--from", str(sample_call), "--speed", "0", "--view", "plain",
            "--log", str(out / "events.jsonl"), "-o", str(out / "session.wav"),
            "-o", str(out / "session.json"), "-o", str(out / "session.txt")]
    assert main(argv) == 0
    stdout = capsys.readouterr().out
    assert "floor  SPEAKER_00" in stdout and "live vs offline analysis" in stdout
    lines = _log(out / "events.jsonl")
    assert {line["type"] for line in lines[:-1]} <= {"alert", "floor", "event"}
    for line in lines[:-1]:
        if line["type"] in ("alert", "floor"):
            assert REQUIRED <= set(line)
        assert line["wall_s"] == line["t_s"] or line["wall_s"] >= line["onset_s"]
    assert [line["t_s"] for line in lines] == sorted(line["t_s"] for line in lines)
    summary = lines[-1]
    assert summary["type"] == "summary" and summary["duration_s"] == pytest.approx(30.0)
    assert summary["dropped_blocks"] == 0 and not summary["stopped"]
    assert set(summary["comparison"]["totals"]) >= {"interruption", "backchannel", "switch"}
    with wave.open(str(out / "session.wav")) as fh:
        assert fh.getnframes() == 30 * 16000 and fh.getnchannels() == 1
    timeline = read_annotation(out / "session.json")
    assert len(timeline.speakers) == 2
    assert "live vs offline" in (out / "session.txt").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [
        "events.jsonl", "session.json", "session.txt", "session.wav"]


def test_channels_replay(sample_call: Path, tmp_path: Path, capsys) -> None:
    from talkover.io import decode_audio

    call = decode_audio(sample_call).samples[: 15 * 16000]
    stereo = tmp_path / "two_mics.wav"
    pcm = (np.stack([call, np.roll(call, 4 * 16000) * 0.5], axis=1) * 32767).astype(np.int16)
    wavfile.write(stereo, 16000, pcm)
    argv = ["live", "--from", str(stereo), "--speed", "0", "--channels", "Ana,Bo", "--me", "Bo",
            "--view", "none", "--log", str(tmp_path / "log.jsonl"),
            "-o", str(tmp_path / "s.wav"), "-o", str(tmp_path / "s.rttm")]
    assert main(argv) == 0
    lines = _log(tmp_path / "log.jsonl")
    assert {line["by"] for line in lines if line["type"] == "floor"} <= {"Ana", "Bo"}
    with wave.open(str(tmp_path / "s.wav")) as fh:
        assert fh.getnchannels() == 2
    assert set(read_annotation(tmp_path / "s.rttm").speakers) == {"Ana", "Bo"}


@pytest.mark.slow
def test_ctrl_c_ends_the_session_and_writes_the_record(sample_call: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    argv = [sys.executable, "-m", "talkover", "live", "--from", str(sample_call), "--speed", "1",
            "--view", "plain", "--log", str(tmp_path / "log.jsonl"),
            "-o", str(tmp_path / "session.wav"), "-o", str(tmp_path / "session.json")]
    proc = subprocess.Popen(argv, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stderr is not None
    line = proc.stderr.readline()  # models loaded, listening
    assert "listening" in line, line
    time.sleep(3.0)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    assert "stopping; writing the record" in stderr
    with wave.open(str(tmp_path / "session.wav")) as fh:
        heard = fh.getnframes() / 16000
    assert 2.5 <= heard <= 5.0
    summary = _log(tmp_path / "log.jsonl")[-1]
    assert summary["type"] == "summary" and summary["stopped"] is True
    assert summary["duration_s"] == pytest.approx(heard, abs=0.01)
    assert (tmp_path / "session.json").is_file()
    assert "live vs offline" in stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "log.jsonl", "session.json", "session.wav"]
