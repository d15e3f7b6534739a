"""``talkover analyze`` reads every format by extension and writes every output format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from talkover.cli import main
from tests.formats.helpers import FIXTURES

INPUTS = ["praat_long.TextGrid", "praat_short.TextGrid", "elan.eaf", "interview.cha",
          "meeting.vtt", "meeting.srt", "segments.csv", "whisperx.json", "pyannote.json"]


@pytest.mark.parametrize("name", INPUTS)
def test_analyze_reads_each_format(name: str, capsys) -> None:
    assert main(["analyze", str(FIXTURES / name), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["speakers"]) >= 2
    assert sum(s["talk_share"] for s in doc["speakers"]) == pytest.approx(1.0, abs=1e-5)


def test_warnings_are_prefixed_like_errors(capsys) -> None:
    path = FIXTURES / "interview.cha"  # one utterance without a time bullet
    assert main(["analyze", str(path)]) == 0
    err = capsys.readouterr().err
    assert err == f"talkover: warning: {path}: skipped 1 utterance(s) without a time bullet\n"
    assert main(["analyze", str(path)]) == 0  # said once, however often main() runs
    assert capsys.readouterr().err.count("warning") == 1


def test_every_output_at_once(tmp_path: Path, capsys) -> None:
    names = ["r.TextGrid", "r.eaf", "r.cha", "r.vtt", "r.srt", "r.csv", "r.events.csv",
             "events.csv", "r.json"]
    args = ["analyze", str(FIXTURES / "whisperx.json")]
    for name in names:
        args += ["-o", str(tmp_path / name)]
    assert main(args) == 0
    assert capsys.readouterr().out == ""
    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert doc["segments"][1]["text"] == "No, no, the other one, the 2nd one."
    assert doc["segments"][1]["words"][0] == {"start_s": 2.6, "end_s": 2.9, "text": "No,"}
    assert doc["events"][1]["text_by"] == "Mm-hmm."
    segments = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert [r["speaker"] for r in segments] == [s["speaker"] for s in doc["segments"]]
    for name in ("r.events.csv", "events.csv"):  # a name ending in events.csv: the event list
        events = list(csv.DictReader((tmp_path / name).open(encoding="utf-8")))
        assert [r["type"] for r in events] == [e["type"] for e in doc["events"]]
        assert events[2]["text_by"] == "But why?"


def test_input_format_flag(tmp_path: Path, capsys) -> None:
    path = tmp_path / "captions.txt"
    path.write_bytes((FIXTURES / "meeting.vtt").read_bytes())
    assert main(["analyze", str(path), "--input-format", "vtt", "--json"]) == 0
    assert [s["id"] for s in json.loads(capsys.readouterr().out)["speakers"]] == ["Zoë", "MÉO069"]


def test_talkover_json_is_still_told_apart(tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.json"
    assert main(["analyze", str(FIXTURES / "elan.eaf"), "-o", str(out)]) == 0
    assert main(["analyze", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["segments"][0]["text"] == "so what I wanted to say was"


def test_summary_names_silent_interruptions(tmp_path: Path, capsys) -> None:
    path = tmp_path / "cut.csv"
    path.write_text("0,3,A,Well what I wanted to\n3.1,5,B,No.\n", encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert "B cut A off mid-sentence once (silent interruptions)." in out
    assert "1 silent_interruption" in out
