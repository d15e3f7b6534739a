from __future__ import annotations

import pytest

from talkover import EventConfig, SpeakerTimeline, analyze_timeline
from talkover.events.words import is_backchannel_text, is_cut_off
from talkover.export.json import analysis_to_dict
from talkover.timeline import Segment


def texted(*rows: tuple[float, float, str, str | None]) -> SpeakerTimeline:
    return SpeakerTimeline(tuple(Segment(a, b, s, t) for a, b, s, t in rows))


def types(tl: SpeakerTimeline) -> list[tuple[str, str, str]]:
    return [(e.type, e.by, e.of) for e in analyze_timeline(tl).events]


@pytest.mark.parametrize(
    "text", ["mm-hmm", "Mhm.", "uh huh", "Yeah, yeah.", "okay", "I see", "oh wow", "Exactly!"]
)
def test_backchannel_words(text: str) -> None:
    assert is_backchannel_text(text)


@pytest.mark.parametrize("text", ["no wait I", "yeah but the budget", "what", ""])
def test_not_backchannel_words(text: str) -> None:
    assert not is_backchannel_text(text)


def test_short_backchannel_words_stay_a_backchannel() -> None:
    tl = texted((0, 5, "A", "So the plan is to start on Monday."), (2, 2.5, "B", "mm-hmm"))
    assert types(tl) == [("backchannel", "B", "A")]


def test_short_contentful_overlap_is_a_failed_interruption() -> None:
    tl = texted((0, 5, "A", "So the plan is to start on Monday."), (2, 2.8, "B", "but why"))
    event = analyze_timeline(tl).events[0]
    assert (event.type, event.by, event.of) == ("failed_interruption", "B", "A")
    assert event.text_by == "but why"
    assert event.text_of == "So the plan is to start on Monday."


def test_cut_off_utterance_then_quick_take_over_is_a_silent_interruption() -> None:
    tl = texted(
        (0, 3, "A", "Well what I wanted to"),
        (3.1, 5, "B", "No, listen to me."),
        (6, 7, "A", "Fine."),
    )
    assert types(tl) == [("silent_interruption", "B", "A"), ("switch", "A", "B")]
    analysis = analyze_timeline(tl)
    assert [t.speaker for t in analysis.turns] == ["A", "B", "A"]  # it passes the floor
    stats = {s.speaker: s for s in analysis.speakers}
    assert stats["B"].silent_interruptions_made == 1
    assert stats["A"].silent_interruptions_received == 1
    doc = analysis_to_dict(analysis)
    assert doc["matrix"]["silent_interruption"]["B"]["A"] == 1
    assert doc["events"][0]["text_of"] == "Well what I wanted to"


def test_finished_sentence_or_slow_reply_is_a_switch() -> None:
    finished = texted((0, 3, "A", "That's all."), (3.1, 5, "B", "Good."))
    slow = texted((0, 3, "A", "Well what I wanted to"), (3.5, 5, "B", "Yes."))
    assert types(finished) == [("switch", "B", "A")]
    assert types(slow) == [("switch", "B", "A")]


def test_unpunctuated_transcript_does_not_make_everything_cut_off() -> None:
    tl = texted((0, 3, "A", "that is all"), (3.1, 5, "B", "good"))
    assert types(tl) == [("switch", "B", "A")]


def test_chat_interruption_code_marks_cut_off() -> None:
    assert is_cut_off("that's the uh", ("+/.",), punctuated=False)
    assert not is_cut_off("that's the uh", ("+//.",), punctuated=False)  # self-interruption
    tl = SpeakerTimeline((
        Segment(0, 3, "FAT", "that's the uh", annotations=("+/.",)),
        Segment(3.0, 4, "CHI", "what's that?"),
    ))
    assert types(tl) == [("silent_interruption", "CHI", "FAT")]


def test_without_text_events_are_unchanged() -> None:
    rows = [(0, 5, "A"), (2, 2.8, "B"), (5.1, 7, "B")]
    plain = analyze_timeline(SpeakerTimeline.from_tuples(rows)).events
    assert [e.type for e in plain] == ["backchannel", "switch"]
    assert all(e.text_by is None and e.text_of is None for e in plain)


def test_unknown_text_of_a_unit_changes_nothing() -> None:
    tl = texted((0, 5, "A", "Long sentence here."), (2, 2.8, "B", None))
    assert types(tl) == [("backchannel", "B", "A")]


def test_refine_is_the_identity_without_text() -> None:
    import random

    from talkover.config import EventConfig
    from talkover.events import detect_events, refine_events
    from talkover.units import Units

    rng = random.Random(7)
    for _ in range(50):
        rows = []
        for _ in range(rng.randint(0, 12)):
            start = rng.uniform(0, 20)
            rows.append((start, start + rng.uniform(0.1, 4), rng.choice("ABC")))
        tl = SpeakerTimeline.from_tuples(rows)
        units = Units.build(tl, min_pause_s=0.3)
        events = detect_events(units, EventConfig())
        assert refine_events(events, units, EventConfig()) == events


def test_silent_gap_is_an_event_setting() -> None:
    tl = texted((0, 3, "A", "Well what I wanted to"), (3.5, 5, "B", "Yes."))
    wide = analyze_timeline(tl, config=EventConfig(silent_gap_s=0.6))
    narrow = analyze_timeline(tl, config=EventConfig(silent_gap_s=0.4))
    assert [(e.type, e.by, e.of) for e in wide.events] == [("silent_interruption", "B", "A")]
    assert [(e.type, e.by, e.of) for e in narrow.events] == [("switch", "B", "A")]
    assert analysis_to_dict(wide)["config"]["silent_gap_s"] == 0.6
