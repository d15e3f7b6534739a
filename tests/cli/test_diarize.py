from __future__ import annotations

import json
import wave
from pathlib import Path

import numpy as np
import pytest

from talkover.cli.main import main
from talkover.formats.rttm import read_rttm

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "pyannote_sample_call.flac"


def _wav(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes((samples * 32767).astype("<i2").tobytes())
    return path


@pytest.mark.slow
def test_diarize_writes_rttm_with_the_requested_count(tmp_path):
    out = tmp_path / "call.rttm"
    assert main(["diarize", str(SAMPLE), "-o", str(out), "--num-speakers", "2", "-q"]) == 0
    timeline = read_rttm(out)
    assert len(timeline.speakers) == 2 and timeline.uri == "pyannote_sample_call"


@pytest.mark.slow
def test_analyze_silent_media_gives_an_empty_analysis(tmp_path, capsys):
    silent = _wav(tmp_path / "silent.wav", np.zeros(16_000 * 2))
    assert main(["analyze", str(silent), "--json", "-q"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["events"] == [] and result["segments"] == []
    assert result["input"]["media_path"] == str(silent)


def test_undecodable_media_exits_2_naming_the_file(tmp_path, capsys):
    bad = tmp_path / "broken.mp3"
    bad.write_bytes(b"this is not audio")
    assert main(["diarize", str(bad), "-q"]) == 2
    assert "broken.mp3" in capsys.readouterr().err


def test_diarize_refuses_an_unwritable_output_before_decoding(tmp_path, capsys):
    bad = tmp_path / "broken.mp3"
    bad.write_bytes(b"this is not audio")
    (tmp_path / "notes").write_text("")
    out = tmp_path / "notes" / "call.rttm"
    assert main(["diarize", str(bad), "-o", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert f"{out}: {out.parent} is a file, expected a folder" in err and "Traceback" not in err


def test_diarize_creates_a_missing_output_folder(tmp_path, capsys):
    silent = _wav(tmp_path / "silent.wav", np.zeros(16_000))
    out = tmp_path / "missing" / "call.rttm"
    assert main(["diarize", str(silent), "-o", str(out), "-q"]) == 0
    assert out.read_text() == ""


def test_diarize_says_an_annotation_is_no_recording(tmp_path, capsys):
    rttm = tmp_path / "call.rttm"
    rttm.write_text("SPEAKER call 1 0.0 5.0 <NA> <NA> A <NA> <NA>\n")
    assert main(["diarize", str(rttm)]) == 2
    assert (f"{rttm}: is an annotation (.rttm), expected an audio or video file to diarize; "
            f"talkover analyze {rttm} reads it as it is") in capsys.readouterr().err


def test_a_folder_as_media_is_said_to_be_one(tmp_path, capsys):
    rttm = tmp_path / "call.rttm"
    rttm.write_text("SPEAKER call 1 0.0 5.0 <NA> <NA> A <NA> <NA>\n")
    assert main(["analyze", str(rttm), "--media", str(tmp_path)]) == 2
    assert (f"{tmp_path}: is a directory, expected an audio or video file (--media)"
            in capsys.readouterr().err)


def test_diarize_refuses_a_non_rttm_output(tmp_path, capsys):
    assert main(["diarize", str(SAMPLE), "-o", str(tmp_path / "x.txt")]) == 2
    assert "x.txt" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["diarize", "analyze"])
@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--num-speakers", "0"], "--num-speakers must be >= 1, got 0"),
        (["--min-speakers", "3", "--max-speakers", "2"],
         "--min-speakers (3) must be <= --max-speakers (2)"),
        (["--num-speakers", "4", "--max-speakers", "3"],
         "--num-speakers (4) must be <= --max-speakers (3)"),
        (["--num-speakers", "1", "--min-speakers", "2"],
         "--min-speakers (2) must be <= --num-speakers (1)"),
    ],
)
def test_impossible_speaker_counts_exit_2_before_decoding(tmp_path, capsys, command, flags,
                                                          expected):
    missing = tmp_path / "missing.wav"  # decoding it would fail: the counts must fail first
    assert main([command, str(missing), "-q", *flags]) == 2
    err = capsys.readouterr().err
    assert expected in err and "missing.wav" not in err
