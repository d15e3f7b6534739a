"""User mistakes and hostile environments give a clear error and an exit code, never a
traceback or half an output (issue 18): several ``-o`` are all written or none, Ctrl-C exits
130 with nothing half-written, a full disk on stdout, file names over the system's limit,
``enroll -o`` checked before any work, and refusals of bad media before torch is imported."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

import talkover
from talkover import outputs
from talkover.cli import main

RTTM = (
    "SPEAKER call 1 0.0 5.0 <NA> <NA> A <NA> <NA>\n"
    "SPEAKER call 1 4.0 4.0 <NA> <NA> B <NA> <NA>\n"
)
LONG_NAME = "a" * 300  # over NAME_MAX (255) on Linux and macOS


@pytest.fixture
def rttm(tmp_path: Path) -> Path:
    path = tmp_path / "call.rttm"
    path.write_text(RTTM, encoding="utf-8")
    return path


def _env_with_this_talkover() -> dict[str, str]:
    """The environment with this checkout's talkover first (a relative PYTHONPATH would not
    survive the subprocess's own working folder)."""
    source = str(Path(talkover.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".talkover-"))


def _failing_png(exc: BaseException):
    def write(analysis, path: Path) -> None:
        Path(path).write_bytes(b"half a PNG")  # a partial file, as a crash would leave it
        raise exc

    return write


@pytest.mark.parametrize(
    ("exc", "code", "message"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), 2, "No space left on device"),
        (KeyboardInterrupt(), 130, "interrupted"),
    ],
    ids=["disk_full", "ctrl_c"],
)
def test_a_failure_part_way_leaves_no_output_behind(
    rttm: Path, tmp_path: Path, monkeypatch, capsys, exc: BaseException, code: int,
    message: str,
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.txt").write_text("yesterday's summary\n", encoding="utf-8")
    monkeypatch.setitem(outputs.OUTPUT_WRITERS, ".png", _failing_png(exc))
    paths = [out / "r.json", out / "r.txt", out / "r.png", out / "r.csv"]
    assert main(["analyze", str(rttm), *(a for p in paths for a in ("-o", str(p)))]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert sorted(p.name for p in out.iterdir()) == ["r.txt"]  # hidden temporaries gone too
    assert (out / "r.txt").read_text(encoding="utf-8") == "yesterday's summary\n"


def test_outputs_replace_files_keeping_their_mode_and_links(rttm: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    device = tmp_path / "null.csv"
    device.symlink_to(os.devnull)  # not a regular file: written in place, never replaced
    assert main(["analyze", str(rttm), "-o", str(link), "-o", str(device)]) == 0
    assert link.is_symlink() and '"talkover_version"' in target.read_text(encoding="utf-8")
    assert device.is_symlink() and Path(os.devnull).is_char_device()
    assert (target.stat().st_mode & 0o777) == 0o640
    assert _leftovers(tmp_path) == []


def test_ctrl_c_during_the_analysis_exits_130(rttm: Path, monkeypatch, capsys) -> None:
    from talkover.cli import analyze

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(analyze, "analyze", interrupted)
    assert main(["analyze", str(rttm)]) == 130
    assert capsys.readouterr().err == "talkover: error: interrupted (nothing half-written)\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["analyze", f"{LONG_NAME}.rttm"],
        ["analyze", f"{LONG_NAME}.wav"],
        ["analyze", "{rttm}", "-o", f"{LONG_NAME}.json"],
        ["analyze", "{rttm}", "--media", f"{LONG_NAME}.wav"],
        ["diarize", f"{LONG_NAME}.wav"],
        ["eval", "--ref", f"{LONG_NAME}.rttm", "--hyp", "{rttm}"],
        ["enroll", f"A={LONG_NAME}.wav", "-o", "v.npz"],
    ],
    ids=["input", "media_input", "output", "media", "diarize", "eval", "enroll"],
)
def test_a_file_name_over_the_system_limit_is_an_error(
    rttm: Path, tmp_path: Path, monkeypatch, capsys, argv: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main([a.replace("{rttm}", str(rttm)) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("talkover: error: aaaa") and "name too long" in err, err


def test_stdout_on_a_full_disk_is_an_error(rttm: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "talkover", "analyze", str(rttm), "--json"],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
            env=_env_with_this_talkover(),
        )
    assert done.returncode == 2
    assert done.stderr == "talkover: error: stdout: No space left on device\n"


def test_enroll_output_is_checked_before_any_work(tmp_path: Path, capsys) -> None:
    clip = tmp_path / "v.npz"
    clip.write_bytes(b"not audio")
    # its own input: refused before the clip is read
    assert main(["enroll", f"A={clip}", "-o", str(clip)]) == 2
    assert "is also an input of this run" in capsys.readouterr().err
    assert clip.read_bytes() == b"not audio"
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main(["enroll", f"A={clip}", "-o", str(blocker / "v.npz")]) == 2
    assert "expected a folder to write into" in capsys.readouterr().err


BAD_MEDIA = [
    ["analyze", "missing.wav"],
    ["analyze", "bad.wav"],
    ["diarize", "bad.wav"],
    ["enroll", "A=bad.wav", "-o", "v.npz"],
    ["analyze", "call.rttm", "--media", "bad.wav", "--enroll", "A=bad.wav"],
]


def test_instant_refusals_do_not_import_torch(rttm: Path, tmp_path: Path) -> None:
    (tmp_path / "bad.wav").write_bytes(b"RIFF not really")
    script = (
        "import sys\nfrom talkover.cli.main import main\n"
        f"codes = [main(a) for a in {BAD_MEDIA!r}]\n"
        "print(codes, 'torch' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env=_env_with_this_talkover())
    assert done.stdout.strip() == f"{[2] * len(BAD_MEDIA)} False", done.stderr


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--match-threshold", "nan"], "--match-threshold must be a cosine similarity between "
         "-1 and 1, got nan"),
        (["--match-threshold", "1.5"], "--match-threshold must be a cosine similarity"),
        (["--config", "{config}"], "unknown table or key(s) event; expected an [events] table"),
        (["--min-pause", "nan"], "min_pause_s must be between 0 and 3600 seconds, got nan"),
        (["--match-threshold", "0.5"], "--match-threshold applies only when voices are "
         "matched: give --enroll NAME=CLIP"),
    ],
    ids=["threshold_nan", "threshold_1.5", "config_misspelt_table", "min_pause_nan",
         "threshold_without_voices"],
)
def test_settings_are_never_silently_ignored(
    rttm: Path, tmp_path: Path, capsys, flags: list[str], expected: str
) -> None:
    config = tmp_path / "thresholds.toml"
    config.write_text("[event]\ngrace_s = 0.2\n", encoding="utf-8")
    argv = ["analyze", str(rttm), *(f.replace("{config}", str(config)) for f in flags)]
    assert main(argv) == 2
    assert expected in capsys.readouterr().err
