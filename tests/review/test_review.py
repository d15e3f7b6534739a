"""The review engine on a planted conversation: each edit, verdicts, undo/redo, the log, the
versions, the diff and the exports.

The planted events (tests/review/conftest.py): backchannel Bob>Ann 2.1, interruption Bob>Ann
4.6, failed_interruption Ann>Bob 6.1, overlap Cy>Bob 10.3, switch Ann>Cy 15.9, interruption
Cy>Ann 19.1, backchannel Bob>Cy 20.6, switch Bob>Cy 23.7, interruption Ann>Bob 27.5.
"""

from __future__ import annotations

import csv
import itertools
import json
from dataclasses import replace

import pytest

from talkover.analysis import analyze_timeline
from talkover.export.json import analysis_to_dict
from talkover.export.read_json import read_analysis
from talkover.formats import read_annotation
from talkover.formats.json import read_json_timeline
from talkover.report.text import plain_language_summary
from talkover.review import (
    AddSegment,
    DeleteSegment,
    EditError,
    EventRef,
    MergeSpeakers,
    MoveBoundary,
    ReassignSegment,
    RenameSpeaker,
    Review,
    SegmentRef,
    SetVerdict,
    SplitSegment,
    StaleEditError,
)
from talkover.review.recompute import cast_of
from talkover.timeline import Segment, SpeakerTimeline


def event(review: Review, type: str, at: float):
    return next(e for e in review.result.events if e.type == type and abs(e.start_s - at) < 1e-6)


def ref(review: Review, type: str, at: float) -> EventRef:
    return EventRef.of_event(event(review, type, at))


def speaker(analysis, sid):
    return next(s for s in analysis.speakers if s.speaker == sid)


def types(review: Review) -> list[tuple[str, str, str, float]]:
    return [(e.type, e.by, e.of, round(e.start_s, 3)) for e in review.result.events]


# ------------------------------------------------------------------ recomputation


def test_recomputation_is_the_librarys_analysis_of_the_edited_timeline(planted) -> None:
    review = Review(planted)
    assert review.result.corrected == planted  # no edit: the automatic analysis itself
    review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 10.6), "end", 10.2))
    expected = analyze_timeline(review.state.timeline, config=planted.config,
                                input_path="planted.rttm", cast=cast_of(review.state, planted))
    assert review.result.corrected == expected


def test_moving_a_boundary_turns_an_overlap_into_a_switch_and_the_matrix_follows(planted):
    review = Review(planted)
    assert planted.matrix.count("overlap", "Cy", "Bob") == 1
    result = review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 10.6), "end", 10.2))
    m = result.corrected.matrix
    assert m.count("overlap", "Cy", "Bob") == 0 and m.count("switch", "Cy", "Bob") == 1
    switch = event(review, "switch", 10.3)
    assert switch.gap_s == pytest.approx(0.1)
    assert speaker(result.corrected, "Cy").overlaps_made == 0
    assert speaker(result.corrected, "Cy").switches_made == 1


def test_moving_a_start_moves_the_onset(planted) -> None:
    review = Review(planted)
    review.apply(MoveBoundary(SegmentRef("Cy", 19.1, 23.1), "start", 19.3))
    assert ("interruption", "Cy", "Ann", 19.3) in types(review)


def test_rename_names_the_speaker_everywhere(planted) -> None:
    review = Review(planted)
    result = review.apply(RenameSpeaker("Bob", "Robert"))
    assert speaker(result.corrected, "Bob").name == "Robert"
    assert speaker(result.corrected, "Bob").groups == (("gender", "man"),)  # groups kept
    assert "Robert interrupted Ann" in " ".join(plain_language_summary(result.corrected))
    result = review.apply(RenameSpeaker("Bob", None))
    assert speaker(result.corrected, "Bob").name is None
    review.apply(RenameSpeaker("Ann", "Ann B."))
    with pytest.raises(EditError, match="already used by Ann"):
        review.apply(RenameSpeaker("Cy", "Ann B."))
    with pytest.raises(EditError, match="'Bob' is already used by Bob"):
        review.apply(RenameSpeaker("Cy", "Bob"))
    with pytest.raises(EditError, match="unknown speaker 'Zed'") as never:
        review.apply(RenameSpeaker("Zed", "Z"))  # never a speaker: a mistake (422), not stale
    assert not isinstance(never.value, StaleEditError)


