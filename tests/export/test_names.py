"""Formats with one label per speaker write a named speaker by name; the JSON keeps id and
name; names that would not tell speakers apart leave the ids."""

from __future__ import annotations

import csv
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from talkover import analyze, read_analysis, read_annotation
from talkover.cast import Cast
from talkover.cli import main
from talkover.export.names import by_name
from talkover.formats.rttm import write_rttm
from talkover.timeline import SpeakerTimeline

TIMELINE = SpeakerTimeline.from_tuples(
    [(0, 5, "S0"), (4, 8, "S1"), (8.5, 12, "S0"), (11.5, 12.2, "S1"), (13, 16, "S1")],
    uri="call")


@pytest.fixture
def rttm(tmp_path: Path) -> Path:
    path = tmp_path / "call.rttm"
    write_rttm(TIMELINE, path)
    return path


def test_every_speaker_format_names_the_speakers(rttm: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    outputs = ["x.rttm", "x.eaf", "x.TextGrid", "x.cha", "x.vtt", "x.srt", "x.csv"]
    argv = ["analyze", str(rttm), "--speakers", "Ann Lee,Bob", "--quiet"]
    for name in [*outputs, "x.events.csv", "x.speakers.csv", "x.json"]:
        argv += ["-o", str(out / name)]
    assert main(argv) == 0
    # RTTM fields cannot hold a space; CHAT speakers are codes made from the names
    expected = {".rttm": {"Ann_Lee", "Bob"}, ".cha": {"ANN", "BOB"}}
    for name in outputs:
        speakers = set(read_annotation(out / name).speakers)
        assert speakers == expected.get(Path(name).suffix, {"Ann Lee", "Bob"}), name
    with open(out / "x.events.csv", newline="", encoding="utf-8") as f:
        events = list(csv.DictReader(f))
    assert events and {e["by"] for e in events} | {e["of"] for e in events} <= {"Ann Lee", "Bob"}
    with open(out / "x.speakers.csv", newline="", encoding="utf-8") as f:
        speakers = list(csv.DictReader(f))
    assert [(s["speaker"], s["name"]) for s in speakers] == [("S0", "Ann Lee"), ("S1", "Bob")]
    analysis = read_analysis(out / "x.json")  # the JSON keeps both
    assert [(s.id, s.name) for s in analysis.speakers] == [("S0", "Ann Lee"), ("S1", "Bob")]
    assert set(analysis.timeline.speakers) == {"S0", "S1"}


def test_an_unnamed_analysis_is_written_as_it_is(rttm: Path) -> None:
    analysis = analyze(rttm)
    assert by_name(analysis) is analysis


def test_names_that_would_not_tell_speakers_apart_leave_the_ids(caplog) -> None:
    three = SpeakerTimeline.from_tuples([(0, 2, "A"), (2.5, 4, "B"), (5, 6, "C")])
    analysis = analyze(three, cast=Cast.from_names("B,C,A"))  # names that are ids, rotated
    assert by_name(analysis).timeline.speakers == ("B", "C", "A")  # still apart: by name
    only_a = replace(analysis, speakers=(analysis.speakers[0], *(
        replace(s, name=None) for s in analysis.speakers[1:])))  # A named B, beside B
    with caplog.at_level(logging.WARNING, logger="talkover.export.names"):
        assert by_name(only_a) is only_a
    assert "would not tell them apart" in caplog.text
