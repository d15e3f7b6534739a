"""The CLI's contract on any input: exit 0 with strict JSON (and every -o written), or exit 2
naming the file with nothing written; no traceback, no NaN/Infinity. In-process for speed, and a
few real subprocess runs (a traceback or a crash at exit shows only there)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import talkover
from tests.fuzz.contract import (
    NASTY,
    check_cli_contract,
    mutations,
    run_cli,
    strict_json,
    timelines,
    written,
)

SUFFIXES = [".rttm", ".json", ".csv", ".vtt", ".srt", ".TextGrid", ".eaf", ".cha"]
OUTPUTS = ["o.json", "o.csv", "o.events.csv", "o.rttm", "o.vtt", "o.srt", "o.txt", "o.eaf",
           "o.TextGrid", "o.cha"]


@given(data=st.data(), suffix=st.sampled_from(SUFFIXES), timeline=timelines(max_segments=6))
def test_any_broken_input_keeps_the_contract(tmp_path_factory, data, suffix, timeline) -> None:
    folder = tmp_path_factory.mktemp("cli")
    original = written(timeline, folder / f"x{suffix}").read_bytes()
    path = folder / f"broken{suffix}"
    path.write_bytes(data.draw(mutations(original)))
    check_cli_contract(path)


@given(timeline=timelines(max_segments=6), outputs=st.lists(st.sampled_from(OUTPUTS),
                                                            min_size=1, max_size=4, unique=True))
def test_every_output_is_written_and_reads_back(tmp_path_factory, timeline, outputs) -> None:
    folder = tmp_path_factory.mktemp("cli")
    given_file = written(timeline, folder / "in.json")
    code, _, err = run_cli(["analyze", str(given_file), "-q",
                            *(a for o in outputs for a in ("-o", str(folder / "out" / o)))])
    assert code == 0, err
    assert sorted(p.name for p in (folder / "out").iterdir()) == sorted(outputs)
    if "o.json" in outputs:
        strict_json((folder / "out" / "o.json").read_text(encoding="utf-8"))


@given(text=st.sampled_from(NASTY) | st.text(max_size=40), suffix=st.sampled_from(SUFFIXES))
def test_tiny_files_keep_the_contract(tmp_path_factory, text, suffix) -> None:
    path = tmp_path_factory.mktemp("cli") / f"tiny{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    check_cli_contract(path)


HOSTILE = {
    "inf.json": '{"segments": [{"start_s": 0, "end_s": Infinity, "speaker": "A"}]}',
    "deep.json": "[" * 50_000 + "]" * 50_000,
    "e300.rttm": "SPEAKER x 1 1e300 1 <NA> <NA> A <NA> <NA>\n",
    "minutes.vtt": "WEBVTT\n\n00:00:01.000 --> 00:60:03.000\n<v A>hi\n",
    "quote.csv": 'start,end,speaker\n0,1,"A\n1,2,B\n',
    "escape.rttm": "SPEAKER x 1 0 5 <NA> <NA> A\x1b]0;owned\x07 <NA> <NA>\n"
                   "SPEAKER x 1 4 4 <NA> <NA> $x^$ <NA> <NA>\n",
}


def _env() -> dict[str, str]:
    source = str(Path(talkover.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH",
                                                                                 "")])}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_in_a_real_process(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(HOSTILE[name], encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "talkover", "analyze", str(path), "-o", str(tmp_path / "r.json"),
         "-o", str(tmp_path / "r.png"), "-o", str(tmp_path / "r.csv")],
        capture_output=True, text=True, timeout=120, env=_env(),
    )
    assert "Traceback" not in done.stderr and done.returncode in (0, 2), done.stderr
    assert "\x1b" not in done.stderr and "\x1b" not in done.stdout
    if done.returncode == 2:
        assert name in done.stderr and not (tmp_path / "r.json").exists()
    else:
        strict_json((tmp_path / "r.json").read_text(encoding="utf-8"))
        assert (tmp_path / "r.png").stat().st_size > 0
