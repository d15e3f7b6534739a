"""Diarization benchmark: talkover's diarizer against senko (the anchor), in the same run.

Usage (from the repository root)::

    PYTHONPATH=src python benchmarks/diarization.py [--systems talkover,senko]
        [--hour-systems talkover] [--synthetic DIR [--synthetic-systems talkover]]

For every case in ``../shared/bench/real/`` each system diarizes the recording (decoded with
:func:`talkover.io.decode_audio`, the same samples for every system) and is scored with
:func:`talkover.evaluation.evaluate` against the human reference RTTM: pooled DER (collar 0,
overlap scored), JER, overlapped-speech precision/recall, event macro F1. Then, for speed, a
10-minute file (the cases concatenated, tiled) after one untimed warm-up call, and for memory a
1-hour file (the cases tiled). Each system runs in its own child process so that model load time
and peak resident memory (``ru_maxrss`` from ``wait4``) are its own.

The machine is shared, so absolute timings drift: compare the talkover/senko ratios, which are
measured in the same run. The table goes to stdout and to ``docs/benchmarks.md``.

``--synthetic DIR`` adds a second accuracy table over a folder written by
``python -m talkover.testing.synth`` (``DIR/index.json``: conversations of real voices with exact
references, see ``docs/synthetic.md``), for the systems in ``--synthetic-systems``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from talkover.testing import SHARED_REAL, real_cases
from talkover.testing.synth.render import write_wav

REPO = Path(__file__).resolve().parents[1]

RATE = 16_000


def case_media(case: Path) -> Path:
    media = [p for p in case.iterdir() if p.suffix.lower() in {".wav", ".mp3", ".flac"}]
    return sorted(media)[0]


# ---------------------------------------------------------------- child process: one system


def worker(system: str, inputs: list[dict], result_path: Path, warmup: str | None) -> None:
    """Load ``system``, diarize every input, write timings and segments as JSON."""
    from bench_systems import SYSTEMS
    from talkover.io import decode_audio

    t0 = time.perf_counter()
    diarize, note = SYSTEMS[system]()
    load_s = time.perf_counter() - t0
    out: dict = {"system": system, "note": note, "load_s": load_s, "files": []}
    if warmup:
        t = time.perf_counter()
        diarize(decode_audio(warmup).samples, "warmup")
        out["warmup_s"] = time.perf_counter() - t
    for item in inputs:
        samples = decode_audio(item["path"]).samples
        t = time.perf_counter()
        timeline = diarize(samples, item["uri"])
        wall_s = time.perf_counter() - t
        out["files"].append(
            {
                "uri": item["uri"],
                "duration_s": len(samples) / RATE,
                "wall_s": wall_s,
                "segments": [[s.start_s, s.end_s, s.speaker] for s in timeline],
            }
        )
    result_path.write_text(json.dumps(out))


def run_worker(system: str, inputs: list[dict], *, warmup: str | None = None) -> dict:
    """Run one system in a child process; add its peak RSS (MiB) and exit status."""
    with tempfile.TemporaryDirectory() as tmp:
        result = Path(tmp) / "result.json"
        args = [
            sys.executable,
            __file__,
            "--worker",
            system,
            "--result",
            str(result),
            "--inputs",
            json.dumps(inputs),
        ]
        if warmup:
            args += ["--warmup", warmup]
        env = {**os.environ, "PYTHONPATH": f"{REPO / 'src'}:{os.environ.get('PYTHONPATH', '')}"}
        t = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
        stderr = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t
        if status != 0 or not result.is_file():
            return {"system": system, "failed": stderr.strip().splitlines()[-1:] or [str(status)]}
        data = json.loads(result.read_text())
    data["peak_rss_mib"] = usage.ru_maxrss / 1024
    data["process_s"] = elapsed
    return data


# ---------------------------------------------------------------- parent: data, scoring, table


def tiled(cases: list[Path], seconds: float) -> np.ndarray:
    """The cases' audio concatenated and repeated until ``seconds`` long."""
    from talkover.io import decode_audio

    pieces = [decode_audio(case_media(c)).samples for c in cases]
    one = np.concatenate(pieces)
    reps = int(np.ceil(seconds * RATE / len(one)))
    return np.tile(one, reps)[: int(seconds * RATE)]


