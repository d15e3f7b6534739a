"""How long the review takes to recompute a one-hour meeting after one correction.

Plants an hour of conversation among 6 speakers with ~2,000 events with
:class:`~talkover.testing.TimelineBuilder` (as if talkover's diarizer had made it, so every
event gets a confidence, and with a gender attribute, so group comparisons are recomputed
too), then applies a stream of edits of every kind (verdicts, boundary nudges, splits,
deletions, additions, reassignments, undo/redo) through :class:`talkover.review.Review` and
times each ``apply`` (edit checked, logged to disk, the analysis recomputed) and the JSON the
web page receives after it. Then the same edits again on a fresh review under ``tracemalloc``
(not timed): the memory a review holds after them, per edit.

    PYTHONPATH=src python benchmarks/review.py [--edits 200] [--seed 3]

Prints one JSON object (also what docs/web.md's table quotes).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from talkover.analysis import Analysis, analyze_timeline
from talkover.cast import Cast
from talkover.provenance import Provenance
from talkover.review import (
    AddSegment,
    DeleteSegment,
    EventRef,
    MoveBoundary,
    ReassignSegment,
    Redo,
    Review,
    SegmentRef,
    SetVerdict,
    SplitSegment,
    Undo,
)
from talkover.testing import TimelineBuilder
from talkover.timeline import SpeakerTimeline

SPEAKERS = ("Ana", "Ben", "Chen", "Dee", "Eli", "Fay")


def plant_meeting(seed: int = 3, hour_s: float = 3600.0) -> SpeakerTimeline:
    """An hour of lively conversation: short turns, many overlaps (~2,000 events)."""
    rng = random.Random(seed)
    b = TimelineBuilder()
    b.speak("Ana", 4.0)
    while b.floor_end_s < hour_s - 15:
        who = rng.choice([s for s in SPEAKERS if s != b.holder])
        kind = rng.random()
        try:
            if kind < 0.30:
                b.speak(who, rng.uniform(0.8, 2.5), gap_s=rng.uniform(0.2, 0.9))
            elif kind < 0.55:
                b.backchannel(who, at_s=rng.uniform(0.3, 0.9), duration_s=rng.uniform(0.2, 0.8))
            elif kind < 0.72:
                b.interruption(who, overlap_s=rng.uniform(0.6, 1.0), duration_s=rng.uniform(1.5, 3))
            elif kind < 0.82:
                b.failed_interruption(who, at_s=rng.uniform(0.3, 0.5), duration_s=1.2)
            else:
                b.overlap(who, overlap_s=rng.uniform(0.1, 0.45), duration_s=rng.uniform(1.5, 3))
        except ValueError:
            b.speak(who, rng.uniform(1.0, 3.0), gap_s=0.6)
    return SpeakerTimeline(tuple(b.segments), duration_s=hour_s, uri="meeting_hour")


def meeting_analysis(seed: int) -> Analysis:
    groups = ",".join(f"{s}={'woman' if i % 2 else 'man'}" for i, s in enumerate(SPEAKERS))
    timeline = plant_meeting(seed)
    return analyze_timeline(timeline.stamped(Provenance("audio", uri=timeline.uri)),
                            cast=Cast().with_groups([f"gender:{groups}"]))


def random_edit(review: Review, rng: random.Random):
    """One plausible correction of the current version."""
    result = review.result
    segments = review.state.timeline.segments
    roll = rng.random()
    if roll < 0.45:
        event = rng.choice(result.events)
        return SetVerdict(EventRef.of_event(event), rng.choice(["confirmed", "rejected"]))
    segment = rng.choice([s for s in segments if s.duration_s > 0.5])
    ref = SegmentRef.of(segment)
    if roll < 0.70:
        edge = rng.choice(["start", "end"])
        to = (segment.start_s if edge == "start" else segment.end_s) + rng.choice([-0.05, 0.05])
        return MoveBoundary(ref, edge, round(max(0.0, to), 3))
    if roll < 0.78:
        return SplitSegment(ref, round((segment.start_s + segment.end_s) / 2, 3))
    if roll < 0.84:
        return DeleteSegment(ref)
    if roll < 0.90:
        start = rng.uniform(0, 3590)
        return AddSegment(rng.choice(SPEAKERS), round(start, 3), round(start + 0.6, 3))
    if roll < 0.95:
        return ReassignSegment(ref, rng.choice([s for s in SPEAKERS if s != segment.speaker]))
    return Undo() if review.can_undo and not review.can_redo else (
        Redo() if review.can_redo else Undo())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--server-gc", action="store_true",
                        help="the garbage-collector settings of talkover serve (cli/serve.py)")
    args = parser.parse_args()
    from talkover.web.review_data import review_payload  # what the page receives

    base = meeting_analysis(args.seed)
    if args.server_gc:
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 50, 100)
    counts: dict[str, int] = {}
    for e in base.events:
        counts[e.type] = counts.get(e.type, 0) + 1
    rng = random.Random(args.seed)
    apply_ms, payload_ms, kinds, applied = [], [], {}, []
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        review = Review(base, Path(tmp) / "review")
        _ = review.result
        open_ms = (time.perf_counter() - t) * 1000
        for _ in range(args.edits):
            edit = random_edit(review, rng)
            t0 = time.perf_counter()
            try:
                review.apply(edit)
            except Exception:  # a random edit can be invalid (too short...): not timed
                continue
            t1 = time.perf_counter()
            applied.append(edit)
            text = json.dumps(review_payload(review, "meeting"))
            t2 = time.perf_counter()
            apply_ms.append((t1 - t0) * 1000)
            payload_ms.append((t2 - t1) * 1000)
            kinds.setdefault(edit.op, []).append((t1 - t0) * 1000)
        t = time.perf_counter()
        _ = Review(base, Path(tmp) / "review").result  # reopening replays the whole log
        reopen_ms = (time.perf_counter() - t) * 1000
        held_bytes = memory_held(base, applied, Path(tmp) / "memory")
    total = [a + p for a, p in zip(apply_ms, payload_ms, strict=True)]
    q = statistics.quantiles
    print(json.dumps({
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                   f"python {platform.python_version()}",
        "segments": len(base.timeline), "events": len(base.events), "event_types": counts,
        "server_gc": args.server_gc,
        "edits_timed": len(apply_ms),
        "apply_ms_median_by_kind": {k: [len(v), round(statistics.median(v), 1)]
                                    for k, v in sorted(kinds.items())},
        "apply_ms_median": round(statistics.median(apply_ms), 1),
        "apply_ms_p95": round(q(apply_ms, n=20)[18], 1),
        "apply_plus_page_json_ms_median": round(statistics.median(total), 1),
        "apply_plus_page_json_ms_p95": round(q(total, n=20)[18], 1),
        "apply_plus_page_json_ms_max": round(max(total), 1),
        "page_json_bytes": len(text),
        "open_ms": round(open_ms, 1),
        "reopen_after_edits_ms": round(reopen_ms, 1),
        "memory_held_after_edits_mb": round(held_bytes / 1e6, 2),
        "memory_held_per_edit_kb": round(held_bytes / max(1, len(applied)) / 1e3, 1),
    }, indent=2))


def memory_held(base: Analysis, edits: list, folder: Path) -> int:
    """Bytes a review holds after ``edits`` beyond what it held when opened (tracemalloc;
    the current version's recomputation is counted once, at the start and at the end)."""
    review = Review(base, folder)
    _ = review.result
    gc.collect()
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    for edit in edits:
        review.apply(edit)
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - start
    tracemalloc.stop()
    return held


if __name__ == "__main__":
    main()