def test_merging_two_speakers(planted) -> None:
    review = Review(planted)
    result = review.apply(MergeSpeakers("Cy", "Ann"))
    assert result.corrected.timeline.speakers == ("Ann", "Bob")
    assert [s.speaker for s in result.corrected.speakers] == ["Ann", "Bob"]
    assert all(e.by != "Cy" and e.of != "Cy" for e in result.events)
    with pytest.raises(EditError, match="into itself"):
        review.apply(MergeSpeakers("Ann", "Ann"))


def test_reassigning_a_segment(planted) -> None:
    review = Review(planted)
    # Bob's backchannel at 20.6 was Ann's (Ann stopped at 19.9; Cy holds the floor)
    result = review.apply(ReassignSegment(SegmentRef("Bob", 20.6, 21.1), "Ann"))
    assert ("backchannel", "Ann", "Cy", 20.6) in types(review)
    assert speaker(result.corrected, "Bob").backchannels_made == 1
    result = review.apply(ReassignSegment(SegmentRef("Ann", 20.6, 21.1), "Dee"))  # a new id
    assert "Dee" in result.corrected.timeline.speakers
    with pytest.raises(EditError, match="already"):
        review.apply(ReassignSegment(SegmentRef("Dee", 20.6, 21.1), "Dee"))


def test_split_delete_and_add(planted) -> None:
    review = Review(planted)
    n = len(planted.timeline)
    review.apply(SplitSegment(SegmentRef("Ann", 0.6, 5.6), 3.0))
    assert len(review.state.timeline) == n + 1
    # the split leaves a 0 s pause inside Ann's unit: the events do not change
    assert types(review) == types(Review(planted))
    with pytest.raises(EditError, match="must lie inside"):
        review.apply(SplitSegment(SegmentRef("Ann", 0.6, 3.0), 0.6))
    review.apply(DeleteSegment(SegmentRef("Bob", 2.1, 2.6)))
    assert ("backchannel", "Bob", "Ann", 2.1) not in types(review)
    review.apply(AddSegment("Cy", 1.0, 1.8))  # Cy backchannels Ann early on
    assert ("backchannel", "Cy", "Ann", 1.0) in types(review)
    with pytest.raises(EditError, match="past the end of the recording"):
        review.apply(AddSegment("Cy", 30.0, 99.0))
    with pytest.raises(EditError, match="at least 10 ms"):
        review.apply(AddSegment("Cy", 3.0, 3.0))
    with pytest.raises(StaleEditError, match="no segment of 'Bob' from 2.1 to 2.6 s"):
        review.apply(DeleteSegment(SegmentRef("Bob", 2.1, 2.6)))
    with pytest.raises(EditError, match="at least 10 ms"):
        review.apply(MoveBoundary(SegmentRef("Cy", 1.0, 1.8), "end", 0.5))


def test_split_carries_words_to_each_part() -> None:
    from talkover.timeline import Word

    words = (Word(0.0, 0.5, "so"), Word(0.6, 1.0, "what"), Word(1.6, 2.0, "now"))
    tl = SpeakerTimeline((Segment(0.0, 2.0, "A", "so what now", words),
                          Segment(3.0, 4.0, "B", "yes")), duration_s=5.0)
    review = Review(analyze_timeline(tl))
    review.apply(SplitSegment(SegmentRef("A", 0.0, 2.0), 1.3))
    a, b = [s for s in review.state.timeline if s.speaker == "A"]
    assert (a.text, b.text) == ("so what", "now")
    assert [w.text for w in a.words] == ["so", "what"] and [w.text for w in b.words] == ["now"]


# ------------------------------------------------------------------ verdicts


