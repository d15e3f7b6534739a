"""Planted conversations written as RTTM files: fast, known inputs for batch and store tests."""

from __future__ import annotations

import random
from pathlib import Path

from talkover.formats.rttm import write_rttm
from talkover.testing import TimelineBuilder
from talkover.timeline import SpeakerTimeline

SPEAKERS = ("A", "B", "C")


def planted_conversation(seed: int, *, turns: int = 12) -> TimelineBuilder:
    """A conversation of ``turns`` planted events among up to three speakers."""
    rng = random.Random(seed)
    builder = TimelineBuilder().speak("A", 4.0)
    for _ in range(turns):
        holder = builder.holder
        other = rng.choice([s for s in SPEAKERS if s != holder])
        kind = rng.choice(["switch", "interruption", "overlap", "backchannel", "failed"])
        builder.speak(holder, 4.0, gap_s=0.6)  # a fresh unit of the holder to plant in
        if kind == "switch":
            builder.speak(other, rng.uniform(2.0, 5.0), gap_s=rng.uniform(0.4, 1.0))
        elif kind == "interruption":
            builder.interruption(other, overlap_s=rng.uniform(0.7, 1.2), duration_s=4.0)
        elif kind == "overlap":
            builder.overlap(other, overlap_s=rng.uniform(0.1, 0.4), duration_s=4.0)
        elif kind == "backchannel":
            builder.backchannel(other, at_s=1.0, duration_s=0.5)
        else:
            builder.failed_interruption(other, at_s=1.0, duration_s=1.5)
    return builder


def write_conversations(folder: Path, count: int, *, first_seed: int = 0) -> list[Path]:
    """``count`` planted conversations as ``folder/conv_NNN.rttm``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        timeline = planted_conversation(first_seed + i).timeline()
        path = folder / f"conv_{first_seed + i:03d}.rttm"
        write_rttm(SpeakerTimeline(timeline.segments, duration_s=timeline.duration_s,
                                   uri=path.stem), path)
        paths.append(path)
    return paths
