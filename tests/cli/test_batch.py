"""``talkover batch``: exit codes, messages, and a real kill -9 in the middle of a run."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from talkover import analyze
from talkover.cli import main
from talkover.export.json import format_json
from talkover.store import TABLES, Store
from tests.batch.conversations import write_conversations

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "pyannote_sample_call.flac"


def test_batch_a_folder(tmp_path: Path, capsys) -> None:
    paths = write_conversations(tmp_path / "in", 3)
    assert main(["batch", str(tmp_path / "in"), "--store", str(tmp_path / "s"), "--grace",
                 "0.4", "--speakers", "Ann,Bo,Cy"]) == 0
    out, err = capsys.readouterr()
    assert out == f"3 recording(s) in {tmp_path / 's'}: 3 done, 0 failed\n"
    assert "3 to analyse" in err
    # the same JSON as talkover analyze with the same options
    assert main(["analyze", str(paths[1]), "--grace", "0.4", "--speakers", "Ann,Bo,Cy",
                 "--json"]) == 0
    assert capsys.readouterr().out == (tmp_path / "s" / "analyses" / "conv_001.json").read_text()
    assert main(["batch", str(tmp_path / "in"), "--store", str(tmp_path / "s"), "--grace",
                 "0.4", "--speakers", "Ann,Bo,Cy"]) == 0
    assert "3 done already" in capsys.readouterr().err


def test_a_corrupt_file_among_good_ones_exits_1_and_is_listed(tmp_path: Path, capsys) -> None:
    write_conversations(tmp_path / "in", 2)
    (tmp_path / "in" / "bad.wav").write_bytes(b"RIFF....WAVEfmt garbage" * 10)
    assert main(["batch", str(tmp_path / "in"), "--store", str(tmp_path / "s")]) == 1
    out, err = capsys.readouterr()
    assert out.endswith("3 recording(s) in " f"{tmp_path / 's'}: 2 done, 1 failed\n")
    assert f"talkover: failed: bad: {tmp_path / 'in' / 'bad.wav'}: " in err
    assert "--retry-failed" in err
    assert main(["batch", str(tmp_path / "in"), "--store", str(tmp_path / "s")]) == 1
    assert "1 failed before (skipped" in capsys.readouterr().err
    (tmp_path / "in" / "bad.wav").unlink()
    assert main(["batch", str(tmp_path / "in"), "--store", str(tmp_path / "s")]) == 0


@pytest.mark.parametrize(("args", "message"), [
    (["nope.rttm"], "nope.rttm: no such file or folder"),
    (["IN", "--workers", "0"], "--workers must be >= 1, got 0"),
    (["IN", "--enroll", "Ann=ann.wav"], "batch does not match enrolled voices"),
    (["IN", "--match-threshold", "0.4"], "batch does not match enrolled voices "
     "(--match-threshold)"),
    (["IN", "--speakers", "A,B", "--cast", "c.toml"], "give either --speakers or --cast"),
    (["IN", "--num-speakers", "3", "--max-speakers", "2"],
     "--num-speakers (3) must be <= --max-speakers (2)"),
    (["IN", "--groups", "gender:Ann"], "--groups: expected"),
    (["IN", "--ship-inputs"], "--ship-inputs applies only with --ray ADDRESS"),
])
def test_usage_errors_exit_2_before_any_work(tmp_path: Path, capsys, args, message) -> None:
    write_conversations(tmp_path / "IN", 1)
    args = [str(tmp_path / a) if a in ("IN", "nope.rttm") else a for a in args]
    assert main(["batch", *args, "--store", str(tmp_path / "s")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_a_folder_that_is_not_a_store_is_refused(tmp_path: Path, capsys) -> None:
    write_conversations(tmp_path / "in", 1)
    assert main(["batch", str(tmp_path / "in"), "--store", str(tmp_path / "in")]) == 2
    assert "is a folder with other files in it" in capsys.readouterr().err


def test_without_inputs_a_missing_store_is_not_created(tmp_path: Path, capsys) -> None:
    """``talkover batch --store TYPO`` has nothing to create a store for."""
    assert main(["batch", "--store", str(tmp_path / "typo")]) == 2
    assert f"{tmp_path / 'typo'}: not a talkover store" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists()
    (tmp_path / "empty").mkdir()
    assert main(["batch", "--store", str(tmp_path / "empty")]) == 2
    assert list((tmp_path / "empty").iterdir()) == []


def test_without_inputs_it_finishes_what_is_queued(tmp_path: Path, capsys) -> None:
    paths = write_conversations(tmp_path / "in", 2)
    with Store.open(tmp_path / "s", create=True) as store:
        store.queue("left", path=str(paths[0]), kind="annotation", sha256=None,
                    options={"config": {"grace_s": 0.3}})
    assert main(["batch", "--store", str(tmp_path / "s")]) == 0
    assert "1 recording(s)" in capsys.readouterr().out
    with Store.open(tmp_path / "s", readonly=True) as store:
        assert store.get("left").status == "done"
        assert store.read_analysis("left")["config"]["grace_s"] == 0.3


def _done(store_path: Path) -> int:
    try:
        with Store.open(store_path, readonly=True) as store:
            return store.counts()["done"]
    except Exception:  # noqa: BLE001 - not created yet
        return 0


def _running(store_path: Path) -> bool:
    try:
        with Store.open(store_path, readonly=True) as store:
            return store.counts().get("running", 0) > 0
    except Exception:  # noqa: BLE001 - not created yet
        return False


def _kill_when(process: subprocess.Popen, store_path: Path, done_at_least: int) -> int:
    """SIGKILL the batch once ``done_at_least`` recordings are done; how many were."""
    deadline = time.monotonic() + 120
    while _done(store_path) < done_at_least:
        assert process.poll() is None, "the batch ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return _done(store_path)


@pytest.mark.slow
def test_kill_9_then_rerun_does_every_recording_exactly_once(tmp_path: Path) -> None:
    paths = write_conversations(tmp_path / "in", 120)
    store_path = tmp_path / "s"
    command = [sys.executable, "-m", "talkover", "batch", str(tmp_path / "in"), "--store",
               str(store_path), "--workers", "2", "-q"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = 0
    for target in (15, 55):  # two kills, at different moments
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)
        killed_at = _kill_when(process, store_path, target)
        assert process.returncode == -signal.SIGKILL
        assert done <= killed_at < len(paths)
        done = killed_at
    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    with Store.open(store_path, readonly=True) as store:
        rows = store.recordings()
        assert len(rows) == len(paths)
        assert {r.status for r in rows} == {"done"}
        assert {r.diarizations for r in rows} == {1}  # each committed exactly once
        assert sum(r.attempts > 1 for r in rows) <= 4  # only what was in flight was redone
        for path in paths:  # the same JSON an uninterrupted run writes
            expected = format_json(analyze(str(path)))
            assert store.analysis_path(path.stem).read_text() == expected
    for table in TABLES:
        frame = pd.read_parquet(store_path / "tables" / table)
        assert sorted(frame["uri"].unique()) == sorted(p.stem for p in paths) or table == "matrix"
    events = pd.read_parquet(store_path / "tables" / "events")
    expected_events = sum(len(json.loads((store_path / "analyses" / f"{p.stem}.json")
                                         .read_text())["events"]) for p in paths)
    assert len(events) == expected_events
    assert not events.duplicated().any()
    hidden = [p for p in store_path.rglob(".*") if p.name != ".lock"]
    assert hidden == []


def test_progress_bar_line() -> None:
    import io

    from talkover.batch import JobResult, JobStarted
    from talkover.cli.batch import ProgressBar
    from talkover.store import Timings

    stream = io.StringIO()
    bar = ProgressBar(4, stream, enabled=True)
    bar.update(JobStarted("a", "local:1"))
    for uri, error in (("a", None), ("b", "b.wav: file is empty (0 bytes)")):
        bar.update(JobResult(uri, "d", "e", None if error else "{}", error, True, 1800.0,
                             Timings(), "local:1"))
    bar.finish()
    line = stream.getvalue().rstrip("\n").split("\r")[-1]
    assert line.startswith("[############............] 2/4 | 1.00 h audio | ")
    assert "/min | ETA " in line and line.rstrip().endswith("| 1 failed")
    quiet = io.StringIO()
    ProgressBar(4, quiet, enabled=False).update(JobStarted("a", "local:1"))
    assert quiet.getvalue() == ""


def test_ctrl_c_leaves_the_rest_queued_and_says_how_many(tmp_path: Path) -> None:
    """SIGINT to the whole process group, as a terminal's Ctrl-C sends it, while a recording is
    being diarized: exit 130, every recording not done is queued (the message counts each
    once), a rerun finishes them."""
    paths = write_conversations(tmp_path / "in", 3)
    shutil.copy(SAMPLE, tmp_path / "in" / "a_call.flac")
    store_path = tmp_path / "s"
    command = [sys.executable, "-m", "talkover", "batch", str(tmp_path / "in"), "--store",
               str(store_path), "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while not _running(store_path):
        assert process.poll() is None, "the batch ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    with Store.open(store_path, readonly=True) as store:
        assert store.counts() == {"queued": 4, "running": 0, "done": 0, "failed": 0}
    assert "talkover: interrupted; 4 recording(s) left queued" in err
    final = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert final.stdout == f"{len(paths) + 1} recording(s) in {store_path}: 4 done, 0 failed\n"


def test_a_truncated_recording_is_done_with_its_warning_listed(tmp_path: Path) -> None:
    """A WAV cut short (a copy that stopped) is analysed as far as it goes; the warning is
    kept in the manifest and listed at the end, not lost on a worker's stderr."""
    import numpy as np
    from scipy.io import wavfile

    from talkover.io import decode_audio

    waveform = decode_audio(SAMPLE)
    (tmp_path / "in").mkdir()
    wav = tmp_path / "in" / "cut.wav"
    wavfile.write(wav, waveform.sample_rate_hz,
                  (np.clip(waveform.samples, -1, 1) * 32767).astype(np.int16))
    wav.write_bytes(wav.read_bytes()[: wav.stat().st_size // 3])
    command = [sys.executable, "-m", "talkover", "batch", str(tmp_path / "in"), "--store",
               str(tmp_path / "s"), "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    warning = [line for line in run.stderr.splitlines() if line.startswith("talkover: warning:")]
    assert len(warning) == 1 and warning[0].startswith(f"talkover: warning: cut: {wav}: decoded ")
    assert "the file looks truncated" in warning[0]
    with Store.open(tmp_path / "s", readonly=True) as store:
        assert store.get("cut").warnings == (warning[0].removeprefix("talkover: warning: cut: "),)
    # new thresholds: events re-derived from the kept diarization, which keeps its warning
    again = subprocess.run([*command, "--grace", "0.4"], env=env, capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert warning[0] in again.stderr.splitlines()
    with Store.open(tmp_path / "s", readonly=True) as store:
        row = store.get("cut")
        assert (row.derivations, row.diarizations) == (1, 1)
        assert row.warnings == (warning[0].removeprefix("talkover: warning: cut: "),)


def test_a_ray_address_where_nothing_answers_is_refused_at_once(tmp_path: Path,
                                                                  capsys) -> None:
    """Ray itself retries a mistyped cluster address for minutes; the batch says so at once,
    before creating the store."""
    import socket

    from talkover.batch.ray_executor import RayExecutor
    from talkover.errors import ConfigError

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    write_conversations(tmp_path / "in", 1)
    started = time.monotonic()
    assert main(["batch", str(tmp_path / "in"), "--store", str(tmp_path / "s"), "--ray",
                 f"127.0.0.1:{port}"]) == 2
    assert f"--ray 127.0.0.1:{port}: no Ray cluster answers there" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()
    with pytest.raises(ConfigError, match="no Ray cluster answers there"):
        RayExecutor(address=f"ray://127.0.0.1:{port}")
    assert time.monotonic() - started < 30


def test_a_rerun_names_the_done_recordings_whose_file_is_gone(tmp_path: Path, capsys) -> None:
    """A file deleted between runs: its row and analysis stay (the audio may have been
    deleted on purpose), and the rerun says they still count."""
    paths = write_conversations(tmp_path / "in", 3)
    store = str(tmp_path / "s")
    assert main(["batch", str(tmp_path / "in"), "--store", store, "-q"]) == 0
    paths[1].unlink()
    capsys.readouterr()
    assert main(["batch", str(tmp_path / "in"), "--store", store, "-q"]) == 0
    out, err = capsys.readouterr()
    assert out == f"2 recording(s) in {store}: 2 done, 0 failed\n"
    assert ("talkover: note: 1 done recording(s) of the store have no file any more and still "
            "count in talkover corpus: conv_001\n") in err
    with Store.open(store, readonly=True) as s:
        assert s.get("conv_001").status == "done"


def test_progress_off_a_terminal_is_a_line_now_and_then(tmp_path: Path) -> None:
    """stderr to a log file (nohup, CI): no carriage returns, a line at the first result and
    the last (and at most one a minute between), so a long run shows it is alive."""
    write_conversations(tmp_path / "in", 5)
    command = [sys.executable, "-m", "talkover", "batch", str(tmp_path / "in"), "--store",
               str(tmp_path / "s"), "--workers", "1"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "\r" not in run.stderr
    lines = [x for x in run.stderr.splitlines() if x.startswith("[")]
    assert lines[0].startswith("[") and " 1/5 | " in lines[0]
    assert lines[-1].startswith("[########################] 5/5 | ") and len(lines) <= 3
    quiet = subprocess.run([*command, "-q", "--grace", "0.4"], env=env, capture_output=True,
                           text=True, timeout=300)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_plain_progress_lines_are_spaced() -> None:
    import io

    from talkover.batch import JobResult
    from talkover.cli.batch import ProgressBar
    from talkover.store import Timings

    stream = io.StringIO()
    bar = ProgressBar(3, stream, enabled=True, plain=True, every_s=3600.0)
    for uri in "abc":
        bar.update(JobResult(uri, "d", "e", "{}", None, True, 60.0, Timings(), "local:1"))
    bar.finish()
    lines = stream.getvalue().splitlines()
    assert [line.split(" | ")[0][-3:] for line in lines] == ["1/3", "3/3"]


def test_forget_removes_recordings_and_forget_missing_those_whose_file_is_gone(
    tmp_path: Path, capsys
) -> None:
    paths = write_conversations(tmp_path / "in", 4)
    store = str(tmp_path / "s")
    assert main(["batch", str(tmp_path / "in"), "--store", store]) == 0
    (tmp_path / "s" / "reviews" / "conv_000").mkdir(parents=True)  # as the web app leaves
    (tmp_path / "s" / "reviews" / "conv_000" / "edits.jsonl").write_text("")
    capsys.readouterr()
    assert main(["batch", "--store", store, "--forget", "conv_000"]) == 0
    assert "talkover: forgot 1 recording(s): conv_000" in capsys.readouterr().err
    with Store.open(store, readonly=True) as s:
        assert sorted(r.uri for r in s.recordings()) == ["conv_001", "conv_002", "conv_003"]
        assert not s.analysis_path("conv_000").exists()
        assert not any(s.table_path(t, "conv_000").exists() for t in TABLES)
        assert not (s.reviews_dir / "conv_000").exists()
    assert main(["batch", "--store", store, "--forget", "nope", "--forget", "conv_001"]) == 2
    assert f"--forget: {tmp_path / 's'} has no recording nope" in capsys.readouterr().err
    with Store.open(store, readonly=True) as s:
        assert s.get("conv_001") is not None  # nothing removed

    paths[2].unlink()  # gone
    assert main(["batch", "--store", store, "--forget", "conv_001"]) == 0
    assert "forgot 1 recording(s): conv_001" in capsys.readouterr().err  # not conv_002 too
    paths[1].unlink()
    moved = tmp_path / "elsewhere" / paths[3].name
    moved.parent.mkdir()
    paths[3].rename(moved)  # moved: its recording follows it when INPUT names it
    assert main(["batch", str(tmp_path / "in"), str(moved), "--store", store,
                 "--forget-missing"]) == 0
    assert "talkover: forgot 1 recording(s): conv_002" in capsys.readouterr().err
    with Store.open(store, readonly=True) as s:
        rows = {r.uri: r for r in s.recordings()}
    assert sorted(rows) == ["conv_000", "conv_003"]  # conv_000 analysed anew
    assert rows["conv_003"].path == str(moved)  # the moved file kept its recording