def test_a_rejected_event_leaves_every_count(planted) -> None:
    review = Review(planted)
    target = ref(review, "interruption", 4.6)  # Bob over Ann
    result = review.apply(SetVerdict(target, "rejected"))
    corrected = result.corrected
    assert speaker(corrected, "Bob").interruptions_made == 0
    assert speaker(corrected, "Ann").interruptions_received == speaker(
        planted, "Ann").interruptions_received - 1
    assert corrected.matrix.count("interruption", "Bob", "Ann") == 0
    men = next(g for g in corrected.groups[0].groups if g.value == "man")
    men_before = next(g for g in planted.groups[0].groups if g.value == "man")
    assert men.interruptions_made == men_before.interruptions_made - 1
    assert target not in {EventRef.of_event(e) for e in corrected.events}
    # ... but it is still on the timeline, marked
    assert len(result.events) == len(planted.events) and result.rejected == (
        event(review, "interruption", 4.6),)
    # and the floor did not pass to Bob at 4.6: Ann's turn runs on
    assert speaker(corrected, "Bob").turns == speaker(planted, "Bob").turns - 1


def test_confirmed_events_stay_and_become_certain(diarized) -> None:
    review = Review(diarized)
    before = event(review, "backchannel", 2.1)
    assert before.confidence is not None and before.confidence < 1
    result = review.apply(SetVerdict(EventRef.of_event(before), "confirmed"))
    assert event(review, "backchannel", 2.1).confidence == 1.0
    assert result.corrected.events == result.events  # nothing rejected: all counted
    assert result.confirmed == (event(review, "backchannel", 2.1),)
    review.apply(SetVerdict(EventRef.of_event(before), None))  # cleared
    assert event(review, "backchannel", 2.1).confidence == before.confidence


def test_verdicts_survive_edits_elsewhere_and_follow_their_event(planted) -> None:
    review = Review(planted)
    review.apply(SetVerdict(ref(review, "interruption", 19.1), "rejected"))
    review.apply(SetVerdict(ref(review, "backchannel", 2.1), "confirmed"))
    review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 10.6), "end", 10.2))  # elsewhere
    verdicts = dict(zip(types(review), review.result.verdicts, strict=True))
    assert verdicts[("interruption", "Cy", "Ann", 19.1)] == "rejected"
    assert verdicts[("backchannel", "Bob", "Ann", 2.1)] == "confirmed"
    # moving the onset of the rejected event's unit takes the verdict along
    review.apply(MoveBoundary(SegmentRef("Cy", 19.1, 23.1), "start", 19.25))
    verdicts = dict(zip(types(review), review.result.verdicts, strict=True))
    assert verdicts[("interruption", "Cy", "Ann", 19.25)] == "rejected"
    # an edit that makes it another event (an overlap) leaves the verdict without an event
    review.apply(MoveBoundary(SegmentRef("Ann", 15.9, 19.9), "end", 19.4))
    assert ("overlap", "Cy", "Ann", 19.25) in types(review)
    assert review.result.verdicts[types(review).index(("overlap", "Cy", "Ann", 19.25))] is None
    assert [r.type for r in review.result.unmatched] == ["interruption"]


def test_merging_carries_verdicts_to_the_merged_speaker(planted) -> None:
    review = Review(planted)
    review.apply(SetVerdict(ref(review, "backchannel", 20.6), "rejected"))  # Bob>Cy
    review.apply(MergeSpeakers("Bob", "Ann"))  # Ann>Cy now
    verdicts = dict(zip(types(review), review.result.verdicts, strict=True))
    assert verdicts[("backchannel", "Ann", "Cy", 20.6)] == "rejected"


def test_a_verdict_on_an_event_that_does_not_exist_is_refused(planted) -> None:
    review = Review(planted)
    with pytest.raises(StaleEditError, match="no interruption by 'Ann' of 'Cy' at 3 s"):
        review.apply(SetVerdict(EventRef("interruption", "Ann", "Cy", 3.0), "rejected"))
    assert len(review.log) == 0


def test_the_queue_visits_the_least_confident_first(diarized) -> None:
    review = Review(diarized)
    queue = review.queue()
    confidences = [q.event.confidence for q in queue]
    assert confidences == sorted(confidences) and len(queue) == 7  # switches left out
    assert len(review.queue(include_switches=True)) == len(diarized.events)
    review.apply(SetVerdict(queue[0].ref, "confirmed"))
    assert sum(q.verdict is not None for q in review.queue()) == 1


