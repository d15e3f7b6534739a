from __future__ import annotations

import json
import random
import warnings

import pytest
from pyannote.core import Annotation
from pyannote.core import Segment as PyannoteSegment
from pyannote.core import Timeline as PyannoteTimeline
from pyannote.metrics.diarization import DiarizationErrorRate, JaccardErrorRate

from talkover.analysis import analyze_timeline
from talkover.cli import main
from talkover.config import EventConfig
from talkover.errors import ConfigError
from talkover.evaluation import EvaluationResult, evaluate, match_events
from talkover.evaluation.diarization import jaccard_counts
from talkover.evaluation.events import event_detection
from talkover.evaluation.overlap import overlap_detection
from talkover.events import Event
from talkover.formats.rttm import read_rttm, write_rttm
from talkover.testing import TimelineBuilder, real_cases
from talkover.timeline import Segment, SpeakerTimeline
from tests.conftest import real_case_params

CONFIG = EventConfig()


def _conversation() -> TimelineBuilder:
    b = TimelineBuilder(config=CONFIG)
    b.speak("A", 5.0).backchannel("B", at_s=1.0, duration_s=0.5)
    b.interruption("B", overlap_s=1.0, duration_s=6.0)
    b.failed_interruption("A", at_s=2.0, duration_s=1.5)
    b.overlap("A", overlap_s=0.3, duration_s=4.0).speak("B", 3.0)
    b.interruption("A", overlap_s=1.0, duration_s=3.0)
    return b


def _perturbed(timeline: SpeakerTimeline, seed: int) -> SpeakerTimeline:
    """Boundaries moved by up to 0.4 s, speakers renamed, the last one merged into the first."""
    rng = random.Random(seed)
    first, last = timeline.speakers[0], timeline.speakers[-1]
    segs = []
    for s in timeline:
        start_s = max(0.0, s.start_s + rng.uniform(-0.4, 0.4))
        end_s = max(start_s + 0.05, s.end_s + rng.uniform(-0.4, 0.4))
        segs.append(Segment(start_s, end_s, f"h_{first if s.speaker == last else s.speaker}"))
    return SpeakerTimeline(tuple(segs), duration_s=timeline.duration_s)


def _scored_pairs() -> list[tuple[SpeakerTimeline, SpeakerTimeline]]:
    conversation = _conversation().timeline()
    real = [read_rttm(case / f"{case.name}.rttm") for case in real_cases()]
    return [
        (ref, hyp)
        for seed, ref in enumerate([conversation, *real])
        for hyp in (ref, _perturbed(ref, seed), SpeakerTimeline(duration_s=ref.duration_s))
    ]


def _annotation(timeline: SpeakerTimeline) -> Annotation:
    annotation = Annotation(uri=timeline.uri)
    for i, s in enumerate(timeline):
        annotation[PyannoteSegment(s.start_s, s.end_s), i] = s.speaker
    return annotation


