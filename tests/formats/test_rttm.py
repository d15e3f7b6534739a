from __future__ import annotations

from pathlib import Path

import pytest

from talkover import FormatError, SpeakerTimeline, read_rttm, write_rttm
from talkover.formats.rttm import read_rttm_all

GOOD = "SPEAKER rec 1 0.500 1.250 <NA> <NA> MÉO069 <NA> <NA>\n"


def write(tmp_path: Path, text: str, name: str = "x.rttm") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_reads_unicode_label_crlf_bom_comments_and_other_types(tmp_path: Path) -> None:
    text = "\ufeff# comment\r\n\r\nSPKR-INFO rec 1 <NA> <NA> <NA> unknown A <NA> <NA>\r\n" + GOOD
    tl = read_rttm(write(tmp_path, text))
    assert tl.uri == "rec"
    assert tl.segments[0].speaker == "MÉO069"
    assert (tl.segments[0].start_s, tl.segments[0].end_s) == (0.5, 1.75)


def test_round_trip_to_the_millisecond(tmp_path: Path) -> None:
    tl = SpeakerTimeline.from_tuples(
        [(0.0, 1.234, "A"), (1.0, 2.5, "Bé"), (3.001, 4.999, "A")], uri="call"
    )
    path = tmp_path / "out.rttm"
    write_rttm(tl, path)
    assert read_rttm(path).segments == tl.segments


def test_empty_file_gives_empty_timeline(tmp_path: Path) -> None:
    assert len(read_rttm(write(tmp_path, ""))) == 0


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("SPEAKER rec 1 0.5 1.0 <NA> <NA> A", "expected 10 space-separated fields"),
        ("SPEAKER rec 1 zero 1.0 <NA> <NA> A <NA> <NA>", "expected a number of seconds for onset"),
        ("SPEAKER rec 1 0.5 nan <NA> <NA> A <NA> <NA>", "for duration"),
        ("SPEAKER rec 1 0.5 -1 <NA> <NA> A <NA> <NA>", "must not be negative"),
        ("SPEECH rec 1 0.5 1 <NA> <NA> A <NA> <NA>", "expected a line starting with SPEAKER"),
    ],
)
def test_malformed_line_names_path_and_line(tmp_path: Path, line: str, expected: str) -> None:
    path = write(tmp_path, GOOD + "\n" + line + "\n")
    with pytest.raises(FormatError) as info:
        read_rttm(path)
    assert str(info.value).startswith(f"{path}:3: ")
    assert expected in str(info.value)
    assert info.value.line == 3


def test_several_recordings_need_a_choice(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + GOOD.replace("rec", "other"))
    assert list(read_rttm_all(path)) == ["rec", "other"]
    with pytest.raises(FormatError, match="holds 2 recordings"):
        read_rttm(path)
    assert read_rttm(path, uri="other").uri == "other"


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.rttm"
    path.write_bytes(GOOD.encode("latin-1"))
    with pytest.raises(FormatError, match=r"latin.rttm:1: expected UTF-8"):
        read_rttm(path)
    with pytest.raises(FormatError, match="no such file"):
        read_rttm(tmp_path / "missing.rttm")


def test_abutting_segments_stay_a_switch(tmp_path: Path) -> None:
    """onset + duration is rounded to the microsecond: 7.549 + 0.709 ends at 8.258 exactly."""
    from talkover import analyze_timeline

    path = write(tmp_path, "SPEAKER rec 1 7.549 0.709 <NA> <NA> A <NA> <NA>\n"
                           "SPEAKER rec 1 8.258 1.000 <NA> <NA> B <NA> <NA>\n")
    tl = read_rttm(path)
    assert tl.segments[0].end_s == tl.segments[1].start_s == 8.258
    (event,) = analyze_timeline(tl).events
    assert (event.type, event.gap_s) == ("switch", 0.0)
