"""Malformed files fail with ``path:line: expected ...``, and exit code 2 from the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from talkover import FormatError
from talkover.cli import main
from talkover.formats import read_annotation
from tests.formats.helpers import FIXTURES, with_line_replaced

CASES = [
    # (fixture, text on the line to break, what it becomes, expected message)
    ("praat_long.TextGrid", "xmax = 3.1 ", "xmax = 3,1 ", "expected a number of seconds for xmax"),
    ("praat_long.TextGrid", "intervals: size = 3 ", "intervals: size = three ",
     "expected a count after 'size ='"),
    ("praat_long.TextGrid", 'File type = "ooTextFile"', "File type = text",
     "expected a Praat TextGrid"),
    ("praat_long.TextGrid", "intervals [2]:", "intervals 2", "expected 'name = value'"),
    ("elan.eaf", 'TIME_VALUE="2600"', 'TIME_VALUE="2.6"', "expected TIME_VALUE in whole millis"),
    ("elan.eaf", 'TIME_SLOT_REF2="ts5"', 'TIME_SLOT_REF2="ts50"', "expected a TIME_SLOT with id"),
    ("elan.eaf", "</ANNOTATION_VALUE>", "</ANNOTATION_VALU>", "expected well-formed XML"),
    ("interview.cha", "*MEO:\tand then", "*MEO and then", 'a main tier "*CODE:<tab>utterance"'),
    ("interview.cha", "*ZOE:\tmm-hmm", "*XYZ:\tmm-hmm", "expected a speaker declared in "
     "@Participants (ZOE, MEO), got 'XYZ'"),
    ("interview.cha", "\x157000_7800\x15", "\x157000-7800\x15", "expected a time bullet"),
    ("interview.cha", "\x157900_8400\x15", "\x158400_7900\x15",
     "expected a bullet with start <= end"),
    ("meeting.vtt", "00:00:02.600 --> 00:00:05.875", "00:00:02,600 --> 00:00:05.875",
     "expected a cue timing 'hh:mm:ss.mmm --> hh:mm:ss.mmm'"),
    ("meeting.vtt", "WEBVTT", "WEBTT", 'expected a WebVTT file starting with "WEBVTT"'),
    ("meeting.vtt", "<v Zoë>So what", "So what", "expected a speaker name"),
    ("meeting.srt", "00:00:02,600 --> 00:00:05,875", "00:00:02,600 -> 00:00:05,875",
     "expected an SRT block"),
    ("segments.csv", "MÉO069,2.600", "MÉO069,2.6o0", "expected a time in seconds or hh:mm:ss.mmm"),
    ("segments.csv", "Zoë,3.300,6.500", "Zoë,6.600,6.500", "expected end >= start"),
    ("segments.csv", "speaker,start,end,text", "who,begin,text", "missing end"),
    ("segments_clock.csv", "00:03.300;00:06.500;Zoë", "00:03.300;00:06.500",
     "expected at least 3 cells"),
    ("whisperx.json", '"start": 2.6, "end": 5.875,', '"start": 2.6 "end": 5.875,',
     "not valid JSON"),
]


@pytest.mark.parametrize(("fixture", "old", "new", "expected"), CASES,
                         ids=[f"{c[0]}-{c[3][:24]}" for c in CASES])
def test_malformed_line_is_named(tmp_path: Path, fixture: str, old: str, new: str,
                                 expected: str) -> None:
    path = tmp_path / fixture
    line = with_line_replaced(FIXTURES / fixture, path, old, new)
    with pytest.raises(FormatError) as info:
        read_annotation(path)
    message = str(info.value)
    assert message.startswith(f"{path}:"), message
    assert expected in message
    # The line with the error, or where the broken block starts (SRT: its index line).
    expected_line = line - 1 if fixture.endswith(".srt") else line
    if fixture == "meeting.vtt" and "speaker name" in expected:
        expected_line = line - 1  # the first cue's timing line
    assert info.value.line == expected_line, message


WHOLE_FILE_CASES = [
    # (id, file name, its text, expected message as a regular expression)
    ("whisperx_segment_without_speaker_names_the_item", "x.json",
     '{"segments": [{"start": 0.0, "end": 1.0, "text": "hi"}]}',
     r"segments\[0\]: expected a \"speaker\""),
    ("chat_without_bullets_is_an_error", "untimed.cha",
     "@UTF8\n@Begin\n@Participants:\tCHI Target_Child\n*CHI:\thi .\n@End\n",
     "expected time bullets"),
    ("not_an_eaf", "x.eaf", "<?xml version='1.0'?>\n<TEI>\n</TEI>\n",
     r"x.eaf:2: expected an ELAN ANNOTATION_DOCUMENT"),
]


@pytest.mark.parametrize(("name", "text", "expected"), [c[1:] for c in WHOLE_FILE_CASES],
                         ids=[c[0] for c in WHOLE_FILE_CASES])
def test_malformed_whole_file(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=expected):
        read_annotation(path)


def test_cli_exits_2_with_path_and_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "bad.TextGrid"
    line = with_line_replaced(FIXTURES / "praat_long.TextGrid", path, "xmin = 2.6 ", "xmin = x ")
    assert main(["analyze", str(path)]) == 2
    expected = f"{path}:{line}: expected a number of seconds for xmin, got 'x'"
    assert expected in capsys.readouterr().err


def test_unknown_input_format_is_a_usage_error(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main(["analyze", str(FIXTURES / "meeting.vtt"), "--input-format", "docx"])
    assert info.value.code == 2
    assert "--input-format" in capsys.readouterr().err
