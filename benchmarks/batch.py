"""``talkover batch`` against one ``talkover analyze`` process per file; workers 2 against 1;
Ray local against the local runner; peak memory of a 6-hour recording through the worker.

    PYTHONPATH=src python benchmarks/batch.py speed  [--copies 40] [--out DIR]
    PYTHONPATH=src python benchmarks/batch.py memory [--hours 6] [--out DIR]

``speed``: the shared real recordings (``$TALKOVER_SHARED_REAL`` or ../shared/bench/real, 9
cases) repeated under new uris by a manifest CSV up to ``--copies`` recordings; each command
runs as its own process in the same run, one after the other, on fresh stores:

1. ``talkover batch manifest.csv --store S`` (default workers);
2. ``talkover analyze FILE --json -q`` once per manifest row, one process each;
3. ``talkover batch ... --workers 1`` and ``--workers 2``;
4. ``talkover batch ... --ray`` with the default workers (a local Ray instance, started and
   stopped by the command; its start is part of the time).

Every batch must end with all recordings done, and the Ray store's Analysis JSONs must equal
the local runner's.

``memory``: builds an N-hour 16 kHz WAV by looping the shared recordings (written under
``--out``, deleted afterwards, never committed) and runs :func:`talkover.batch.run_job` on it in a
fresh process, one worker with the default threads; reports that process's peak resident memory
(``ru_maxrss``), its wall time and the number of speakers and events found.

Prints a JSON summary (also written to ``--out``/batch-<part>.json).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from talkover.testing import real_cases

TALKOVER = [sys.executable, "-m", "talkover"]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=_env(), stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _manifest(folder: Path, copies: int) -> tuple[Path, list[Path], float]:
    cases = real_cases()
    if not cases:
        sys.exit("no shared real recordings found (set TALKOVER_SHARED_REAL)")
    wavs = [c / f"{c.name}.wav" for c in cases]
    rows, audio_s = [], 0.0
    for i in range(copies):
        wav = wavs[i % len(wavs)]
        rows.append((str(wav), f"{wav.stem}-{i:03d}"))
        with wave.open(str(wav)) as w:
            audio_s += w.getnframes() / w.getframerate()
    path = folder / "manifest.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["path", "uri"])
        writer.writerows(rows)
    return path, [Path(p) for p, _ in rows], audio_s


def _batch(manifest: Path, store: Path, *extra: str) -> float:
    seconds = _timed([*TALKOVER, "batch", str(manifest), "--store", str(store), "-q", *extra])
    from talkover.store import Store

    with Store.open(store, readonly=True) as s:
        counts = s.counts()
    if counts["done"] != sum(counts.values()):
        sys.exit(f"{store}: not every recording is done: {counts}")
    return seconds


def speed(out: Path, copies: int) -> dict:
    manifest, files, audio_s = _manifest(out, copies)
    default = _batch(manifest, out / "store-default")
    started = time.perf_counter()
    for path in files:
        subprocess.run([*TALKOVER, "analyze", str(path), "--json", "-q"], check=True,
                       env=_env(), stdout=subprocess.DEVNULL)
    per_file = time.perf_counter() - started
    one = _batch(manifest, out / "store-w1", "--workers", "1")
    two = _batch(manifest, out / "store-w2", "--workers", "2")
    ray = _batch(manifest, out / "store-ray", "--ray")
    same = all(
        (out / "store-ray" / "analyses" / p.name).read_bytes() == p.read_bytes()
        for p in (out / "store-default" / "analyses").glob("*.json")
    )
    return {
        "recordings": copies, "audio_s": round(audio_s, 1),
        "batch_default_s": round(default, 1), "analyze_per_file_s": round(per_file, 1),
        "speedup_batch_vs_per_file": round(per_file / default, 2),
        "workers_1_s": round(one, 1), "workers_2_s": round(two, 1),
        "workers_2_over_1": round(one / two, 2),
        "ray_local_s": round(ray, 1), "ray_overhead": round(ray / default - 1, 3),
        "ray_json_equal_to_local": same,
    }


def _long_wav(path: Path, hours: float) -> float:
    """An ``hours``-long 16 kHz mono WAV looping the shared recordings; its length in s."""
    from talkover.io import decode_audio

    pieces = [decode_audio(c / f"{c.name}.wav").samples for c in real_cases()]
    loop = np.concatenate(pieces)
    target = int(hours * 3600 * 16000)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        written = 0
        while written < target:
            block = loop[: target - written]
            w.writeframes((np.clip(block, -1, 1) * 32767).astype("<i2").tobytes())
            written += len(block)
    return target / 16000


_MEASURE = """
import json, resource, sys, time
from talkover.batch import AnalysisOptions, Job, Models, run_job
from talkover.batch.worker import threads_per_worker
path = sys.argv[1]
job = Job(uri="long", path=path, kind="audio", stage="full", options=AnalysisOptions(),
          diarization_hash="-", events_hash="-")
started = time.perf_counter()
result = run_job(job, Models(threads_per_worker(1)))
analysis = json.loads(result.analysis_json) if result.ok else None
print(json.dumps({
    "error": result.error, "wall_s": time.perf_counter() - started,
    "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "speakers": len(analysis["speakers"]) if analysis else None,
    "events": len(analysis["events"]) if analysis else None,
    "timings": result.timings.__repr__(),
}))
"""


def memory(out: Path, hours: float) -> dict:
    path = out / f"long-{hours:g}h.wav"
    try:
        audio_s = _long_wav(path, hours)
        done = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], check=True,
                              env=_env(), capture_output=True, text=True)
    finally:
        path.unlink(missing_ok=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"hours": hours, "audio_s": audio_s, **result,
            "peak_rss_gb": round(result["peak_rss_mib"] * 1024 * 1024 / 1e9, 3)}


def machine() -> dict:
    return {"cpu_count": os.cpu_count(), "platform": platform.platform(),
            "processor": platform.processor(), "python": platform.python_version()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["speed", "memory"])
    parser.add_argument("--copies", type=int, default=40)
    parser.add_argument("--hours", type=float, default=6.0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    keep = args.out is not None
    out = args.out or Path(tempfile.mkdtemp(prefix="talkover-bench-batch-"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        result = speed(out, args.copies) if args.part == "speed" else memory(out, args.hours)
        summary = {"part": args.part, "machine": machine(), **result}
        text = json.dumps(summary, indent=2)
        print(text)
        if keep:
            (out / f"batch-{args.part}.json").write_text(text + "\n")
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
