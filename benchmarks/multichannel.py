"""Multichannel diarization on the AMI "seriously" excerpt: DER of per-channel VAD + bleed
suppression, from four track files and from one 4-channel file, against an anchor run in the
same process: the same VAD without bleed suppression. The same comparison is repeated with
simulated cross-talk: every track also carries the other three at ``--bleed-db`` (default -25 dB)
with a 5 ms delay, as each headset of a meeting picks up its neighbours.

For scale, two single-mixture diarizers run on the summed recording (the case's own wav) in the
same process: senko 0.2.2 (through ``bench_systems.load_senko``, which works around its fbank
extension's SIGILL on this CPU) and talkover's own overlap-aware diarizer.

Usage::

    PYTHONPATH=src python benchmarks/multichannel.py [--markdown] [--bleed-db -25]

DER is pyannote.metrics' DiarizationErrorRate(collar=0.0, skip_overlap=False) over the whole
minute, with the optimal one-to-one mapping of tracks to reference speakers; miss, false alarm
and confusion are given as fractions of the reference speech.
"""

from __future__ import annotations

import argparse
import logging
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from scipy.io import wavfile

from bench_systems import SYSTEMS
from talkover.evaluation.diarization import diarization_counts
from talkover.formats.rttm import read_rttm
from talkover.io import Waveform, decode_audio
from talkover.multichannel import MultichannelConfig, diarize_channels
from talkover.multichannel.sources import load_channel_file, load_tracks
from talkover.testing import SHARED_REAL
from talkover.timeline import SpeakerTimeline

CASE = SHARED_REAL / "pyannote_seriously_ami_1min"


def score(name: str, hyp: SpeakerTimeline, ref: SpeakerTimeline, seconds: float) -> dict:
    c = diarization_counts(ref, hyp)
    return {
        "system": name,
        "der": c.der,
        "miss": c.miss_s / c.total_s,
        "fa": c.false_alarm_s / c.total_s,
        "conf": c.confusion_s / c.total_s,
        "seconds": seconds,
    }


def run_tracks(tracks: list[Path], *, suppress_bleed: bool) -> tuple[SpeakerTimeline, float]:
    start = time.perf_counter()
    waveforms, names = load_tracks(tracks)
    timeline = diarize_channels(waveforms, names, suppress_bleed=suppress_bleed)
    return timeline, time.perf_counter() - start


def run_channels(tracks: list[Path], tmp: Path) -> tuple[SpeakerTimeline, float]:
    rates_and_data = [wavfile.read(t) for t in tracks]
    rate = rates_and_data[0][0]
    stacked = np.stack([d for _, d in rates_and_data], axis=1)  # (n, 4) as recorded (int16)
    path = tmp / "four_channels.wav"
    wavfile.write(path, rate, stacked)
    names = [t.stem for t in tracks]
    start = time.perf_counter()
    waveforms = load_channel_file(path, names)
    timeline = diarize_channels(waveforms, names)
    return timeline, time.perf_counter() - start


def with_crosstalk(waveforms: tuple[Waveform, ...], bleed_db: float) -> tuple[Waveform, ...]:
    """Each track plus the others at ``bleed_db`` dB, delayed 5 ms (80 samples)."""
    gain = 10.0 ** (bleed_db / 20.0)
    delay = 80
    out = []
    for i, wav in enumerate(waveforms):
        x = wav.samples.astype(np.float32).copy()
        for j, other in enumerate(waveforms):
            if j != i:
                x[delay:] += gain * other.samples[:-delay]
        out.append(Waveform(samples=x, sample_rate_hz=wav.sample_rate_hz, path=wav.path))
    return tuple(out)


def run_simulated(
    tracks: list[Path], bleed_db: float, *, suppress_bleed: bool
) -> tuple[SpeakerTimeline, float]:
    waveforms, names = load_tracks(tracks)
    mixed = with_crosstalk(waveforms, bleed_db)
    start = time.perf_counter()
    timeline = diarize_channels(mixed, names, suppress_bleed=suppress_bleed)
    return timeline, time.perf_counter() - start


def run_mixture(system: str) -> tuple[SpeakerTimeline, float]:
    """A single-mixture diarizer of ``bench_systems`` on the summed recording (load untimed)."""
    diarize, _ = SYSTEMS[system]()
    samples = decode_audio(CASE / f"{CASE.name}.wav").samples
    start = time.perf_counter()
    timeline = diarize(samples, CASE.name)
    return timeline, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bleed-db", type=float, default=-25.0, help="simulated cross-talk (dB)")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    torch.set_num_threads(2)
    threads = torch.get_num_threads()
    ref = read_rttm(CASE / f"{CASE.name}.rttm")
    tracks = sorted((CASE / "sources").glob("source*.wav"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        hyp, s = run_tracks(tracks, suppress_bleed=True)
        rows.append(score("talkover --tracks (VAD + bleed suppression)", hyp, ref, s))
        hyp, s = run_channels(tracks, Path(tmp))
        rows.append(score("talkover --channels (one 4-channel wav)", hyp, ref, s))
        hyp, s = run_tracks(tracks, suppress_bleed=False)
        rows.append(score("anchor: same VAD, no bleed suppression", hyp, ref, s))
    for r in rows:
        r["anchor"] = rows[-1]["der"]
    sim = f"+ simulated {args.bleed_db:g} dB cross-talk"
    hyp, s = run_simulated(tracks, args.bleed_db, suppress_bleed=False)
    sim_anchor = score(f"anchor {sim}, no bleed suppression", hyp, ref, s)
    hyp, s = run_simulated(tracks, args.bleed_db, suppress_bleed=True)
    rows.append(score(f"talkover --tracks {sim}", hyp, ref, s))
    rows.append(sim_anchor)
    for r in rows[-2:]:
        r["anchor"] = sim_anchor["der"]
    for system, label in (("senko", "senko 0.2.2"), ("talkover", "talkover diarizer")):
        hyp, s = run_mixture(system)
        rows.append(score(f"{label} on the summed mixture (one channel)", hyp, ref, s))
        rows[-1]["anchor"] = None  # another input: no ratio
    print(
        f"# {CASE.name}: 60.0 s, 4 speakers; machine {platform.machine()} "
        f"({platform.processor() or 'cpu'}), {threads} torch threads"
    )
    print(f"# config {MultichannelConfig()}")
    print("# DER / anchor: against the no-suppression anchor on the same input")
    header = (
        "| system | DER | miss | false alarm | confusion | DER / anchor | time (s) | x real time |"
    )
    if args.markdown:
        print(header)
        print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        cells = [
            r["system"],
            f"{r['der']:.3f}",
            f"{r['miss']:.3f}",
            f"{r['fa']:.3f}",
            f"{r['conf']:.3f}",
            f"{r['der'] / r['anchor']:.2f}" if r["anchor"] else "-",
            f"{r['seconds']:.1f}",
            f"{60.0 / r['seconds']:.0f}",
        ]
        print("| " + " | ".join(cells) + " |" if args.markdown else "  ".join(cells))


if __name__ == "__main__":
    main()
