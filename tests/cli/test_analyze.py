from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from talkover.analysis import analyze_timeline
from talkover.cli import main
from talkover.errors import OutputError
from talkover.formats import read_annotation
from talkover.outputs import write_output
from talkover.testing import real_cases
from tests.conftest import real_case_params

FIXTURES = Path(__file__).resolve().parents[1] / "formats" / "fixtures"

RTTM = (
    "SPEAKER call 1 0.0 5.0 <NA> <NA> A <NA> <NA>\n"
    "SPEAKER call 1 4.0 4.0 <NA> <NA> B <NA> <NA>\n"
    "SPEAKER call 1 5.0 0.5 <NA> <NA> A <NA> <NA>\n"
)


@pytest.fixture
def rttm(tmp_path: Path) -> Path:
    path = tmp_path / "call.rttm"
    path.write_text(RTTM, encoding="utf-8")
    return path


def test_summary_to_stdout(rttm: Path, capsys) -> None:
    assert main(["analyze", str(rttm)]) == 0
    out = capsys.readouterr().out
    assert "B interrupted A once." in out
    assert ("thresholds: min_pause 0.3 s, backchannel_max 1 s, grace 0.5 s, silent_gap 0.2 s"
            in out.splitlines())


def test_summary_thresholds_show_the_silent_gap(rttm: Path, capsys) -> None:
    assert main(["analyze", str(rttm), "--silent-gap", "0.45"]) == 0
    assert "grace 0.5 s, silent_gap 0.45 s" in capsys.readouterr().out