# ------------------------------------------------------------------ undo, log, versions


def test_undo_and_redo_are_log_entries(planted, tmp_path) -> None:
    review = Review(planted, tmp_path / "r")
    review.apply(SetVerdict(ref(review, "interruption", 4.6), "rejected"))
    review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 10.6), "end", 10.2))
    moved = types(review)
    review.undo()
    assert review.result.corrected.matrix.count("overlap", "Cy", "Bob") == 1
    review.undo()
    assert review.result.corrected == planted and not review.can_undo
    with pytest.raises(EditError, match="nothing to undo"):
        review.undo()
    review.redo()
    review.redo()
    assert types(review) == moved and not review.can_redo
    with pytest.raises(EditError, match="nothing to redo"):
        review.redo()
    review.undo()
    review.apply(RenameSpeaker("Ann", "Anna"))  # a new edit forgets the undone one
    assert not review.can_redo
    ops = [json.loads(line)["op"] for line in (tmp_path / "r" / "edits.jsonl").open()]
    assert ops == ["set_verdict", "move_boundary", "undo", "undo", "redo", "redo", "undo",
                   "rename_speaker"]


def test_the_log_is_append_only_and_reopening_replays_it(planted, tmp_path) -> None:
    folder = tmp_path / "review"
    review = Review(planted, folder)
    log = folder / "edits.jsonl"
    snapshots = []
    for edit in (SetVerdict(ref(review, "interruption", 27.5), "rejected"),
                 MergeSpeakers("Cy", "Ann"), RenameSpeaker("Ann", "Anna")):
        review.apply(edit)
        snapshots.append(log.read_bytes())
    review.undo()
    snapshots.append(log.read_bytes())
    for before, after in zip(snapshots, snapshots[1:], strict=False):
        assert after.startswith(before) and len(after) > len(before)
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["seq"] for r in rows] == [1, 2, 3, 4]
    assert all(r["time"].endswith("Z") for r in rows)
    again = Review(planted, folder)
    assert again.result.corrected == review.result.corrected
    assert again.can_redo and again.edits_in_effect == 2
    again.redo()
    assert speaker(again.result.corrected, "Ann").name == "Anna"


def test_a_cut_last_line_is_skipped_and_the_log_goes_on(planted, tmp_path) -> None:
    folder = tmp_path / "review"
    review = Review(planted, folder)
    review.apply(RenameSpeaker("Ann", "Anna"))
    with open(folder / "edits.jsonl", "a") as fh:
        fh.write('{"seq": 2, "time": "x", "op": "rename_spe')  # a crash mid-line
    again = Review(planted, folder)
    assert speaker(again.result.corrected, "Ann").name == "Anna"
    again.apply(RenameSpeaker("Bob", "Rob"))
    third = Review(planted, folder)
    assert speaker(third.result.corrected, "Bob").name == "Rob"


def test_versions_the_automatic_analysis_is_kept(planted, tmp_path) -> None:
    auto = tmp_path / "auto.json"
    auto.write_text(json.dumps(analysis_to_dict(planted)))
    before = auto.read_bytes()
    base = read_analysis(auto)
    assert analysis_to_dict(base) == analysis_to_dict(planted)
    review = Review(base, tmp_path / "review")
    review.apply(SetVerdict(ref(review, "interruption", 4.6), "rejected"))
    path = review.save()
    assert auto.read_bytes() == before
    doc = json.loads(path.read_text())
    assert doc["review"]["rejected"] == [
        {"type": "interruption", "start_s": 4.6, "by": "Bob", "of": "Ann"}]
    assert doc["review"]["edits"] == 1
    assert doc["matrix"]["interruption"]["Bob"]["Ann"] == 0
    assert len(doc["events"]) == len(planted.events) - 1


# ------------------------------------------------------------------ diff and exports


