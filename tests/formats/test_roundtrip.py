"""read(write(x)) keeps the segments to the millisecond, for every writer with a reader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from talkover import SpeakerTimeline, analyze_timeline
from talkover.formats import read_annotation
from talkover.formats.cha import read_cha
from talkover.outputs import write_output
from talkover.timeline import Segment
from tests.formats.helpers import rows


def conversation() -> SpeakerTimeline:
    """Unicode names, overlapping speech, text with and without punctuation, and no text."""
    return SpeakerTimeline(
        (
            Segment(0.0, 5.004, "A", "Hello there, I was going to"),
            Segment(1.234, 1.789, "Zoë", "mm-hmm."),
            Segment(4.001, 8.123, "Zoë", "wait, I disagree."),
            Segment(8.123, 8.9, "MÉO069", None),
            Segment(8.35, 8.9, "A", "yeah."),
            Segment(9.5, 11.25, "A", "So, as I said"),
            Segment(11.3, 11.9, "Zoë", "Right."),
        ),
        duration_s=12.0,
        uri="call",
    )


def read_chat_names(path: Path) -> SpeakerTimeline:
    return read_cha(path, speaker_names="name")


READERS: dict[str, Callable[[Path], SpeakerTimeline]] = {
    "out.TextGrid": read_annotation,
    "out.eaf": read_annotation,
    "out.cha": read_chat_names,
    "out.vtt": read_annotation,
    "out.srt": read_annotation,
    "out.csv": read_annotation,
    "out.json": read_annotation,
}


@pytest.mark.parametrize("name", sorted(READERS))
def test_round_trip_keeps_segments_to_the_millisecond(tmp_path: Path, name: str) -> None:
    first = analyze_timeline(conversation())
    path = tmp_path / name
    write_output(first, path)
    back = READERS[name](path)
    assert rows(back) == rows(first.timeline)
    second = analyze_timeline(back)
    assert [(e.type, e.by, e.of) for e in second.events] == [
        (e.type, e.by, e.of) for e in first.events
    ]


def test_the_conversation_has_the_events_the_writers_carry() -> None:
    events = [(e.type, e.by, e.of) for e in analyze_timeline(conversation()).events]
    assert events == [
        ("backchannel", "Zoë", "A"),
        ("interruption", "Zoë", "A"),
        ("switch", "MÉO069", "Zoë"),
        ("backchannel", "A", "MÉO069"),
        ("silent_interruption", "Zoë", "A"),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("out.TextGrid", ['name = "events"', 'text = "interruption Zoë>A"']),
        ("out.eaf", ['TIER_ID="events"', "<ANNOTATION_VALUE>interruption Zoë&gt;A<"]),
        ("out.cha", ["*A:\tHello there, I was going to +/. \x150_5004\x15",
                     "%com:\tinterruption ZOE>A", "@Participants:\tA Unidentified, ZOE Zoë"]),
        ("out.vtt", ["NOTE interruption Zoë>A at 00:00:04.001", "<v MÉO069>"]),
        ("out.srt", ["Zoë: wait, I disagree."]),
        ("out.csv", ["start_s,end_s,speaker,text", '4.001,8.123,Zoë,"wait, I disagree."']),
        ("call.events.csv", ["interruption,4.001,5.004,Zoë,A,1.003,,,"
                             "\"wait, I disagree.\",\"Hello there, I was going to\""]),
    ],
)
def test_writers_carry_the_events(tmp_path: Path, name: str, expected: list[str]) -> None:
    path = tmp_path / name
    write_output(analyze_timeline(conversation()), path)
    text = path.read_text(encoding="utf-8")
    for piece in expected:
        assert piece in text


@pytest.mark.parametrize("name", sorted(READERS))
def test_empty_analysis_writes_and_reads_back_empty(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_output(analyze_timeline(SpeakerTimeline()), path)
    assert rows(READERS[name](path)) == []
