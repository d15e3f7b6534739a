"""How talkover's cost grows with the input: 100k segments analysed with JSON, HTML and PNG,
``eval`` of 100k segments against 100k, the figure with 100 and 300 speakers, the JSON of
1,000 and 5,000 speakers (issue 18).

Each case runs the real command (``python -m talkover ...``) in a subprocess with a wall-clock
limit, and reports its time, peak memory (``/usr/bin/time``'s maximum resident set) and, for
JSON, the output's size. Inputs are synthetic RTTM conversations, seeded: turns of 0.3-6 s,
gaps and overlaps, a share of short backchannels, speakers drawn uniformly.

    PYTHONPATH=src python benchmarks/scale.py [--src SRC] [--timeout S] [--only NAME...]

``--src`` runs another checkout's talkover (its ``src`` folder), e.g. the commit before a
change: ``git archive 3b4b807 src | tar -x -C /tmp/before`` then ``--src /tmp/before/src``.
A case that passes ``--timeout`` (default 600 s) is reported as ``>N s``; each case's address
space is capped (``--memory``, default 12 GiB) so that a runaway case fails on its own.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

#: name -> (segments, speakers, command and outputs); {in}/{hyp}/{out} are filled in.
CASES: dict[str, tuple[int, int, list[str]]] = {
    "analyze 100k segments, -o json html png": (
        100_000, 8, ["analyze", "{in}", "-o", "{out}/a.json", "-o", "{out}/a.html",
                     "-o", "{out}/a.png"]),
    "eval 10k vs 10k segments": (
        10_000, 8, ["eval", "--ref", "{in}", "--hyp", "{hyp}"]),
    "eval 100k vs 100k segments": (
        100_000, 8, ["eval", "--ref", "{in}", "--hyp", "{hyp}"]),
    "png, 100 speakers": (20_000, 100, ["analyze", "{in}", "-o", "{out}/a.png"]),
    "png, 300 speakers": (20_000, 300, ["analyze", "{in}", "-o", "{out}/a.png"]),
    "json, 1,000 speakers": (20_000, 1_000, ["analyze", "{in}", "-o", "{out}/a.json"]),
    "json, 5,000 speakers": (50_000, 5_000, ["analyze", "{in}", "-o", "{out}/a.json"]),
}


def conversation_rttm(num_segments: int, num_speakers: int, *, seed: int) -> str:
    """An RTTM of a synthetic conversation: each segment starts after the previous one's start,
    mostly after a gap, sometimes overlapping it (interruptions, backchannels)."""
    rng = np.random.default_rng(seed)
    durations = rng.uniform(0.3, 6.0, num_segments)
    backchannel = rng.random(num_segments) < 0.15
    durations[backchannel] = rng.uniform(0.2, 0.9, int(backchannel.sum()))
    steps = np.where(rng.random(num_segments) < 0.25, -rng.uniform(0.1, 1.5, num_segments),
                     rng.uniform(0.0, 1.2, num_segments))
    speakers = rng.integers(0, num_speakers, num_segments)
    lines, start, previous_end = [], 0.0, 0.0
    for duration, step, speaker in zip(durations, steps, speakers, strict=True):
        start = max(start + 0.05, previous_end + step)
        previous_end = start + duration
        lines.append(f"SPEAKER rec 1 {start:.3f} {duration:.3f} <NA> <NA> spk{speaker:04d} "
                     "<NA> <NA>\n")
    return "".join(lines)


def _limit_memory(gib: float) -> None:
    """Cap the address space of the case's process, so that a case that grows without bound
    fails with MemoryError instead of waking the kernel's out-of-memory killer on a shared
    machine (the JSON of 5,000 speakers grew past 20 GiB before issue 18)."""
    limit = int(gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_case(
    name: str, src: str, timeout_s: float, folder: Path, *, memory_gib: float = 12.0
) -> dict[str, str]:
    segments, speakers, command = CASES[name]
    given = folder / "in.rttm"
    given.write_text(conversation_rttm(segments, speakers, seed=1), encoding="utf-8")
    hyp = folder / "hyp.rttm"
    if "{hyp}" in command:
        hyp.write_text(conversation_rttm(segments, speakers, seed=2), encoding="utf-8")
    out = folder / "out"
    out.mkdir(exist_ok=True)
    argv = [a.replace("{in}", str(given)).replace("{hyp}", str(hyp)).replace("{out}", str(out))
            for a in command]
    stats = folder / "time.txt"
    env = {**os.environ, "PYTHONPATH": src, "MPLBACKEND": "Agg"}
    began = time.perf_counter()
    process = subprocess.Popen(
        ["/usr/bin/time", "-f", "%M", "-o", str(stats), sys.executable, "-m", "talkover",
         *argv], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: a timeout ends talkover too
        preexec_fn=partial(_limit_memory, memory_gib),
    )
    try:
        _, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        return {"case": name, "time": f">{timeout_s:.0f} s", "memory": "-", "size": "-",
                "exit": "timeout"}
    done = subprocess.CompletedProcess(process.args, process.returncode, "", stderr)
    elapsed = time.perf_counter() - began
    peak_mib = int(stats.read_text().split()[-1]) / 1024 if stats.exists() else float("nan")
    json_out = out / "a.json"
    size = f"{json_out.stat().st_size / 1e6:.1f} MB" if json_out.exists() else "-"
    return {"case": name, "time": f"{elapsed:.1f} s", "memory": f"{peak_mib:.0f} MiB",
            "size": size, "exit": _exit(done)}


def _exit(done: subprocess.CompletedProcess) -> str:
    """The exit code, with the last line of stderr (or the signal: 9 is often the kernel's
    out-of-memory killer) when it failed."""
    if done.returncode == 0:
        return "0"
    lines = done.stderr.strip().splitlines()
    if lines and "Command terminated by signal" in lines[-1]:
        return f"{done.returncode} (killed: {lines[-1].split('by ')[-1]})"
    return f"{done.returncode} ({lines[-1][:60] if lines else 'no message'})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--src", default=str(Path(__file__).resolve().parents[1] / "src"),
                        help="the talkover source folder to run (default: this checkout's)")
    parser.add_argument("--timeout", type=float, default=600.0, metavar="S")
    parser.add_argument("--memory", type=float, default=12.0, metavar="GIB",
                        help="address-space limit of each case (default 12 GiB)")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="cases whose name contains")
    args = parser.parse_args()
    names = [n for n in CASES if not args.only or any(o in n for o in args.only)]
    print("| case | time | peak memory | JSON size | exit |")
    print("|---|---|---|---|---|")
    for name in names:
        with tempfile.TemporaryDirectory() as folder:
            row = run_case(name, args.src, args.timeout, Path(folder), memory_gib=args.memory)
        print(f"| {row['case']} | {row['time']} | {row['memory']} | {row['size']} | "
              f"{row['exit']} |", flush=True)


if __name__ == "__main__":
    main()