def test_the_diff_says_what_changed(planted) -> None:
    review = Review(planted)
    review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 10.6), "end", 10.2))  # overlap -> switch
    review.apply(DeleteSegment(SegmentRef("Bob", 2.1, 2.6)))  # backchannel removed
    review.apply(AddSegment("Cy", 1.0, 1.8))  # backchannel added
    review.apply(MoveBoundary(SegmentRef("Cy", 19.1, 23.1), "start", 19.3))  # moved
    review.apply(SetVerdict(ref(review, "interruption", 27.5), "rejected"))
    review.apply(RenameSpeaker("Ann", "Anna"))
    diff = review.diff()
    c = diff.changes
    assert [(a.type, b.type, a.start_s) for a, b in c.retyped] == [("overlap", "switch", 10.3)]
    assert [(e.type, e.by, e.start_s) for e in c.removed] == [("backchannel", "Bob", 2.1)]
    assert [(e.type, e.by, e.start_s) for e in c.added] == [("backchannel", "Cy", 1.0)]
    assert [(a.start_s, b.start_s) for a, b in c.moved] == [(19.1, 19.3)]
    assert [s.speaker for s in c.segments_added] == ["Cy", "Bob", "Cy"]
    assert c.renamed == (("Ann", None, "Anna"),)
    assert [(e.type, e.start_s) for e in diff.rejected] == [("interruption", 27.5)]
    counts = dict((t, (a, b)) for t, a, b in diff.counts)
    assert counts["interruption"] == (3, 2) and counts["overlap"] == (1, 0)
    assert counts["switch"] == (2, 3)


@pytest.mark.parametrize("name", ["x.json", "x.rttm", "x.eaf", "x.TextGrid", "x.csv"])
def test_exports_read_back_as_the_corrected_version(planted, tmp_path, name) -> None:
    review = Review(planted)
    review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 10.6), "end", 10.2))
    review.apply(SetVerdict(ref(review, "interruption", 4.6), "rejected"))
    path = review.export(tmp_path / name)
    timeline = read_annotation(path) if name != "x.json" else read_json_timeline(path)
    got = sorted((round(s.start_s, 3), round(s.end_s, 3), s.speaker) for s in timeline)
    want = sorted((round(s.start_s, 3), round(s.end_s, 3), s.speaker)
                  for s in review.state.timeline)
    assert got == want
    again = analyze_timeline(timeline)
    assert again.matrix.count("switch", "Cy", "Bob") == 1


def test_events_csv_export_leaves_rejected_events_out(planted, tmp_path) -> None:
    review = Review(planted)
    review.apply(SetVerdict(ref(review, "interruption", 4.6), "rejected"))
    path = review.export(tmp_path / "x.events.csv")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == len(planted.events) - 1
    assert not any(r["type"] == "interruption" and r["by"] == "Bob" for r in rows)


def test_sensitivity_is_recomputed_for_the_corrected_version(planted) -> None:
    from talkover.metrics.sensitivity import SensitivityGrid

    base = analyze_timeline(planted.timeline, sensitivity=SensitivityGrid(
        min_pause_s=(0.3,), backchannel_max_s=(1.0,), grace_s=(0.3, 0.5)))
    review = Review(base)
    review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 10.6), "end", 10.2))
    assert review.result.corrected.sensitivity is base.sensitivity or (
        review.result.corrected.sensitivity is None)
    corrected = review.corrected()
    assert corrected.sensitivity is not None and corrected.sensitivity.configs == 2
    assert replace(corrected, sensitivity=None) == replace(review.result.corrected,
                                                           sensitivity=None)


# ------------------------------------------------------------------ found in review


def test_new_speaker_ids_have_no_spaces_and_are_not_another_speakers_name(planted) -> None:
    review = Review(planted)
    review.apply(RenameSpeaker("Cy", "Dee"))
    bob = SegmentRef("Bob", 20.6, 21.1)
    with pytest.raises(EditError, match="'Dee' is the name of speaker 'Cy'"):
        review.apply(ReassignSegment(bob, "Dee"))  # two lanes would read "Dee"
    with pytest.raises(EditError, match="no spaces"):
        review.apply(ReassignSegment(bob, "New Guy"))  # RTTM would write New_Guy
    with pytest.raises(EditError, match="no spaces"):
        review.apply(AddSegment("Ed Smith", 30.0, 31.0))
    review.apply(ReassignSegment(bob, "Ed"))
    assert "Ed" in review.state.timeline.speakers


