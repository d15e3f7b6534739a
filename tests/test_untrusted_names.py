"""Names anyone can write (speaker names, file names, transcripts) reach other programs safely
(issue 18): terminals get control characters as visible escapes, spreadsheets get no formula,
subtitle players get text (never a tag), XML stays well-formed, matplotlib draws ``$`` as a
dollar, and each of these reads back as it was written."""

from __future__ import annotations

import csv
import json
import logging
import re
import xml.parsers.expat
from pathlib import Path

import pytest

from talkover.analysis import analyze_timeline
from talkover.cli import main
from talkover.formats import read_annotation
from talkover.outputs import write_outputs
from talkover.timeline import SpeakerTimeline

ESCAPE = "Ann\x1b]0;owned\x07\x1b[31m"  # sets the terminal's title, then red text
FORMULA = "=cmd|' /C calc'!A0"


def _json_input(tmp_path: Path, names: list[str], text: str | None = None) -> Path:
    """A talkover JSON where the speakers interrupt each other in turn (so that events, the
    event CSV and the NOTE blocks carry the names too)."""
    segments = [
        {"start_s": 4.0 * i, "end_s": 4.0 * i + 5.0, "speaker": name, "text": text}
        for i, name in enumerate(names * 2)
    ]
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"segments": segments}), encoding="utf-8")
    return path


def test_the_summary_and_messages_escape_control_characters(tmp_path: Path, capsys) -> None:
    path = _json_input(tmp_path, [ESCAPE, "B"])
    assert main(["analyze", str(path), "-o", str(tmp_path / "s.txt")]) == 0
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "Ann\\x1b]0;owned\\x07\\x1b[31m interrupted B" in out
    assert (tmp_path / "s.txt").read_text(encoding="utf-8") == out
    bad = tmp_path / "x\x1b[2Jy.rttm"  # a file name that would clear the screen
    assert main(["analyze", str(bad)]) == 2
    assert "x\\x1b[2Jy.rttm: no such file" in capsys.readouterr().err


def test_json_on_stdout_escapes_c1_controls(tmp_path: Path, capsys) -> None:
    path = _json_input(tmp_path, ["A\x9b31m", "B"])  # U+009B: CSI on 8-bit terminals
    assert main(["analyze", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert "\x9b" not in out and "A\\u009b31m" in out
    assert json.loads(out)["segments"][0]["speaker"] == "A\x9b31m"


def test_csv_cells_never_start_a_formula_and_read_back(tmp_path: Path) -> None:
    names = [FORMULA, "+1+1", "@SUM(A1)", "'=quoted", "-1.5"]
    analysis = analyze_timeline(read_annotation(_json_input(tmp_path, names, text="=2+2")))
    write_outputs(analysis, [tmp_path / "s.csv", tmp_path / "events.csv",
                             tmp_path / "speakers.csv"])
    for table in ("s.csv", "events.csv", "speakers.csv"):
        with open(tmp_path / table, encoding="utf-8", newline="") as f:
            cells = [c for row in csv.reader(f) for c in row]
        formulas = [c for c in cells if c[:1] in ("=", "+", "@") or c.startswith("-") and
                    not c.lstrip("-").replace(".", "").isdigit()]
        assert formulas == [], table
    assert "-1.5" in cells  # a number stays a number
    back = read_annotation(tmp_path / "s.csv")
    assert set(back.speakers) == set(names)
    assert {s.text for s in back} == {"=2+2"}


@pytest.mark.parametrize("kind", ["vtt", "srt"])
def test_subtitles_escape_names_and_text(tmp_path: Path, kind: str) -> None:
    names = ["<script>", "a & b", "line\nbreak", "x" * 60, "a:b", "[x]y"]
    text = "<b>bold</b> --> &amp;\nsecond line"
    analysis = analyze_timeline(read_annotation(_json_input(tmp_path, names, text=text)))
    out = tmp_path / f"out.{kind}"
    write_outputs(analysis, [out])
    written = out.read_text(encoding="utf-8")
    assert "<script>" not in written and "<b>" not in written
    back = read_annotation(out)
    assert [(s.speaker, s.text) for s in back] == [(s.speaker, s.text) for s in analysis.timeline]


def test_eaf_stays_well_formed_xml(tmp_path: Path, caplog) -> None:
    analysis = analyze_timeline(read_annotation(_json_input(tmp_path, ["A\x00B", "C"], "x\x01")))
    out = tmp_path / "out.eaf"
    with caplog.at_level(logging.WARNING):
        write_outputs(analysis, [out])
    xml.parsers.expat.ParserCreate().Parse(out.read_bytes(), True)  # raises if not XML
    assert re.search(r"ELAN output: wrote \d+ character\(s\) XML cannot hold", caplog.text)
    assert read_annotation(out).speakers == ("A\ufffdB", "C")


def test_rttm_and_cha_writers_keep_one_field_per_name(tmp_path: Path) -> None:
    analysis = analyze_timeline(read_annotation(_json_input(tmp_path, ["A B\nC", "D,E"])))
    write_outputs(analysis, [tmp_path / "out.rttm", tmp_path / "out.cha"])
    assert read_annotation(tmp_path / "out.rttm").speakers == ("A_B_C", "D,E")
    from talkover.formats.cha import read_cha

    assert read_cha(tmp_path / "out.cha", speaker_names="name").speakers == ("A_B_C", "D_E")


def test_figure_draws_dollar_names(tmp_path: Path) -> None:
    timeline = SpeakerTimeline.from_tuples([(0, 5, "$x^$"), (4, 8, "$\\frac{a}$")],
                                           uri="$oops$")
    write_outputs(analyze_timeline(timeline), [tmp_path / "f.png", tmp_path / "f.svg"])
    assert (tmp_path / "f.png").stat().st_size > 1000
    assert "$x^$" in (tmp_path / "f.svg").read_text(encoding="utf-8")
