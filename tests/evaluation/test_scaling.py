"""Scoring whose cost follows the content (issue 18): the sweep gives pyannote.metrics' DER, JER
and mapping, the grouped event matching today's optimal assignment, the frame runs today's frame
grid -- on random inputs -- and none of them allocates by the recording's length or by the
product of the two inputs' sizes."""

from __future__ import annotations

import time
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyannote.core import Annotation
from pyannote.core import Segment as PyannoteSegment
from pyannote.core import Timeline as PyannoteTimeline
from pyannote.metrics.diarization import DiarizationErrorRate, JaccardErrorRate
from scipy.optimize import linear_sum_assignment

from talkover.evaluation import match_events
from talkover.evaluation.diarization import AnnotatedPair
from talkover.evaluation.overlap import overlap_detection
from talkover.evaluation.result import Detection
from talkover.events import Event
from talkover.timeline import Segment, SpeakerTimeline


def _timelines(speakers: str) -> st.SearchStrategy[SpeakerTimeline]:
    """Small timelines on a 0.1 s grid (ties and shared boundaries are common), overlaps of
    one speaker with itself included."""
    segment = st.tuples(st.integers(0, 60), st.integers(1, 30), st.sampled_from(speakers))
    return st.lists(segment, max_size=12).map(lambda rows: SpeakerTimeline(tuple(
        Segment(a / 10, (a + d) / 10, s) for a, d, s in rows)))


def _annotation(timeline: SpeakerTimeline) -> Annotation:
    annotation = Annotation()
    for i, s in enumerate(timeline):
        annotation[PyannoteSegment(s.start_s, s.end_s), i] = s.speaker
    return annotation


@given(ref=_timelines("ABC"), hyp=_timelines("xyzw"))
def test_the_sweep_scores_as_pyannote_metrics(ref: SpeakerTimeline, hyp: SpeakerTimeline):
    end = max(ref.end_s, hyp.end_s)
    uem = PyannoteTimeline([PyannoteSegment(0.0, end)] if end > 0 else [])
    der = DiarizationErrorRate(collar=0.0, skip_overlap=False)
    jer = JaccardErrorRate(collar=0.0, skip_overlap=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        d = der(_annotation(ref), _annotation(hyp), uem=uem, detailed=True)
        j = jer(_annotation(ref), _annotation(hyp), uem=uem, detailed=True)
        mapping = der.optimal_mapping(_annotation(ref), _annotation(hyp), uem=uem)
        # JER maps the other way round (reference rows): equal optima, ties may differ
        jer_mapping = {h: r for r, h in jer.optimal_mapping(
            _annotation(hyp), _annotation(ref), uem=uem).items()}
    pair = AnnotatedPair.of(ref, hyp)
    # the scores of a mapping are pyannote's...
    c = pair.diarization_counts(mapping)
    assert (c.miss_s, c.false_alarm_s, c.confusion_s, c.total_s) == pytest.approx(
        (d["missed detection"], d["false alarm"], d["confusion"], d["total"]), abs=1e-9)
    jaccard = pair.jaccard_counts(jer_mapping)
    assert (jaccard.speaker_error, jaccard.speaker_count) == pytest.approx(
        (j["speaker error"], j["speaker count"]), abs=1e-9)
    # ...and the mapping is as good (the same unless co-occurrences tie)
    ours, co = pair.optimal_mapping(), pair.cooccurrence
    assert sum(co.get(p, 0.0) for p in ours.items()) == pytest.approx(
        sum(co.get(p, 0.0) for p in mapping.items()), abs=1e-9)


def _dense_matches(ref: list[Event], hyp: list[Event], mapping: dict[str, str],
                   tolerance_s: float) -> list[tuple[int, int]]:
    """The matching as it was: one reference x hypothesis cost matrix."""
    if not ref or not hyp:
        return []
    keys = [(e.type, mapping.get(e.by, "?" + e.by), mapping.get(e.of, "?" + e.of)) for e in hyp]
    gap = np.abs(np.array([e.start_s for e in ref])[:, None]
                 - np.array([e.start_s for e in hyp])[None, :])
    allowed = (gap <= tolerance_s) & np.array([[(e.type, e.by, e.of) == k for k in keys]
                                                for e in ref])
    cost = np.where(allowed, gap, 1.0 + tolerance_s * (len(ref) + len(hyp)))
    rows, cols = linear_sum_assignment(cost)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if allowed[r, c]]