def test_a_speaker_never_overlaps_themself_after_an_edit(planted) -> None:
    review = Review(planted)
    review.apply(AddSegment("Bob", 9.0, 12.0))  # over Bob's own 4.6-10.6
    bob = [(s.start_s, s.end_s) for s in review.state.timeline if s.speaker == "Bob"]
    assert (4.6, 12.0) in bob and (4.6, 10.6) not in bob and (9.0, 12.0) not in bob
    review.apply(MoveBoundary(SegmentRef("Bob", 4.6, 12.0), "end", 21.0))  # over 20.6-21.1
    bob = [(s.start_s, s.end_s) for s in review.state.timeline if s.speaker == "Bob"]
    assert (4.6, 21.1) in bob and (20.6, 21.1) not in bob
    with pytest.raises(EditError, match="'Bob' already speaks from 4.6 to 21.1 s"):
        review.apply(AddSegment("Bob", 5.0, 6.0))
    review.apply(ReassignSegment(SegmentRef("Ann", 6.1, 7.6), "Bob"))  # inside Bob's: joined
    assert [(s.start_s, s.end_s) for s in review.state.timeline if s.speaker == "Bob"].count(
        (4.6, 21.1)) == 1
    review.apply(MergeSpeakers("Cy", "Ann"))  # Cy and Ann spoke at once at 19.1-19.9
    for speaker_id in review.state.timeline.speakers:
        spans = sorted((s.start_s, s.end_s) for s in review.state.timeline
                       if s.speaker == speaker_id)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans)), (speaker_id, spans)
    undone = [review.undo() for _ in range(review.edits_in_effect)]
    assert undone and review.state.timeline == planted.timeline


def test_undo_replays_from_checkpoints_and_keeps_few_states(planted, tmp_path) -> None:
    """Undo gives exactly the states the edits made, though only every 16th is kept."""
    import tracemalloc

    from talkover.review.state import ReviewState, apply_edit

    long = _long_call(600)
    review = Review(long, tmp_path / "r")
    segments = list(long.timeline.segments)
    edits = []
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(40):
        s = segments[(i * 7) % len(segments)]
        current = next(x for x in review.state.timeline if x.speaker == s.speaker
                       and abs(x.start_s - s.start_s) < 1e-6)
        edit = MoveBoundary(SegmentRef.of(current), "end", round(current.end_s - 0.01, 3))
        review.apply(edit)
        edits.append(edit)
    per_edit = (tracemalloc.get_traced_memory()[0] - before) / 40
    tracemalloc.stop()
    # a full state (the timeline's segments and spans) per edit would be ~60 kB here
    assert per_edit < 25_000, per_edit
    states = [ReviewState.start(long.timeline, long.speakers)]
    for edit in edits:
        states.append(apply_edit(states[-1], edit))
    assert review.state == states[-1]
    for k in range(40, 0, -1):
        review.undo()
        assert review.state == states[k - 1]
    for k in range(1, 21):
        review.redo()
        assert review.state == states[k]
    reopened = Review(long, tmp_path / "r")
    assert reopened.state == states[20] and reopened.edits_in_effect == 20


def _long_call(turns: int):
    """A conversation of ``turns`` turns among four speakers (1,200 segments)."""
    from talkover.testing import TimelineBuilder

    b = TimelineBuilder()
    names = ["Ann", "Bob", "Cy", "Dee"]
    b.speak("Ann", 3.0)
    for i in range(turns):
        who = names[(i + 1) % 4] if names[(i + 1) % 4] != b.holder else names[(i + 2) % 4]
        if i % 3:
            b.speak(who, 2.0)
        else:
            b.backchannel(names[(i + 2) % 4] if names[(i + 2) % 4] != b.holder else who,
                          at_s=0.5)
            b.speak(who, 2.0)
    return analyze_timeline(b.timeline(tail_s=1.0))