def score(cases: list[Path], run: dict, rttms: list[Path] | None = None):
    from talkover.evaluation import EvaluationResult, evaluate
    from talkover.formats.rttm import read_rttm
    from talkover.timeline import SpeakerTimeline

    results = []
    rttms = rttms or [case / f"{case.name}.rttm" for case in cases]
    for case, rttm, item in zip(cases, rttms, run["files"], strict=True):
        ref = read_rttm(rttm)
        ref = SpeakerTimeline(ref.segments, duration_s=item["duration_s"], uri=case.name)
        hyp = SpeakerTimeline.from_tuples(item["segments"], duration_s=item["duration_s"])
        results.append(evaluate(ref, hyp))
    return EvaluationResult.pooled(results), results


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    load = os.getloadavg()
    return (
        f"{os.cpu_count()} cores ({model}, {platform.machine()}), "
        f"{mem_kib / 2**20:.0f} GiB RAM, Python {platform.python_version()}; "
        f"load average at start {load[0]:.1f} (shared with other jobs)"
    )


def fmt(x: float | None, spec: str = ".3f") -> str:
    return "–" if x is None else format(x, spec)


def ratio(a: float | None, b: float | None) -> str:
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--systems", default="talkover,senko")
    parser.add_argument(
        "--hour-systems",
        default="talkover",
        help="systems run on the 1-hour file for peak memory ('' for none; default talkover: "
        "senko needs about half an hour of this shared machine for it)",
    )
    parser.add_argument("--synthetic", help="folder written by python -m talkover.testing.synth")
    parser.add_argument("--synthetic-systems", default="talkover")
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"))
    parser.add_argument("--worker")
    parser.add_argument("--result")
    parser.add_argument("--inputs")
    parser.add_argument("--warmup")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, json.loads(args.inputs), Path(args.result), args.warmup)
        return 0

    cases = real_cases()
    if not cases:
        print(f"no benchmark cases under {SHARED_REAL}", file=sys.stderr)
        return 2
    systems = args.systems.split(",")
    header = machine()
    inputs = [{"path": str(case_media(c)), "uri": c.name} for c in cases]
    accuracy, speed, memory, notes = {}, {}, {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        ten = Path(tmp) / "ten_minutes.wav"
        write_wav(tiled(cases, 600.0), ten)
        hour = Path(tmp) / "one_hour.wav"
        hour_systems = [s for s in args.hour_systems.split(",") if s]
        if hour_systems:
            write_wav(tiled(cases, 3600.0), hour)
        for system in systems:
            print(f"[{system}] accuracy over {len(cases)} cases", file=sys.stderr)
            run = run_worker(system, inputs)
            if "failed" in run:
                notes[system] = f"not run: {run['failed'][0]}"
                print(f"[{system}] {notes[system]}", file=sys.stderr)
                continue
            notes[system] = run["note"]
            accuracy[system] = (run, *score(cases, run))
            print(f"[{system}] speed on 10 minutes", file=sys.stderr)
            speed[system] = run_worker(
                system, [{"path": str(ten), "uri": "ten"}], warmup=str(case_media(cases[0]))
            )
            if system in hour_systems:
                print(f"[{system}] memory on 1 hour", file=sys.stderr)
                memory[system] = run_worker(system, [{"path": str(hour), "uri": "hour"}])
    table = render(header, systems, accuracy, speed, memory, notes, cases)
    if args.synthetic:
        table += synthetic_table(Path(args.synthetic), args.synthetic_systems.split(","))
    print(table)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(table)
    return 0


def synthetic_table(folder: Path, systems: list[str]) -> str:
    """Accuracy of ``systems`` on a synthetic set (its ``index.json``), as a markdown table."""
    index = json.loads((folder / "index.json").read_text())
    inputs = [{"path": str(folder / item["wav"]), "uri": item["uri"]} for item in index]
    rttms = [folder / item["rttm"] for item in index]
    minutes = sum(item["duration_s"] for item in index) / 60
    lines = [
        "",
        f"Synthetic check set: {len(index)} conversations ({minutes:.1f} min) of real voices from "
        f"`{folder.name}` (`python -m talkover.testing.synth`, docs/synthetic.md), exact "
        "references, same scoring:",
        "",
        "| system | DER | miss | false alarm | confusion | JER | overlap P | overlap R "
        "| event macro F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for system in systems:
        print(f"[{system}] synthetic set", file=sys.stderr)
        run = run_worker(system, inputs)
        if "failed" in run:
            lines.append(f"| {system} | not run: {run['failed'][0]} | | | | | | | |")
            continue
        pooled, _ = score([Path(i["uri"]) for i in inputs], run, rttms)
        d = pooled.diarization
        lines.append(
            f"| {system} | {fmt(d.der)} | {fmt(d.miss_s / d.total_s)} "
            f"| {fmt(d.false_alarm_s / d.total_s)} | {fmt(d.confusion_s / d.total_s)} "
            f"| {fmt(pooled.jaccard.jer)} | {fmt(pooled.overlap.precision)} "
            f"| {fmt(pooled.overlap.recall)} | {fmt(pooled.event_macro_f1)} |"
        )
    return "\n".join(lines) + "\n"


def _wall(run: dict | None) -> float | None:
    if not run or "failed" in run:
        return None
    return sum(f["wall_s"] for f in run["files"])


def render(header, systems, accuracy, speed, memory, notes, cases) -> str:
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    minutes = (sum(f["duration_s"] for f in next(iter(accuracy.values()))[0]["files"]) / 60
               if accuracy else 0.0)
    lines = [
        "# Diarization benchmark",
        "",
        f"Generated by `benchmarks/diarization.py` on {now}.",
        f"Machine: {header}.",
        "",
        f"Accuracy: {len(cases)} real cases of `shared/bench/real` "
        f"({minutes:.1f} min), "
        "pooled over files; DER collar 0 with overlap scored (pyannote.metrics); overlap P/R on "
        "10 ms frames; event F1 = macro over interruption, failed_interruption, backchannel, "
        "overlap (events match on type, mapped speakers and onset within 1 s)."
        if accuracy
        else "Accuracy: no system ran.",
        "",
        "| system | DER | miss | false alarm | confusion | JER | overlap P | overlap R "
        "| event macro F1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in systems:
        if s not in accuracy:
            lines.append(f"| {s} | {notes.get(s, 'not run')} | | | | | | | |")
            continue
        _, pooled, _ = accuracy[s]
        d = pooled.diarization
        lines.append(
            f"| {s} | {fmt(d.der)} | {fmt(d.miss_s / d.total_s)} "
            f"| {fmt(d.false_alarm_s / d.total_s)} "
            f"| {fmt(d.confusion_s / d.total_s)} | {fmt(pooled.jaccard.jer)} "
            f"| {fmt(pooled.overlap.precision)} | {fmt(pooled.overlap.recall)} "
            f"| {fmt(pooled.event_macro_f1)} |"
        )
    lines += [
        "",
        "Speed and memory (each system in its own process; the 10-minute file is the cases "
        "concatenated and tiled, timed after one untimed warm-up call on a 30 s case; the "
        "1-hour file is the cases tiled; x real time = audio duration / wall time):",
        "",
        "| system | model load (s) | wall, 9 cases (s) | wall, 10 min (s) | x real time (10 min) "
        "| peak RSS, 10 min (MiB) | peak RSS, 1 h (MiB) | wall, 1 h (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in systems:
        if s not in accuracy:
            continue
        sp, mem = speed.get(s), memory.get(s)
        ten = _wall(sp)
        lines.append(
            f"| {s} | {fmt(sp.get('load_s') if sp and 'failed' not in sp else None, '.1f')} "
            f"| {fmt(_wall(accuracy[s][0]), '.1f')} | {fmt(ten, '.1f')} "
            f"| {fmt(600 / ten if ten else None, '.1f')} "
            f"| {fmt(sp.get('peak_rss_mib') if sp and 'failed' not in sp else None, '.0f')} "
            f"| {fmt(mem.get('peak_rss_mib') if mem and 'failed' not in mem else None, '.0f')} "
            f"| {fmt(_wall(mem), '.1f')} |"
        )
    if "talkover" in accuracy and "senko" in accuracy:
        ours, senko = accuracy["talkover"], accuracy["senko"]
        lines += [
            "",
            "talkover / senko, same run: "
            f"DER {ratio(ours[1].diarization.der, senko[1].diarization.der)}, "
            "wall time on 10 min "
            f"{ratio(_wall(speed.get('talkover')), _wall(speed.get('senko')))}, "
            f"wall time on the 9 cases {ratio(_wall(ours[0]), _wall(senko[0]))}.",
        ]
    lines += [
        "",
        "Per case DER:",
        "",
        "| case | " + " | ".join(s for s in systems if s in accuracy) + " |",
        "|---|" + "---|" * sum(s in accuracy for s in systems),
    ]
    for i, case in enumerate(cases):
        cells = [fmt(accuracy[s][2][i].diarization.der) for s in systems if s in accuracy]
        lines.append(f"| {case.name} | " + " | ".join(cells) + " |")
    lines += ["", "Notes:", ""] + [f"- {s}: {n}" for s, n in notes.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
