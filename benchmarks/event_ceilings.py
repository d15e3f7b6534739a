"""How good can events from audio get? Ceilings that separate the sources of event error.

Every row is scored as ``benchmarks/events.py`` scores (pooled DER; macro F1 over interruption,
failed_interruption, backchannel and overlap; events match on type, mapped speakers and onset
within 1 s), per set:

``reference, jitter S s``
    The reference timeline with every onset and end moved by Gaussian noise of S seconds
    (seeded): how much boundary noise the event definitions tolerate.
``reference, ends late D s``
    The reference with every segment ending D seconds late: a diarizer that lets each speaker
    linger.
``talkover``
    The diarizer as shipped, then :func:`talkover.cleanup.clean_timeline`.
``talkover, oracle clustering``
    The same model outputs, but each (window, local speaker) goes to the reference speaker its
    activity overlaps most (one-to-one per window): the clustering made perfect, the
    segmentation model's activity left as it is.

The model stage is cached as ``benchmarks/window_step.py`` caches it (same folder layout), so
the two scripts share one model run per file.

    python benchmarks/event_ceilings.py --cache out/steps --set synthetic=out/synthetic \\
        --set heldout=out/heldout
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from events import Tally, score
from talkover import EventConfig, SpeakerTimeline, read_rttm
from talkover.cleanup import clean_timeline
from talkover.diarize.pipeline import DiarizationConfig, Diarizer
from talkover.diarize.reconstruct import aggregate_activity, binarize, to_timeline
from talkover.diarize.segmentation import FRAME_SIZE_SAMPLES, FRAME_STEP_SAMPLES, window_starts
from talkover.testing.voices import read_wav
from talkover.timeline import Segment
from window_step import add_set_flags, cases, sets_from_args

SAMPLE_RATE_HZ = 16_000
JITTERS_S = (0.1, 0.2, 0.3)
LATE_ENDS_S = (0.25, 0.5)

Row = Callable[[SpeakerTimeline, "ModelOutputs"], SpeakerTimeline]


class ModelOutputs:
    """One file's cached model stage and what the rows need to rebuild a timeline from it."""

    def __init__(self, diarizer: Diarizer, cache: Path, wav: Path, uri: str) -> None:
        samples = read_wav(wav).astype(np.float32)
        npz = cache / f"{uri}.npz"
        if not npz.is_file():
            np.savez(npz, *diarizer._windows(samples, None))
        z = np.load(npz)
        self.activity, self.probability, self.embeddings, self.reliable = (
            z[f"arr_{i}"] for i in range(4)
        )
        self.diarizer = diarizer
        self.num_samples = len(samples)
        self.uri = uri

    def talkover(self) -> SpeakerTimeline:
        return self.diarizer._timeline(
            self.activity, self.probability, self.embeddings, self.reliable, self.num_samples,
            self.uri, num_speakers=None, min_speakers=None, max_speakers=None,
        )

    def oracle_clustering(self, ref: SpeakerTimeline) -> SpeakerTimeline:
        """Local speakers given to the reference speakers they overlap most, per window."""
        config = self.diarizer.config
        duration_s = self.num_samples / SAMPLE_RATE_HZ
        speakers = list(ref.speakers)
        if not speakers:
            return SpeakerTimeline((), duration_s=duration_s, uri=self.uri)
        starts = window_starts(self.num_samples, step_samples=config.step_samples)
        frames = self.activity.shape[1]
        assignment = np.full(self.activity.shape[::2], -1, dtype=np.int64)
        for w, start in enumerate(starts):
            centres_s = (start + FRAME_SIZE_SAMPLES // 2
                         + np.arange(frames) * FRAME_STEP_SAMPLES) / SAMPLE_RATE_HZ
            truth = np.zeros((frames, len(speakers)), np.float32)
            for seg in ref:
                truth[(centres_s >= seg.start_s) & (centres_s < seg.end_s),
                      speakers.index(seg.speaker)] = 1.0
            overlap = self.activity[w].T @ truth  # (local, speakers)
            for k, c in zip(*linear_sum_assignment(overlap, maximize=True), strict=True):
                if self.activity[w, :, k].any():
                    assignment[w, k] = c
        scores, count = aggregate_activity(
            self.probability if config.soft_activity else self.activity, starts, assignment,
            num_speakers=len(speakers), edge_weighting=config.edge_weighting,
            count_offset=config.count_offset,
        )
        return to_timeline(binarize(scores, count), duration_s=duration_s, uri=self.uri,
                           min_duration_on_s=config.min_duration_on_s,
                           min_duration_off_s=config.min_duration_off_s)


def jittered(ref: SpeakerTimeline, *, sigma_s: float, late_s: float, seed: int
             ) -> SpeakerTimeline:
    """``ref`` with Gaussian noise on every boundary and every end ``late_s`` later."""
    rng = np.random.default_rng(seed)
    end_of_file = ref.duration_s if ref.duration_s is not None else float("inf")
    segments = []
    for seg in ref:
        start = max(0.0, seg.start_s + rng.normal(0.0, sigma_s))
        end = min(end_of_file, seg.end_s + late_s + rng.normal(0.0, sigma_s))
        if end - start >= 0.05:
            segments.append(Segment(round(start, 3), round(end, 3), seg.speaker))
    segments.sort(key=lambda s: (s.start_s, s.speaker))
    return SpeakerTimeline(tuple(segments), duration_s=ref.duration_s, uri=ref.uri)


def rows() -> dict[str, Row]:
    out: dict[str, Row] = {}
    for sigma in JITTERS_S:
        out[f"reference, jitter {sigma} s"] = (
            lambda ref, _m, s=sigma: jittered(ref, sigma_s=s, late_s=0.0, seed=0))
    for late in LATE_ENDS_S:
        out[f"reference, ends late {late} s"] = (
            lambda ref, _m, d=late: jittered(ref, sigma_s=0.0, late_s=d, seed=0))
    out["talkover"] = lambda _ref, m: clean_timeline(m.talkover())
    out["talkover, oracle clustering"] = lambda ref, m: clean_timeline(m.oracle_clustering(ref))
    return out


def run(sets: dict[str, Path], cache: Path) -> dict[tuple[str, str], Tally]:
    diarizer = Diarizer(DiarizationConfig())
    folder = cache / f"step{diarizer.config.window_step_s}_emb{diarizer.config.max_embedding_s}"
    folder.mkdir(parents=True, exist_ok=True)
    tallies: dict[tuple[str, str], Tally] = {}
    for set_name, uri, wav, rttm in cases(sets):
        ref = read_rttm(rttm)
        outputs = ModelOutputs(diarizer, folder, wav, uri)
        for name, build in rows().items():
            score(ref, build(ref, outputs), EventConfig(),
                  tallies.setdefault((set_name, name), Tally()))
    return tallies


def table(tallies: dict[tuple[str, str], Tally]) -> str:
    lines = ["| set | timeline | DER | macro F1 | interruption F1 | failed_interruption F1 "
             "| backchannel F1 | overlap F1 |", "|---|---|---|---|---|---|---|---|"]
    for (set_name, name), t in tallies.items():
        f1 = [t.prf(k)[2] for k in ("interruption", "failed_interruption", "backchannel",
                                    "overlap")]
        cells = [f"{x:.2f}" if x is not None else "-" for x in (t.der, t.macro_f1(), *f1)]
        lines.append(f"| {set_name} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_set_flags(parser)
    args = parser.parse_args(argv)
    print(table(run(sets_from_args(parser, args), args.cache)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
