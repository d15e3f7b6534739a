"""Edits as JSON: every op round-trips, malformed ones are refused with a message."""

from __future__ import annotations

import pytest

from talkover.review import (
    EDIT_TYPES,
    AddSegment,
    DeleteSegment,
    EditError,
    EventRef,
    MergeSpeakers,
    MoveBoundary,
    ReassignSegment,
    Redo,
    RenameSpeaker,
    SegmentRef,
    SetVerdict,
    SplitSegment,
    Undo,
    edit_to_dict,
    parse_edit,
)

SEG = SegmentRef("Ann", 0.6, 5.6)
EDITS = [
    RenameSpeaker("Ann", "Anna Ö"),
    RenameSpeaker("Ann", None),
    MergeSpeakers("Cy", "Ann"),
    ReassignSegment(SEG, "Bob"),
    MoveBoundary(SEG, "end", 5.25),
    MoveBoundary(SEG, "start", 0.0),
    SplitSegment(SEG, 3.0),
    DeleteSegment(SEG),
    AddSegment("Dee", 1.0, 2.5),
    SetVerdict(EventRef("interruption", "Bob", "Ann", 4.6), "rejected"),
    SetVerdict(EventRef("backchannel", "Bob", "Ann", 2.1), "confirmed"),
    SetVerdict(EventRef("backchannel", "Bob", "Ann", 2.1), None),
    Undo(),
    Redo(),
]


def test_every_op_is_covered_and_round_trips() -> None:
    assert {e.op for e in EDITS} == set(EDIT_TYPES)
    for edit in EDITS:
        assert parse_edit(edit_to_dict(edit)) == edit


def test_times_are_rounded_to_the_millisecond() -> None:
    edit = parse_edit({"op": "move_boundary", "edge": "end", "to_s": 5.12345,
                       "segment": {"speaker": "A", "start_s": 1.00049, "end_s": 6}})
    assert edit == MoveBoundary(SegmentRef("A", 1.0, 6.0), "end", 5.123)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"op": "explode"}, "unknown edit op 'explode'; expected one of rename_speaker"),
        ([1, 2], "an edit is a JSON object"),
        ({"op": "rename_speaker", "speaker": ""}, "rename_speaker.speaker: expected a speaker id"),
        ({"op": "rename_speaker", "speaker": "A", "name": 3}, "expected a string or null"),
        ({"op": "move_boundary", "segment": {"speaker": "A", "start_s": 0, "end_s": 1},
          "edge": "middle", "to_s": 1}, "expected 'start' or 'end'"),
        ({"op": "move_boundary", "segment": {"speaker": "A", "start_s": 0, "end_s": 1},
          "edge": "end", "to_s": -1}, "move_boundary.to_s: expected a time in seconds"),
        ({"op": "split_segment", "segment": {"speaker": "A", "start_s": 0, "end_s": 1},
          "at_s": float("nan")}, "split_segment.at_s"),
        ({"op": "add_segment", "speaker": "A", "start_s": True, "end_s": 1}, "add_segment.start_s"),
        ({"op": "delete_segment", "segment": "A 0 1"}, "delete_segment.segment: expected"),
        ({"op": "set_verdict", "event": {"type": "shout", "by": "A", "of": "B", "start_s": 1},
          "verdict": "rejected"}, "set_verdict.event.type: expected one of switch"),
        ({"op": "set_verdict", "event": {"type": "overlap", "by": "A", "of": "B", "start_s": 1},
          "verdict": "maybe"}, "expected 'confirmed', 'rejected' or null"),
        ({"op": "rename_speaker", "speaker": "A", "name": "x" * 201},
         "rename_speaker.name: at most 200 characters, got 201"),
        ({"op": "add_segment", "speaker": "x" * 3_000_000, "start_s": 0, "end_s": 1},
         "add_segment.speaker: a speaker id has at most 200 characters"),
        ({"op": "rename_speaker", "speaker": "A", "name": "Ann\nSPEAKER x 1 0 9"},
         "rename_speaker.name: a name may not hold control characters, got U+000A"),
        ({"op": "add_segment", "speaker": "B\x1b[2J", "start_s": 0, "end_s": 1},
         "add_segment.speaker: a name may not hold control characters, got U+001B"),
    ],
)
def test_malformed_edits_are_refused_with_a_message(data, message) -> None:
    with pytest.raises(EditError, match=None) as info:
        parse_edit(data)
    assert message in str(info.value)
