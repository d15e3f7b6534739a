"""Each reader on a fixture in its tool's real layout: unicode names, CRLF, empty tiers,
overlapping speech, dependent tiers and untimed lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from talkover import analyze_timeline
from talkover.formats import read_annotation
from talkover.formats.cha import read_cha
from tests.formats.helpers import FIXTURES, rows

# The same three utterances, as each tool would hold them: Zoë is cut off by MÉO069, whom she
# then backs (overlapping intervals), and an empty tier or participant without speech.
TIMES = [(250, 3100), (2600, 5875), (3300, 6500)]


def times_and_speakers(path: Path) -> list[tuple[int, int, str]]:
    return [(a, b, s) for a, b, s, _ in rows(read_annotation(path))][:3]


@pytest.mark.parametrize(
    "name", ["praat_long.TextGrid", "elan.eaf", "meeting.vtt", "meeting.srt", "segments.csv",
             "segments_clock.csv"]
)
def test_unicode_speakers_and_overlaps(name: str) -> None:
    expected = [(a, b, s) for (a, b), s in zip(TIMES, ["Zoë", "MÉO069", "Zoë"], strict=True)]
    assert times_and_speakers(FIXTURES / name) == expected


def test_textgrid_text_empty_and_point_tiers() -> None:
    timeline = read_annotation(FIXTURES / "praat_long.TextGrid")
    assert timeline.speakers == ("Zoë", "MÉO069")  # "empty" tier and "clicks" point tier: none
    assert timeline.duration_s == 6.5
    assert [s.text for s in timeline] == [
        "so what I wanted to say was", 'no no, the "other" one.', "mm-hmm",
    ]


def test_textgrid_short_format_and_utf16(tmp_path: Path) -> None:
    assert rows(read_annotation(FIXTURES / "praat_short.TextGrid")) == [
        (0, 2500, "A", "hello there."), (2000, 4000, "B", "yeah."),
    ]
    utf16 = tmp_path / "praat.TextGrid"  # Praat saves non-ASCII text as UTF-16
    text = (FIXTURES / "praat_long.TextGrid").read_text(encoding="utf-8")
    utf16.write_text(text, encoding="utf-16")
    assert rows(read_annotation(utf16)) == rows(read_annotation(FIXTURES / "praat_long.TextGrid"))


def test_eaf_participant_or_tier_id_and_skipped_tiers() -> None:
    timeline = read_annotation(FIXTURES / "elan.eaf")
    # PARTICIPANT names the speaker; MÉO069's tier has none, so its TIER_ID does; the
    # translation tier (PARENT_REF) and the empty interviewer tier give nothing.
    assert timeline.speakers == ("Zoë", "MÉO069")
    assert timeline.segments[1].text == 'no no, the "other" one.'


def test_cha_codes_text_annotations_and_untimed_lines(caplog) -> None:
    timeline = read_cha(FIXTURES / "interview.cha")
    assert rows(timeline) == [
        (250, 3100, "ZOE", "so what I wanted to say was the"),
        (2600, 5875, "MEO", 'no no no the "other" one, the one with the lid.'),
        (3300, 6500, "ZOE", "mm-hmm."),
        (7000, 7800, "MEO", "and then I..."),
        (7900, 8400, "MEO", None),  # yyy &=laughs: no words
    ]
    assert timeline.segments[0].annotations == ("[>]", "+/.")
    assert timeline.segments[1].annotations == ("[<]",)
    assert timeline.segments[3].annotations == ("+//.",)
    assert "skipped 1 utterance(s) without a time bullet" in caplog.text
    named = read_cha(FIXTURES / "interview.cha", speaker_names="name")
    assert named.speakers == ("Zoë", "Méo_Durand")


def test_cha_events_use_the_codes() -> None:
    analysis = analyze_timeline(read_cha(FIXTURES / "interview.cha"))
    kinds = [(e.type, e.by, e.of) for e in analysis.events]
    # ZOE's two utterances are one unit (0.2 s apart) that outlasts MEO's 3.3 s utterance
    assert kinds == [("failed_interruption", "MEO", "ZOE"), ("switch", "MEO", "ZOE")]


def test_vtt_voice_tags_prefixes_styles_and_continuation() -> None:
    timeline = read_annotation(FIXTURES / "meeting.vtt")
    assert [s.text for s in timeline] == [
        "So what I wanted to say was", "No, no, the other one.", "mm-hmm", "and then continued",
    ]
    assert timeline.segments[3].speaker == "Zoë"  # a cue without a name continues the last


def test_srt_with_bom_crlf_and_bracket_names() -> None:
    assert [s.text for s in read_annotation(FIXTURES / "meeting.srt")] == [
        "So what I wanted to say was", "No, no, the other one.", "mm-hmm",
    ]


def test_whisperx_segments_words_and_speaker_from_words() -> None:
    timeline = read_annotation(FIXTURES / "whisperx.json")
    assert [(a, b, s) for a, b, s, _ in rows(timeline)] == [
        (250, 3100, "SPEAKER_00"), (2600, 5875, "MÉO069"), (4200, 4600, "SPEAKER_00"),
        (5000, 5600, "SPEAKER_00"),
    ]
    second = timeline.segments[1]
    assert second.text == "No, no, the other one, the 2nd one."
    assert len(second.words) == 7  # "2nd" has no times in WhisperX output
    assert (second.words[0].start_s, second.words[0].text) == (2.6, "No,")


def test_whisperx_words_decide_backchannels() -> None:
    events = analyze_timeline(read_annotation(FIXTURES / "whisperx.json")).events
    assert [(e.type, e.by, e.of, e.text_by) for e in events] == [
        ("overlap", "MÉO069", "SPEAKER_00", "No, no, the other one, the 2nd one."),
        ("backchannel", "SPEAKER_00", "MÉO069", "Mm-hmm."),
        # 0.6 s, a backchannel by duration, but contentful words: a failed interruption
        ("failed_interruption", "SPEAKER_00", "MÉO069", "But why?"),
    ]
    assert events[0].text_of == "So what I wanted to say was"


def test_pyannote_style_json() -> None:
    assert rows(read_annotation(FIXTURES / "pyannote.json")) == [
        (250, 3100, "SPEAKER_00", None), (2600, 5875, "SPEAKER_01", None),
        (3300, 6500, "SPEAKER_00", None),
    ]


def test_input_format_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "subtitles.txt"
    path.write_bytes((FIXTURES / "meeting.vtt").read_bytes())
    assert len(read_annotation(path, input_format="vtt")) == 4


def test_textgrid_from_montreal_forced_aligner(tmp_path: Path) -> None:
    from praatio import textgrid
    from praatio.data_classes.interval_tier import IntervalTier

    grid = textgrid.Textgrid()
    grid.addTier(IntervalTier("Zoë - words", [(0.1, 0.4, "so"), (0.45, 0.9, "what")], 0, 3))
    grid.addTier(IntervalTier("Zoë - phones", [(0.1, 0.2, "S"), (0.2, 0.4, "OW1")], 0, 3))
    grid.addTier(IntervalTier("B - words", [(1.0, 1.5, "yeah"), (1.5, 1.6, "sil")], 0, 3))
    path = tmp_path / "mfa.TextGrid"
    grid.save(str(path), format="long_textgrid", includeBlankSpaces=True)
    assert rows(read_annotation(path)) == [
        (100, 400, "Zoë", "so"), (450, 900, "Zoë", "what"), (1000, 1500, "B", "yeah"),
    ]