def test_txt_output_is_the_printed_summary(rttm: Path, tmp_path: Path, capsys) -> None:
    assert main(["analyze", str(rttm)]) == 0
    printed = capsys.readouterr().out
    out = tmp_path / "summary.txt"
    assert main(["analyze", str(rttm), "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert out.read_text(encoding="utf-8") == printed


def test_outputs_by_extension(rttm: Path, tmp_path: Path, capsys) -> None:
    outs = [tmp_path / "r.json", tmp_path / "r.rttm", tmp_path / "events.csv"]
    args = ["analyze", str(rttm), "--grace", "0.2"]
    for out in outs:
        args += ["-o", str(out)]
    assert main(args) == 0
    assert capsys.readouterr().out == ""
    doc = json.loads(outs[0].read_text(encoding="utf-8"))
    assert doc["config"]["grace_s"] == 0.2
    assert outs[1].read_text().count("SPEAKER") == 3
    rows = list(csv.DictReader(outs[2].open(encoding="utf-8")))
    assert [r["type"] for r in rows] == [e["type"] for e in doc["events"]]


def test_json_flag_and_thresholds(rttm: Path, capsys) -> None:
    assert main(["analyze", str(rttm), "--json", "--grace", "2.0"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [e["type"] for e in doc["events"]] == ["overlap"]


def test_config_file_then_flags(rttm: Path, tmp_path: Path, capsys) -> None:
    toml = tmp_path / "t.toml"
    toml.write_text("[events]\ngrace_s = 2.0\nmin_pause_s = 0.1\n")
    assert main(["analyze", str(rttm), "--json", "--config", str(toml), "--grace", "0.4"]) == 0
    config = json.loads(capsys.readouterr().out)["config"]
    assert config == {"min_pause_s": 0.1, "backchannel_max_s": 1.0, "grace_s": 0.4,
                      "silent_gap_s": 0.2}


def test_silent_gap_flag(tmp_path: Path, capsys) -> None:
    vtt = tmp_path / "cut.vtt"
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:03.000\n<v A>Well what I wanted to\n\n"
                   "00:03.500 --> 00:05.000\n<v B>Yes.\n", encoding="utf-8")
    found = {}
    for gap in ("0.2", "0.6"):
        assert main(["analyze", str(vtt), "--json", "--silent-gap", gap]) == 0
        found[gap] = [e["type"] for e in json.loads(capsys.readouterr().out)["events"]]
    assert found == {"0.2": ["switch"], "0.6": ["silent_interruption"]}


def test_malformed_rttm_exits_2_with_path_and_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.rttm"
    path.write_text(RTTM + "SPEAKER call 1 x 1 <NA> <NA> A <NA> <NA>\n", encoding="utf-8")
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:4: expected a number of seconds for onset" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--grace", "-1"], "grace_s must be between 0 and 3600"),
        (["-o", "out.docx"], "unknown output format '.docx'"),
    ],
)
def test_bad_options_exit_2(rttm: Path, args: list[str], expected: str, capsys) -> None:
    assert main(["analyze", str(rttm), *args]) == 2
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        ("afile/r.csv", "afile/r.csv: {tmp}/afile is a file, expected a folder"),
        ("afile/sub/r.html", "afile/sub/r.html: {tmp}/afile is a file, expected a folder"),
        ("folder.json", "folder.json: is a directory, expected the name of a file"),
    ],
)
def test_unwritable_outputs_exit_2_naming_the_path(
    rttm: Path, tmp_path: Path, capsys, out: str, expected: str
) -> None:
    (tmp_path / "afile").write_text("")
    (tmp_path / "folder.json").mkdir()
    kept = tmp_path / "kept.json"
    kept.write_text("mine")
    new = tmp_path / "new" / "r.json"
    # the good outputs come first: nothing is written when any output is refused
    args = ["analyze", str(rttm), "-o", str(kept), "-o", str(new), "-o", str(tmp_path / out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected.format(tmp=tmp_path) in err and "Traceback" not in err
    assert kept.read_text() == "mine"
    assert not new.parent.exists()


@pytest.mark.parametrize("name", ["r.json", "r.txt", "r.png", "r.html"])
def test_missing_output_folders_are_created(
    rttm: Path, tmp_path: Path, capsys, name: str
) -> None:
    out = tmp_path / "results" / "call" / name
    assert main(["analyze", str(rttm), "-o", str(out)]) == 0
    assert out.stat().st_size > 0


def test_an_input_is_never_overwritten(tmp_path: Path, capsys) -> None:
    transcript = tmp_path / "call.json"
    shutil.copy(FIXTURES / "whisperx.json", transcript)
    before = transcript.read_bytes()
    assert main(["analyze", str(transcript), "-o", str(transcript)]) == 2
    assert f"{transcript}: is also an input of this run" in capsys.readouterr().err
    assert transcript.read_bytes() == before


def test_write_output_names_the_path_it_cannot_write(rttm: Path, tmp_path: Path) -> None:
    analysis = analyze_timeline(read_annotation(rttm))
    (tmp_path / "afile").write_text("")
    with pytest.raises(OutputError, match=r"afile/r\.json: .*afile is a file, expected a folder"):
        write_output(analysis, tmp_path / "afile" / "r.json")
    (tmp_path / "r.json").mkdir()
    with pytest.raises(OutputError, match=r"r\.json: cannot write \(Is a directory\)"):
        write_output(analysis, tmp_path / "r.json")


SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "pyannote_sample_call.flac"


@pytest.mark.parametrize(
    "counts", [["--num-speakers", "5"], ["--num-speakers", "0"], ["--min-speakers", "2"]]
)
def test_speaker_counts_are_refused_for_an_annotation(
    rttm: Path, capsys, counts: list[str]
) -> None:
    assert main(["analyze", str(rttm), *counts]) == 2
    err = capsys.readouterr().err
    assert f"{counts[0]} applies only when INPUT is an audio or video recording" in err
    assert f"{rttm} is read as an annotation" in err


@pytest.mark.parametrize(
    "inputs",
    [[str(SAMPLE), "--channels", "Agent,Customer"], ["--tracks", str(SAMPLE), str(SAMPLE)]],
)
def test_speaker_counts_are_refused_for_multichannel_input(capsys, inputs: list[str]) -> None:
    assert main(["analyze", *inputs, "--num-speakers", "2", "--max-speakers", "3"]) == 2
    err = capsys.readouterr().err
    assert "--num-speakers and --max-speakers apply only when INPUT is an audio or video" in err
    assert "each channel or track is a speaker" in err


def test_unknown_config_key(rttm: Path, tmp_path: Path, capsys) -> None:
    toml = tmp_path / "t.toml"
    toml.write_text("[events]\ngrase_s = 2.0\n")
    assert main(["analyze", str(rttm), "--config", str(toml)]) == 2
    assert "unknown event setting(s) grase_s; valid:" in capsys.readouterr().err


def test_empty_file_gives_valid_empty_analysis(tmp_path: Path, capsys) -> None:
    path = tmp_path / "empty.rttm"
    path.write_text("")
    assert main(["analyze", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["speakers"] == [] and doc["events"] == []


def test_help_says_the_speaker_counts_are_for_recordings(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["analyze", "--help"])
    before, after = capsys.readouterr().out.split(
        "diarization (only when INPUT is an audio or video recording):\n"
    )
    diarization = after.split("\n\n")[0]
    for flag in ("--num-speakers N", "--min-speakers N", "--max-speakers N"):
        assert flag in diarization
    assert "-q, --quiet" in before  # it also silences the 'wrote FILE' lines of any input


@pytest.mark.parametrize("module", ["talkover.cli", "talkover"])
def test_console_script_runs(rttm: Path, module: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", module, "analyze", str(rttm), "--json"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["speakers"][0]["id"] == "A"


@pytest.mark.parametrize("case", real_case_params(), ids=lambda p: p.name)
def test_every_shared_case(case: Path, capsys) -> None:
    rttm = case / f"{case.name}.rttm"
    assert main(["analyze", str(rttm), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    labels = {line.split()[7] for line in rttm.read_text(encoding="utf-8").splitlines() if line}
    assert {s["id"] for s in doc["speakers"]} == labels
    assert sum(s["talk_share"] for s in doc["speakers"]) == pytest.approx(1.0, abs=1e-5)


def test_shared_cases_present_or_skip(shared_real: Path) -> None:
    assert len(real_cases()) >= 1
    labels = {line.split()[7] for p in real_cases()
              for line in (p / f"{p.name}.rttm").read_text(encoding="utf-8").splitlines() if line}
    assert "MÉO069" in labels
