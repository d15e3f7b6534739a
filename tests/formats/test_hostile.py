"""Hostile-but-realistic annotations (issue 18): every reader refuses times that are not finite,
negative or beyond 30 days, naming the file and the line (or the JSON item); a structure the
format's library would read wrongly (a skipped VTT cue, a truncated TextGrid, an open CSV
quote) is an error, never data dropped or handed to the wrong speaker; an empty file is an
empty timeline."""

from __future__ import annotations

import logging
import math
from pathlib import Path

import pytest

from talkover import FormatError
from talkover.errors import InputError
from talkover.formats import read_annotation
from talkover.timeline import Segment, SpeakerTimeline
from tests.formats.helpers import FIXTURES, rows, with_line_replaced

RTTM = "SPEAKER x 1 {} {} <NA> <NA> {} <NA> <NA>\n"
VTT_HEAD = "WEBVTT\n\n"

CASES = [
    # (id, file name, text, expected message (regular expression), expected line or None;
    # for JSON the line where the item that is wrong starts)
    ("talkover_json_infinity", "a.json",
     '{"segments": [{"start_s": 0, "end_s": 2, "speaker": "A"},\n'
     ' {"start_s": 1, "end_s": Infinity, "speaker": "B"}]}',
     r"segments\[1\]: expected a finite time in seconds for end_s, got inf", 2),
    ("talkover_json_nan_is_not_dropped", "a.json",
     '{"segments": [{"start_s": 0, "end_s": 2, "speaker": "A"},\n'
     ' {"start_s": 1, "end_s": NaN, "speaker": "B"}]}',
     r"segments\[1\]: expected a finite time in seconds for end_s, got nan", 2),
    ("talkover_json_word_infinity", "a.json",
     '{"segments": [{"start_s": 0, "end_s": 2, "speaker": "A",'
     ' "words": [{"start_s": 0, "end_s": 1e400, "text": "x"}]}]}',
     r"segments\[0\].words\[0\]: expected a finite time", 1),
    ("talkover_json_duration_infinity", "a.json",
     '{"input": {"duration_s": Infinity}, "segments": []}',
     r"input: expected a finite time in seconds for duration_s", 1),
    ("talkover_json_words_not_a_list", "a.json",
     '{"segments": [{"start_s": 0, "end_s": 2, "speaker": "A", "words": 5}]}',
     r"segments\[0\].words: expected a list", 1),
    ("talkover_json_deeply_nested", "a.json", "[" * 100_000 + "]" * 100_000,
     "expected JSON nested less deeply", None),
    ("talkover_json_huge_integer", "a.json", '{"segments": [{"start_s": ' + "9" * 5000 + "}]}",
     "not valid JSON", None),
    ("whisperx_infinity", "w.json",
     '{"segments": [{"start": 0, "end": Infinity, "speaker": "A", "text": "hi"}]}',
     r"segments\[0\]: expected a finite time in seconds for end", 1),
    ("whisperx_1e400", "w.json",
     '{"segments": [{"start": 0, "end": 1e400, "speaker": "A", "text": "hi"}]}',
     r"segments\[0\]: expected a finite time in seconds for end", 1),
    ("pyannote_beyond_30_days", "p.json", '[{"start": 0, "end": 3e6, "speaker": "A"}]',
     r"diarization\[0\]: expected end between 0 and 2592000 s \(30 days\), got 3e\+06", None),
    ("rttm_1e308", "a.rttm", RTTM.format("0", "1", "A") + RTTM.format("1e308", "1e308", "B"),
     r"expected onset between 0 and 2592000 s \(30 days\), got 1e\+308", 2),
    ("rttm_onset_1e300_is_not_a_zero_length_segment", "a.rttm",
     RTTM.format("0", "1", "A") + RTTM.format("1e300", "1", "B"),
     r"expected onset between 0 and 2592000 s", 2),
    ("rttm_underscore_number", "a.rttm", RTTM.format("1_000", "1", "A"),
     "expected a number of seconds for onset, got '1_000'", 1),
    ("rttm_inf", "a.rttm", RTTM.format("0", "inf", "A"),
     "expected a number of seconds for duration, got 'inf'", 1),
    ("csv_open_quote_swallowing_lines", "a.csv",
     'start,end,speaker\n0,1,A\n1,2,"B\n2,3,C\n3,4,D\n',
     r'expected a closing quote \("\) for the cell opened here', 3),
    ("csv_minutes_99", "a.csv", "start,end,speaker\n0,1,A\n00:99:99,01:40:40,B\n",
     "expected a time in seconds or hh:mm:ss.mmm, got '00:99:99'", 3),
    ("csv_underscore_number", "a.csv", "0,1,A\n1_000,1_001,B\n",
     "expected a time in seconds or hh:mm:ss.mmm, got '1_000'", 2),
    ("csv_beyond_30_days", "a.csv", "0,1,A\n0,1e9,B\n",
     r"expected end between 0 and 2592000 s \(30 days\)", 2),
    ("vtt_60_minutes_is_not_skipped", "a.vtt",
     VTT_HEAD + "00:00:00.000 --> 00:00:01.000\n<v A>hi\n\n"
     "00:00:01.000 --> 00:60:03.000\n<v B>yo\n\n00:00:03.000 --> 00:00:04.000\nand you\n",
     "expected minutes and seconds below 60 in the cue timing", 6),
    ("vtt_beyond_30_days", "a.vtt", VTT_HEAD + "999:00:00.000 --> 999:00:01.000\n<v A>hi\n",
     r"expected start between 0 and 2592000 s", 3),
    ("srt_99_minutes", "a.srt", "1\n00:99:99,000 --> 01:40:40,000\nA: hi\n",
     "expected minutes and seconds below 60 in the timing", 2),
    ("srt_huge_hours", "a.srt", "1\n" + "9" * 40 + ":00:00,000 --> 00:00:01,000\nA: hi\n",
     "expected a time within 30 days", 2),
    ("cha_huge_bullet", "a.cha",
     "@UTF8\n@Begin\n@Participants:\tCHI Target_Child\n*CHI:\thi . \x150_" + "9" * 5000
     + "\x15\n@End\n", "expected a time bullet of at most 12 digits", 4),
    ("cha_beyond_30_days", "a.cha",
     "@UTF8\n@Begin\n@Participants:\tCHI Target_Child\n*CHI:\thi . \x150_9999999999\x15\n@End\n",
     r"expected end between 0 and 2592000 s", 4),
    ("eaf_unknown_encoding_found_by_the_fuzz_suite", "a.eaf",
     "<?xml version='1.0' encoding='UTF--1'?>\n<ANNOTATION_DOCUMENT/>\n",
     "expected an XML encoding declaration Python knows", 1),
    ("eaf_huge_time_value", "a.eaf",
     (FIXTURES / "elan.eaf").read_text(encoding="utf-8").replace(
         'TIME_VALUE="3100"', 'TIME_VALUE="99999999999"'),
     r"expected end between 0 and 2592000 s", 18),
]


