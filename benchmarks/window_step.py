"""Compare diarizer window steps (and embedding lengths) on event accuracy and DER.

The model stage (segmentation + embeddings, ``Diarizer._windows``) runs once per file and
setting and is cached as ``.npz`` in ``--cache``; the rest of the pipeline
(``Diarizer._timeline``, then :func:`talkover.cleanup.clean_timeline`) and the scoring
(:func:`talkover.evaluation.evaluate`, as ``benchmarks/events.py`` scores) run on the cache, so a
second run only re-scores. Prints pooled DER, the macro F1 over interruption,
failed_interruption, backchannel and overlap, and each type's F1, per set
(``benchmarks/events.py``'s tally), and the model stage's seconds for the files computed in
this run (none when all came from the cache).

    python benchmarks/window_step.py --cache out/steps --set synthetic=out/synthetic \\
        --set heldout=out/heldout --variant 5.0:4.0 --variant 2.5:4.0 --variant 1.0:4.0

``--set real`` (the default, always included) is ``../shared/bench/real``; a variant is
``STEP:EMBEDDING_SECONDS``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from events import MACRO_TYPES, Tally, score
from talkover import EventConfig, read_rttm
from talkover.cleanup import clean_timeline
from talkover.diarize.pipeline import DiarizationConfig, Diarizer
from talkover.io.waveform import SAMPLE_RATE_HZ
from talkover.testing import SHARED_REAL, real_cases
from talkover.testing.voices import read_wav

REPO = Path(__file__).resolve().parents[1]


def cases(sets: dict[str, Path]) -> list[tuple[str, str, Path, Path]]:
    """(set, uri, wav, rttm) of the real cases and of every synthetic set's index.json."""
    out = [("real", p.name, p / f"{p.name}.wav", p / f"{p.name}.rttm")
           for p in real_cases(sets["real"]) if (p / f"{p.name}.wav").is_file()]
    for name, root in sets.items():
        if name != "real":
            for row in json.loads((root / "index.json").read_text(encoding="utf-8")):
                out.append((name, row["uri"], root / row["wav"], root / row["rttm"]))
    return out


def run_variant(step: float, embedding_s: float, sets: dict[str, Path], cache: Path) -> None:
    config = DiarizationConfig(window_step_s=step, max_embedding_s=embedding_s)
    folder = cache / f"step{step}_emb{embedding_s}"
    folder.mkdir(parents=True, exist_ok=True)
    diarizer = Diarizer(config)
    tallies: dict[str, Tally] = {}
    for set_name, uri, wav, rttm in cases(sets):
        samples = read_wav(wav).astype(np.float32)
        npz = folder / f"{uri}.npz"
        tally = tallies.setdefault(set_name, Tally())
        if not npz.is_file():
            started = time.perf_counter()
            np.savez(npz, *diarizer._windows(samples, None))
            tally.compute_s += time.perf_counter() - started
            tally.audio_s += len(samples) / SAMPLE_RATE_HZ
        z = np.load(npz)
        hyp = diarizer._timeline(*(z[f"arr_{i}"] for i in range(4)), len(samples), uri,
                                 num_speakers=None, min_speakers=None, max_speakers=None)
        score(read_rttm(rttm), clean_timeline(hyp), EventConfig(), tally)
    for set_name, tally in tallies.items():
        per_type = " ".join(f"{kind} {tally.prf(kind)[2] or 0:.2f}" for kind in MACRO_TYPES)
        speed = (f" | model stage {tally.compute_s:.0f} s for {tally.audio_s:.0f} s of audio"
                 if tally.audio_s else "")
        print(f"step {step} s, embeddings {embedding_s} s | {set_name:10s} "
              f"DER {tally.der:.3f} macro F1 {tally.macro_f1():.3f} | {per_type}{speed}",
              flush=True)


def add_set_flags(parser: argparse.ArgumentParser) -> None:
    """``--real``, ``--set NAME=DIR`` (repeatable) and ``--cache`` (the model-stage cache)."""
    parser.add_argument("--real", type=Path, default=SHARED_REAL)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=DIR",
                        help="a synthetic set (folder with index.json); repeatable")
    parser.add_argument("--cache", type=Path, default=REPO / "benchmarks" / "out" / "steps")


def sets_from_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> dict[str, Path]:
    """``{"real": ..., NAME: DIR, ...}`` from :func:`add_set_flags`' flags."""
    sets = {"real": args.real}
    for item in args.set:
        name, _, folder = item.partition("=")
        if not folder:
            parser.error(f"--set {item!r}: expected NAME=DIR")
        sets[name] = Path(folder)
    return sets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_set_flags(parser)
    parser.add_argument("--variant", action="append", default=[], metavar="STEP:EMBEDDING_S")
    args = parser.parse_args(argv)
    sets = sets_from_args(parser, args)
    for variant in args.variant or ["5.0:4.0", "2.5:4.0"]:
        step, _, embedding = variant.partition(":")
        run_variant(float(step), float(embedding or 4.0), sets, args.cache)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