def _events(speakers: str) -> st.SearchStrategy[list[Event]]:
    event = st.tuples(st.sampled_from(["interruption", "backchannel"]), st.integers(0, 40),
                      st.sampled_from(speakers), st.sampled_from(speakers))
    return st.lists(event, max_size=25).map(lambda rows: [
        Event(t, a / 4, a / 4 + 0.5, by, of, 0.5) for t, a, by, of in rows if by != of])


@given(ref=_events("AB"), hyp=_events("xy"), tolerance=st.sampled_from([0.0, 0.25, 1.0, 3.0]))
def test_grouped_matching_is_the_optimal_assignment(ref, hyp, tolerance):
    mapping = {"x": "A", "y": "B"}
    ours = match_events(ref, hyp, mapping=mapping, onset_tolerance_s=tolerance)
    dense = _dense_matches(ref, hyp, mapping, tolerance)

    def gap(pairs: list[tuple[int, int]]) -> float:
        return sum(abs(ref[r].start_s - hyp[h].start_s) for r, h in pairs)

    assert len(ours) == len(dense) and gap(ours) == pytest.approx(gap(dense))
    assert len({r for r, _ in ours}) == len({h for _, h in ours}) == len(ours)
    for r, h in ours:
        assert abs(ref[r].start_s - hyp[h].start_s) <= tolerance
        assert (ref[r].type, ref[r].by, ref[r].of) == (
            hyp[h].type, mapping[hyp[h].by], mapping[hyp[h].of])


def _dense_overlap(ref: SpeakerTimeline, hyp: SpeakerTimeline, frame_s: float) -> Detection:
    """Overlapped speech as it was scored: every frame of the recording in memory."""
    num_frames = int(np.ceil(max(ref.end_s, hyp.end_s) / frame_s))
    centres = (np.arange(num_frames) + 0.5) * frame_s

    def frames(timeline: SpeakerTimeline) -> np.ndarray:
        active = np.zeros(num_frames, dtype=np.int32)
        for speaker in timeline.speakers:
            spoken = np.zeros(num_frames, dtype=bool)
            for span in timeline.speech_of(speaker):
                lo, hi = np.searchsorted(centres, [span.start_s, span.end_s])
                spoken[lo:hi] = True
            active += spoken
        return active >= 2

    a, b = frames(ref), frames(hyp)
    return Detection(float(np.sum(a & b)) * frame_s, float(np.sum(a)) * frame_s,
                     float(np.sum(b)) * frame_s)


@given(ref=_timelines("ABC"), hyp=_timelines("xy"), frame_s=st.sampled_from([0.01, 0.02, 0.1]))
def test_overlap_runs_count_the_frames_the_grid_did(ref, hyp, frame_s):
    assert overlap_detection(ref, hyp, frame_s=frame_s) == _dense_overlap(ref, hyp, frame_s)


def test_memory_follows_the_segments_not_the_recording_length():
    late = SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B"), (2.5e6, 2.5e6 + 5, "A"),
                                        (2.5e6 + 4, 2.5e6 + 9, "B")])  # 29 days in
    tracemalloc.start()
    from talkover.evaluation import evaluate

    result = evaluate(late, late)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.diarization.der == 0.0 and result.overlap.hits == pytest.approx(2.0)
    assert peak < 20e6  # a frame grid of 29 days would be 250 million frames


def test_matching_20k_events_against_20k_needs_no_square_matrix():
    rng = np.random.default_rng(0)
    onsets = np.sort(rng.uniform(0, 60_000, 20_000))
    ref = [Event("interruption", t, t + 1, "A", "B", 1.0) for t in onsets]
    hyp = [Event("interruption", t + 0.3, t + 1, "x", "y", 1.0) for t in onsets]
    began = time.perf_counter()
    pairs = match_events(ref, hyp, mapping={"x": "A", "y": "B"})
    assert len(pairs) == 20_000
    assert time.perf_counter() - began < 30  # the square matrix alone was 3.2 GB