@pytest.mark.parametrize(("name", "text", "expected", "line"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_hostile_input_is_an_error_naming_file_and_line(
    tmp_path: Path, name: str, text: str, expected: str, line: int | None
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=expected) as info:
        read_annotation(path)
    assert str(info.value).startswith(f"{path}"), info.value
    assert info.value.line == line, info.value


def test_eaf_annotation_ending_before_its_start_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "back.eaf"
    # a1 runs ts1..ts3 (250..3100 ms); ts3 at 100 ms makes it end before it starts
    with_line_replaced(FIXTURES / "elan.eaf", path, 'TIME_VALUE="3100"', 'TIME_VALUE="100"')
    with pytest.raises(FormatError, match=r"expected end >= start, got 0.25..0.1") as info:
        read_annotation(path)
    assert info.value.line == 18  # the ALIGNABLE_ANNOTATION a1


def test_eaf_without_xsi_attributes_is_read(tmp_path: Path) -> None:
    text = (FIXTURES / "elan.eaf").read_text(encoding="utf-8")
    text = text.replace(' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"', "")
    text = text.replace(' xsi:noNamespaceSchemaLocation="http://www.mpi.nl/tools/elan/'
                        'EAFv3.0.xsd"', "")
    path = tmp_path / "plain.eaf"
    path.write_text(text, encoding="utf-8")
    assert rows(read_annotation(path)) == rows(read_annotation(FIXTURES / "elan.eaf"))


@pytest.mark.parametrize(
    ("old", "new", "expected", "offset"),
    [
        ("xmin = 0.25 ", "xmin = -3 ", r"expected xmin between 0 and 2592000 s .* got -3", 0),
        ("xmin = 0.25 ", "xmin = 5 ", r"expected xmax >= xmin, got 5..3.1", 0),
        ("xmax = 3.1 ", "xmax = 1e400 ", "expected a finite time in seconds for xmax", -1),
        ("intervals: size = 4 ", "intervals: size = 5 ",
         """expected a number of seconds for xmin, got '"IntervalTier"'""", None),
    ],
    ids=["negative_xmin", "xmin_after_xmax", "infinite_xmax", "count_too_high"],
)
def test_textgrid_times_and_structure_are_checked(
    tmp_path: Path, old: str, new: str, expected: str, offset: int | None
) -> None:
    path = tmp_path / "bad.TextGrid"
    line = with_line_replaced(FIXTURES / "praat_long.TextGrid", path, old, new)
    with pytest.raises(FormatError, match=expected) as info:
        read_annotation(path)
    if offset is not None:
        assert info.value.line == line + offset


@pytest.mark.parametrize("fixture", ["praat_long.TextGrid", "praat_short.TextGrid"])
def test_truncated_textgrid_is_an_error_not_fewer_segments(tmp_path: Path, fixture: str) -> None:
    lines = (FIXTURES / fixture).read_text(encoding="utf-8").split("\n")
    for cut in range(3, len(lines) - 2, 3):  # cut anywhere: never a silently shorter timeline
        path = tmp_path / fixture
        path.write_text("\n".join(lines[:cut]) + "\n", encoding="utf-8")
        with pytest.raises(FormatError, match="got the end of the file"):
            read_annotation(path)


@pytest.mark.parametrize("name", ["e.json", "e.TextGrid", "e.eaf", "e.vtt", "e.rttm", "e.cha",
                                  "e.srt", "e.csv"])
@pytest.mark.parametrize("text", ["", "\n \n", "\ufeff"])
def test_an_empty_file_is_an_empty_timeline(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    timeline = read_annotation(path)
    assert len(timeline) == 0 and timeline.uri == "e"


def test_zero_length_segments_are_counted_in_a_warning(tmp_path: Path, caplog) -> None:
    path = tmp_path / "z.rttm"
    path.write_text(RTTM.format("0", "1", "A") + RTTM.format("2", "0", "B") * 2, encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert read_annotation(path).speakers == ("A",)
    assert "skipped 2 zero-length segment(s)" in caplog.text


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_a_timeline_never_holds_non_finite_times(bad: float) -> None:
    with pytest.raises(InputError, match="expected finite times"):
        SpeakerTimeline((Segment(0.0, 1.0, "A"), Segment(0.5, bad, "B")))
    with pytest.raises(InputError, match="expected finite times"):
        SpeakerTimeline.from_tuples([(bad, 1.0, "A")])
    with pytest.raises(InputError, match="duration_s must be a finite"):
        SpeakerTimeline((), duration_s=bad)