@pytest.mark.parametrize("ref, hyp", _scored_pairs())
def test_evaluate_scores_as_pyannote_metrics_does(ref, hyp):
    # pyannote.metrics on its own: collar 0, overlap scored, the whole recording as the UEM.
    reference, hypothesis = _annotation(ref), _annotation(hyp)
    uem = PyannoteTimeline([PyannoteSegment(0.0, max(ref.end_s, hyp.end_s))])
    der = DiarizationErrorRate(collar=0.0, skip_overlap=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyannote warns on an empty hypothesis
        d = der(reference, hypothesis, uem=uem, detailed=True)
        j = JaccardErrorRate(collar=0.0, skip_overlap=False)(
            reference, hypothesis, uem=uem, detailed=True
        )
        mapping = der.optimal_mapping(reference, hypothesis, uem=uem)
    result = evaluate(ref, hyp, config=CONFIG, onset_tolerance_s=0.5, frame_s=0.02)
    c = result.diarization
    assert (c.miss_s, c.false_alarm_s, c.confusion_s, c.total_s) == pytest.approx(
        (d["missed detection"], d["false alarm"], d["confusion"], d["total"]), abs=1e-9
    )
    assert (result.jaccard.speaker_error, result.jaccard.speaker_count) == pytest.approx(
        (j["speaker error"], j["speaker count"]), abs=1e-9
    )
    assert result.mapping == mapping
    assert c.total_s > 0 and (hyp is not ref or c.der == 0.0)
    # overlap and events: the frame step and the onset tolerance are passed on
    assert result.overlap == overlap_detection(ref, hyp, frame_s=0.02)
    ref_events = analyze_timeline(ref, config=CONFIG).events
    hyp_events = analyze_timeline(hyp, config=CONFIG).events
    assert result.events == event_detection(
        ref_events, hyp_events, mapping=result.mapping, onset_tolerance_s=0.5
    )


def test_jaccard_counts_of_two_timelines():
    ref = SpeakerTimeline.from_tuples([(0, 10, "A"), (10, 20, "B")])
    hyp = SpeakerTimeline.from_tuples([(0, 12, "x"), (12, 20, "y")])
    j = jaccard_counts(ref, hyp)  # A: 10 s of 12 in either; B: 8 of 10
    assert j.speaker_count == 2 and j.speaker_error == pytest.approx(2 / 12 + 2 / 10)
    assert j == evaluate(ref, hyp).jaccard


def test_perfect_hypothesis_scores_zero_error_and_full_f1():
    b = _conversation()
    ref = b.timeline()
    result = evaluate(ref, ref, config=CONFIG)
    assert result.diarization.der == 0.0 and result.jaccard.jer == 0.0
    assert result.overlap.precision == result.overlap.recall == 1.0
    planted = {p.type for p in b.planted}
    assert planted >= {"interruption", "failed_interruption", "backchannel", "overlap"}
    for kind in planted:
        assert result.events[kind].f1 == 1.0, kind
    assert result.events["interruption"].num_ref == 2
    assert result.event_macro_f1 == 1.0


def test_relabelled_speakers_still_score_perfectly():
    ref = _conversation().timeline()
    hyp = ref.renamed({"A": "SPEAKER_01", "B": "SPEAKER_00"})
    result = evaluate(ref, hyp, config=CONFIG)
    assert result.mapping == {"SPEAKER_01": "A", "SPEAKER_00": "B"}
    assert result.diarization.der == 0.0 and result.event_macro_f1 == 1.0


def test_event_type_must_agree():
    ref = SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")], duration_s=9)
    # same onset, same speakers, but B's speech ends inside A's: a failed interruption
    hyp = SpeakerTimeline.from_tuples([(0, 8, "A"), (4, 6, "B")], duration_s=9)
    result = evaluate(ref, hyp, config=CONFIG)
    assert result.events["interruption"].hits == 0
    assert result.events["interruption"].recall == 0.0
    assert result.events["failed_interruption"].precision == 0.0


def test_missed_interruption_halves_recall_exactly():
    rows = [(0, 5, "A"), (4, 8, "B"), (9, 14, "A"), (13, 17, "B")]
    ref = SpeakerTimeline.from_tuples(rows, duration_s=18)
    # B's second onset moved after A's end: a switch, not an interruption
    hyp = SpeakerTimeline.from_tuples(rows[:3] + [(14.2, 17, "B")], duration_s=18)
    ref_types = [e.type for e in analyze_timeline(ref, config=CONFIG).events]
    assert ref_types.count("interruption") == 2
    result = evaluate(ref, hyp, config=CONFIG)
    interruption = result.events["interruption"]
    assert (interruption.hits, interruption.num_ref, interruption.num_hyp) == (1, 2, 1)
    assert interruption.recall == 0.5 and interruption.precision == 1.0
    assert interruption.f1 == pytest.approx(2 / 3)


def test_known_miss_and_false_alarm_give_exact_der():
    ref = SpeakerTimeline.from_tuples([(0, 10, "A"), (10, 20, "B")], duration_s=30)
    hyp = SpeakerTimeline.from_tuples([(0, 8, "x"), (10, 21, "y")], duration_s=30)
    d = evaluate(ref, hyp).diarization
    assert (d.miss_s, d.false_alarm_s, d.confusion_s, d.total_s) == pytest.approx((2, 1, 0, 20))
    assert d.der == pytest.approx(3 / 20)


def test_known_confusion_gives_exact_der():
    ref = SpeakerTimeline.from_tuples([(0, 10, "A"), (10, 20, "B")])
    hyp = SpeakerTimeline.from_tuples([(0, 12, "x"), (12, 20, "y")])
    d = evaluate(ref, hyp).diarization
    assert d.confusion_s == pytest.approx(2.0) and d.der == pytest.approx(0.1)


def test_missed_overlap_counts_as_miss_and_lowers_overlap_recall():
    ref = SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")], duration_s=8)
    hyp = SpeakerTimeline.from_tuples([(0, 4.5, "A"), (4, 8, "B")], duration_s=8)
    result = evaluate(ref, hyp)
    assert result.diarization.miss_s == pytest.approx(0.5)
    assert result.diarization.der == pytest.approx(0.5 / 9)
    assert result.overlap.num_ref == pytest.approx(1.0)
    assert result.overlap.recall == pytest.approx(0.5) and result.overlap.precision == 1.0
    no_overlap = evaluate(ref, SpeakerTimeline.from_tuples([(0, 4, "A"), (4, 8, "B")]))
    assert no_overlap.overlap.precision is None and no_overlap.overlap.recall == 0.0


def test_pooled_sums_components():
    ref1 = SpeakerTimeline.from_tuples([(0, 10, "A"), (10, 20, "B")], duration_s=30)
    hyp1 = SpeakerTimeline.from_tuples([(0, 8, "x"), (10, 21, "y")], duration_s=30)
    ref2 = SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")], duration_s=8)
    r1, r2 = evaluate(ref1, hyp1), evaluate(ref2, ref2)
    pooled = EvaluationResult.pooled([r1, r2])
    assert pooled.num_files == 2
    assert pooled.diarization.der == pytest.approx(3 / (20 + 9))
    assert pooled.events["interruption"].num_ref == 1
    assert pooled.jaccard.speaker_count == 4


def test_events_match_one_to_one_within_tolerance():
    ref = [Event("backchannel", 10.0, 10.5, "B", "A", 0.5)]
    hyp = [
        Event("backchannel", 9.5, 10.0, "b", "a", 0.5),
        Event("backchannel", 10.2, 10.7, "b", "a", 0.5),
        Event("backchannel", 11.5, 12.0, "b", "a", 0.5),
    ]
    pairs = match_events(ref, hyp, mapping={"a": "A", "b": "B"}, onset_tolerance_s=1.0)
    assert pairs == [(0, 1)]  # the nearest onset wins; the 1.5 s one is out of tolerance
    assert match_events(ref, hyp, mapping={"a": "B", "b": "A"}) == []


def test_empty_timelines():
    empty = SpeakerTimeline(duration_s=10)
    result = evaluate(empty, empty)
    assert result.diarization.der is None and result.event_macro_f1 is None
    hyp = SpeakerTimeline.from_tuples([(1, 2, "x")], duration_s=10)
    assert evaluate(empty, hyp).diarization.false_alarm_s == pytest.approx(1.0)


def test_cli_json_and_text(tmp_path, capsys):
    ref_path, hyp_path = tmp_path / "ref.rttm", tmp_path / "hyp.rttm"
    write_rttm(SpeakerTimeline.from_tuples([(0, 10, "A"), (10, 20, "B")], uri="f"), ref_path)
    write_rttm(SpeakerTimeline.from_tuples([(0, 8, "x"), (10, 20, "y")], uri="f"), hyp_path)
    assert main(["eval", "--ref", str(ref_path), "--hyp", str(hyp_path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["der"] == pytest.approx(0.1) and payload["miss_s"] == pytest.approx(2.0)
    assert payload["mapping"] == {"x": "A", "y": "B"}
    assert main(["eval", "--ref", str(ref_path), "--hyp", str(hyp_path)]) == 0
    out = capsys.readouterr().out
    assert "DER    10.0 %" in out and "x -> A" in out


def test_cli_bad_input_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.rttm"
    bad.write_text("SPEAKER f 1 zero 1.0 <NA> <NA> A <NA> <NA>\n")
    assert main(["eval", "--ref", str(bad), "--hyp", str(bad)]) == 2
    assert "bad.rttm:1" in capsys.readouterr().err
    assert main(["eval", "--ref", str(tmp_path / "none.rttm"), "--hyp", str(bad)]) == 2


@pytest.mark.parametrize("tolerance", ["-1", "nan", "inf"])
def test_cli_refuses_an_impossible_onset_tolerance(tmp_path, capsys, tolerance):
    ref = tmp_path / "ref.rttm"
    write_rttm(SpeakerTimeline.from_tuples([(0, 5, "A"), (4, 8, "B")], uri="f"), ref)
    args = ["eval", "--ref", str(ref), "--hyp", str(ref), "--onset-tolerance", tolerance]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"--onset-tolerance must be between 0 and 3600 seconds, got {float(tolerance)}" in err
    with pytest.raises(ConfigError, match="onset_tolerance_s must be between 0 and 3600"):
        evaluate(read_rttm(ref), read_rttm(ref), onset_tolerance_s=float(tolerance))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("folder", "folder: is a directory, expected a file"),
        ("gone.txt", "gone.txt: no such file"),
        ("call.flac", "call.flac: unknown annotation format '.flac'; expected .cha, .csv, .eaf, "
         ".json, .rttm, .srt, .textgrid, .vtt (to score a recording, diarize it first: "
         "talkover diarize {tmp}/call.flac -o call.rttm)"),
    ],
)
def test_cli_says_what_is_wrong_with_a_file_that_is_no_annotation(
    tmp_path, capsys, name, expected
):
    (tmp_path / "folder").mkdir()
    (tmp_path / "call.flac").write_bytes(b"fLaC")
    ref = tmp_path / "ref.rttm"
    write_rttm(SpeakerTimeline.from_tuples([(0, 10, "A")], uri="f"), ref)
    assert main(["eval", "--ref", str(ref), "--hyp", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path}/{expected.format(tmp=tmp_path)}" in err


@pytest.mark.parametrize("case", real_case_params(3), ids=lambda p: p.name)
def test_real_reference_against_itself(case):
    ref = read_rttm(case / f"{case.name}.rttm")
    shifted = SpeakerTimeline(
        tuple(Segment(s.start_s, s.end_s, f"hyp_{s.speaker}") for s in ref),
        duration_s=ref.duration_s,
    )
    result = evaluate(ref, shifted)
    assert result.diarization.der == pytest.approx(0.0, abs=1e-9)
    assert result.jaccard.jer == pytest.approx(0.0, abs=1e-9)
