"""Live mode against the issue-17 targets, on synthetic conversations of real voices.

Sets (generated into ``--out`` when absent, from the shared real cases' voices):

- ``conversations``: ``--count`` conversations of about 60 s, seeds ``--first-seed`` on, 2, 3, 4,
  2, ... speakers, planted interruptions (overlaps of 0.8-1.5 s the interrupter wins),
  backchannels (0.25-0.85 s), failed interruptions, overlaps and switches
  (:mod:`talkover.testing.synth`, default mix);
- ``solo``: one person speaking alone (each of four voices, their clips one after another with
  0.3-1.2 s pauses, 150 s each; 10 min in all), for false alerts.

Each recording is replayed through the live path (``FileSource`` at ``--speed 0``: simulated
clock, the same code a microphone feeds) and analysed offline with ``talkover.analyze`` (the
anchor: the same models seeing the whole recording). Scoring:

- an alert *hits* a planted interruption when its two speakers (live speakers mapped onto the
  planted ones by the optimal DER mapping) are the interrupter and the interrupted and its onset
  is within 1 s of the planted onset; targets are the planted interruptions whose overlap is at
  least 1 s; the delay is the alert's stream time minus the planted onset;
- precision: alerts that hit a planted interruption or failed interruption (someone talked over
  someone for more than a backchannel's length) over all alerts; "strict": interruptions only;
- backchannel alerts: alerts whose pair and onset match a planted backchannel;
- false alerts per 10 min on the solo set (every alert there is false);
- compute: process CPU seconds over audio seconds while the live path runs (2-core machine,
  one torch thread); wall at ``--speed 0`` over audio seconds;
- live vs offline: interruption counts, pooled and per recording.

``--realtime`` instead replays a ``--minutes``-long concatenation of the conversations through
``talkover live --speed 1`` (as long in wall time) and reads its log's summary: dropped blocks,
the most the processing fell behind, CPU over audio, and live vs offline counts.

    python benchmarks/live.py [--count 20] [--first-seed 4000] [--write docs/live-table.md]
    python benchmarks/live.py --realtime --minutes 30
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from talkover import analyze, read_rttm
from talkover.analysis import analyze_timeline
from talkover.diarize import Diarizer
from talkover.evaluation.diarization import optimal_mapping
from talkover.io import Waveform
from talkover.live.session import SessionResult, run_session
from talkover.live.source import FileSource
from talkover.live.stream import StreamingDiarizer
from talkover.live.tracker import FloorTracker
from talkover.testing import SHARED_REAL
from talkover.testing.synth import write_set
from talkover.testing.synth.plan import Placement
from talkover.testing.synth.render import render, write_wav
from talkover.testing.voices import VoiceBank, load_voice_bank, read_wav
from talkover.timeline import SpeakerTimeline

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "benchmarks" / "out" / "live"
TOLERANCE_S = 1.0
SOLO_VOICES = 4
SOLO_S = 150.0


# -- sets -------------------------------------------------------------------------------------
def conversations(bank: VoiceBank | None, folder: Path, *, count: int, first_seed: int
                  ) -> list[dict]:
    if not (folder / "index.json").is_file():
        assert bank is not None
        write_set(bank, folder, count=count, first_seed=first_seed, duration_s=60.0)
    return json.loads((folder / "index.json").read_text(encoding="utf-8"))


def solo_set(bank: VoiceBank | None, folder: Path, *, seed: int = 0) -> list[dict]:
    """One voice at a time: clips back to back with short pauses (nobody else speaks)."""
    index = folder / "index.json"
    if index.is_file():
        return json.loads(index.read_text(encoding="utf-8"))
    assert bank is not None
    rng = np.random.default_rng(seed)
    voices = sorted(bank.voices, key=lambda v: -sum(c.duration_s for c in v.clips))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for voice in voices[:SOLO_VOICES]:
        placements, t = [], 0.5
        while t < SOLO_S:
            clip = voice.clips[int(rng.integers(len(voice.clips)))]
            placements.append(Placement(voice.name, t, t + clip.duration_s, clip,
                                        clip.duration_s, float(rng.uniform(-1.5, 1.5))))
            t += clip.duration_s + float(rng.uniform(0.3, 1.2))
        samples = render(placements, num_samples=int((t + 0.5) * 16000), rng=rng,
                         noise_dbfs=-60.0)
        uri = f"solo_{len(rows)}"
        write_wav(samples, folder / f"{uri}.wav")
        rows.append({"uri": uri, "wav": f"{uri}.wav", "voice": voice.name,
                     "duration_s": len(samples) / 16000})
    index.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return rows


# -- running ----------------------------------------------------------------------------------
def run_live(diarizer: Diarizer, samples: np.ndarray) -> tuple[SessionResult, float]:
    pipeline = StreamingDiarizer(diarizer)
    tracker = FloorTracker(smoothing=pipeline.smoothing)
    start = time.perf_counter()
    result = run_session(FileSource(samples[None, :], speed=0), pipeline, tracker)
    return result, time.perf_counter() - start


@dataclass
class Tally:
    audio_s: float = 0.0
    cpu_s: float = 0.0
    wall_s: float = 0.0
    targets: int = 0
    hits: int = 0
    alerts: int = 0
    correct: int = 0
    strict: int = 0
    backchannels: int = 0
    backchannel_alerts: int = 0
    delays: list[float] = field(default_factory=list)
    counts: list[tuple[str, int, int, int]] = field(default_factory=list)  # uri, planted, live, off
    offline_hits: int = 0
    offline_found: int = 0


def _pair(mapping: dict[str, str], by: str, of: str) -> tuple[str | None, str | None]:
    return mapping.get(by), mapping.get(of)


def score(ref: SpeakerTimeline, result: SessionResult, offline, tally: Tally, uri: str) -> None:
    planted = analyze_timeline(ref).events
    mapping = optimal_mapping(ref, result.timeline) if len(result.timeline) else {}
    alerts = [(_pair(mapping, a.by, a.over), a.onset_s, a.t_s) for a in result.alerts]

    def near(pair, onset, kinds) -> bool:
        return any(e.type in kinds and pair == (e.by, e.of) and abs(onset - e.start_s)
                   <= TOLERANCE_S for e in planted)

    used: set[int] = set()
    for event in planted:
        if event.type == "interruption" and event.overlap_s >= 1.0:
            tally.targets += 1
            candidates = [i for i, (pair, onset, _) in enumerate(alerts) if i not in used
                          and pair == (event.by, event.of)
                          and abs(onset - event.start_s) <= TOLERANCE_S]
            if candidates:
                best = min(candidates, key=lambda i: abs(alerts[i][1] - event.start_s))
                used.add(best)
                tally.hits += 1
                tally.delays.append(alerts[best][2] - event.start_s)
    tally.alerts += len(alerts)
    tally.correct += sum(near(p, o, ("interruption", "failed_interruption")) for p, o, _ in alerts)
    tally.strict += sum(near(p, o, ("interruption",)) for p, o, _ in alerts)
    tally.backchannels += sum(e.type == "backchannel" for e in planted)
    tally.backchannel_alerts += sum(near(p, o, ("backchannel",)) and not near(
        p, o, ("interruption", "failed_interruption")) for p, o, _ in alerts)
    live_n = sum(e.event.type == "interruption" for e in result.events)
    offline_n = sum(e.type == "interruption" for e in offline.events)
    tally.counts.append((uri, sum(e.type == "interruption" for e in planted), live_n, offline_n))
    # the anchor: offline interruptions found with the same matching
    off_map = optimal_mapping(ref, offline.timeline) if len(offline.timeline) else {}
    for e in offline.events:
        if e.type == "interruption":
            tally.offline_found += 1
            tally.offline_hits += near(_pair(off_map, e.by, e.of), e.start_s, ("interruption",))


def run_set(diarizer: Diarizer, folder: Path, rows: list[dict], log) -> Tally:
    tally = Tally()
    for row in rows:
        samples = read_wav(folder / row["wav"])
        result, wall = run_live(diarizer, samples)
        offline = analyze(Waveform(samples), diarizer=diarizer, uri=row["uri"])
        tally.audio_s += result.duration_s
        tally.cpu_s += result.compute_s
        tally.wall_s += wall
        if "rttm" in row:
            score(read_rttm(folder / row["rttm"]), result, offline, tally, row["uri"])
        else:
            tally.alerts += len(result.alerts)
        log(f"{row['uri']:24s} {result.duration_s:6.1f} s  cpu {result.compute_s:5.1f} s  "
            f"alerts {len(result.alerts):2d}  speakers {len(result.speakers)}")
    return tally


# -- the table --------------------------------------------------------------------------------
def _f(x: float | None, digits: int = 2) -> str:
    return "-" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:.{digits}f}"


def table(conv: Tally, solo: Tally) -> tuple[str, dict]:
    d = np.array(conv.delays) if conv.delays else np.array([np.nan])
    recall = conv.hits / conv.targets if conv.targets else None
    precision = conv.correct / conv.alerts if conv.alerts else None
    strict = conv.strict / conv.alerts if conv.alerts else None
    planted = sum(c[1] for c in conv.counts)
    live = sum(c[2] for c in conv.counts)
    offline = sum(c[3] for c in conv.counts)
    per_file = [abs(c[2] - c[3]) / c[3] for c in conv.counts if c[3]]
    false_per_10 = solo.alerts / (solo.audio_s / 600) if solo.audio_s else None
    numbers = {
        "delay_median_s": float(np.median(d)), "delay_p95_s": float(np.percentile(d, 95)),
        "recall": recall, "precision": precision, "precision_strict": strict,
        "targets": conv.targets, "hits": conv.hits, "alerts": conv.alerts,
        "backchannels": conv.backchannels, "backchannel_alerts": conv.backchannel_alerts,
        "solo_min": solo.audio_s / 60, "solo_alerts": solo.alerts,
        "false_alerts_per_10_min": false_per_10,
        "cpu_over_audio": (conv.cpu_s + solo.cpu_s) / (conv.audio_s + solo.audio_s),
        "wall_over_audio_speed0": (conv.wall_s + solo.wall_s) / (conv.audio_s + solo.audio_s),
        "interruptions": {"planted": planted, "live": live, "offline": offline},
        "live_vs_offline": (live - offline) / offline if offline else None,
        "live_vs_offline_per_file_mean_abs": float(np.mean(per_file)) if per_file else None,
        "offline_interruption_precision": (conv.offline_hits / conv.offline_found
                                           if conv.offline_found else None),
        "conversation_min": conv.audio_s / 60,
    }
    rows = [
        ("alert delay from the planted onset, median (stream time)", "≤ 1.0 s",
         f"{_f(numbers['delay_median_s'])} s"),
        ("alert delay, 95th percentile", "≤ 2.0 s", f"{_f(numbers['delay_p95_s'])} s"),
        ("alert recall, planted interruptions with ≥ 1 s of overlap", "≥ 0.8",
         f"{_f(recall)} ({conv.hits} of {conv.targets})"),
        ("alert precision (talking over: interruption or failed interruption)", "≥ 0.8",
         f"{_f(precision)} ({conv.correct} of {conv.alerts})"),
        ("alert precision, interruptions only", "", f"{_f(strict)}"),
        ("alerts on planted backchannels", "0",
         f"{conv.backchannel_alerts} (of {conv.backchannels} planted)"),
        ("false alerts per 10 min of one person alone", "≤ 1",
         f"{_f(false_per_10, 1)} ({solo.alerts} in {solo.audio_s / 60:.1f} min)"),
        ("compute: CPU time / audio time (live path, one torch thread)", "≤ 0.35",
         _f(numbers["cpu_over_audio"], 3)),
        ("wall time / audio time at --speed 0", "", _f(numbers["wall_over_audio_speed0"], 3)),
        ("interruptions counted live vs offline (pooled)", "within 15 %",
         f"{live} vs {offline} ({_f(100 * numbers['live_vs_offline'], 0) if offline else '-'} %);"
         f" planted {planted}"),
        ("  per recording, mean abs(live - offline) / offline", "",
         f"{_f(100 * numbers['live_vs_offline_per_file_mean_abs'], 0)} %"
         if per_file else "-"),
        ("anchor: offline talkover, interruptions that match a planted one", "",
         f"{_f(numbers['offline_interruption_precision'])} ({conv.offline_hits} of "
         f"{conv.offline_found})"),
    ]
    lines = ["| measure | target | measured |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines), numbers


# -- the 30-minute real-time run ----------------------------------------------------------------
def realtime(folder: Path, rows: list[dict], minutes: float, out: Path) -> int:
    long_wav = out / f"long_{minutes:g}min.wav"
    if not long_wav.is_file():
        pieces, total, i = [], 0, 0
        while total < minutes * 60 * 16000:
            pieces.append(read_wav(folder / rows[i % len(rows)]["wav"]))
            total += len(pieces[-1])
            i += 1
        write_wav(np.concatenate(pieces)[: int(minutes * 60 * 16000)], long_wav)
    log = out / f"long_{minutes:g}min.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    argv = [sys.executable, "-m", "talkover", "live", "--from", str(long_wav), "--speed", "1",
            "--view", "none", "--log", str(log), "-o", str(out / f"long_{minutes:g}min.json")]
    start = time.monotonic()
    code = subprocess.run(argv, env=env, check=False).returncode
    summary = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    summary["process_wall_s"] = time.monotonic() - start
    summary["exit_code"] = code
    (out / f"realtime_{minutes:g}min.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(json.dumps({k: summary[k] for k in ("duration_s", "dropped_blocks", "max_lag_s",
                                              "compute_s", "wall_s", "exit_code")}))
    totals = summary["comparison"]["totals"]["interruption"] if summary["comparison"] else None
    print(f"interruptions live vs offline: {totals}")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bank", type=Path, default=SHARED_REAL)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--first-seed", type=int, default=4000)
    parser.add_argument("--write", type=Path, default=None, help="write the table (markdown)")
    parser.add_argument("--realtime", action="store_true",
                        help="the --speed 1 run of a long concatenation (takes its length)")
    parser.add_argument("--minutes", type=float, default=30.0)
    args = parser.parse_args(argv)
    conv_dir = args.out / f"conversations_{args.first_seed}"
    need_bank = not (conv_dir / "index.json").is_file() or not (
        args.out / "solo" / "index.json").is_file()
    if need_bank and not args.bank.is_dir():
        print(f"error: voice bank folder {args.bank} not found", file=sys.stderr)
        return 2
    bank = load_voice_bank(args.bank) if need_bank else None
    rows = conversations(bank, conv_dir, count=args.count, first_seed=args.first_seed)
    if args.realtime:
        return realtime(conv_dir, rows, args.minutes, args.out)
    solo_rows = solo_set(bank, args.out / "solo")
    diarizer = Diarizer()

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    conv = run_set(diarizer, conv_dir, rows, log)
    solo = run_set(diarizer, args.out / "solo", solo_rows, log)
    text, numbers = table(conv, solo)
    machine = f"{platform.machine()} {os.cpu_count()} cores"
    print(text)
    (args.out / "results.json").write_text(json.dumps(numbers, indent=1) + "\n")
    if args.write:
        args.write.write_text(
            f"<!-- benchmarks/live.py --count {args.count} --first-seed {args.first_seed} "
            f"on {machine}; {conv.audio_s / 60:.1f} min of conversations, "
            f"{solo.audio_s / 60:.1f} min solo -->\n{text}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
