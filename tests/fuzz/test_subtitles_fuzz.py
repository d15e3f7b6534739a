"""WebVTT and SRT under fuzzing: round trips (names like <script> and a:b included), broken
timings (60 minutes, huge hours), a cue never skipped nor handed to the wrong speaker."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.contract import (
    ENCODINGS,
    check_cli_contract,
    encoded,
    mutations,
    read_or_refuse,
    rows,
    timelines,
    written,
)


@pytest.mark.parametrize("suffix", [".vtt", ".srt"])
@given(timeline=timelines())
def test_read_of_write_is_the_timeline(tmp_path_factory, suffix, timeline) -> None:
    path = written(timeline, tmp_path_factory.mktemp("subs") / f"x{suffix}")
    assert rows(read_or_refuse(path)) == rows(timeline)


@pytest.mark.parametrize("suffix", [".vtt", ".srt"])
@given(data=st.data(), timeline=timelines())
def test_broken_files_are_read_or_refused(tmp_path_factory, suffix, data, timeline) -> None:
    folder = tmp_path_factory.mktemp("subs")
    original = written(timeline, folder / f"x{suffix}").read_bytes()
    path = folder / f"broken{suffix}"
    path.write_bytes(data.draw(mutations(original)))
    back = read_or_refuse(path)
    if back is not None:  # every cue timing is a segment (or an error): none skipped
        timings = path.read_bytes().count(b"-->")
        assert len(back) <= timings


@pytest.mark.parametrize("suffix", [".vtt", ".srt"])
@given(data=st.data(), timeline=timelines(max_segments=4), encoding=st.sampled_from(ENCODINGS))
def test_broken_and_odd_files_keep_the_cli_contract(tmp_path_factory, suffix, data, timeline,
                                                    encoding) -> None:
    folder = tmp_path_factory.mktemp("subs")
    original = written(timeline, folder / f"x{suffix}").read_text(encoding="utf-8")
    path = folder / f"broken{suffix}"
    path.write_bytes(data.draw(mutations(encoded(original, encoding))))
    check_cli_contract(path)


@given(minutes=st.integers(0, 99), seconds=st.integers(0, 99), hours=st.integers(0, 10**7))
def test_cue_times_out_of_range_are_refused_not_skipped(tmp_path_factory, minutes, seconds,
                                                         hours) -> None:
    folder = tmp_path_factory.mktemp("subs")
    stamp = f"{hours:02d}:{minutes:02d}:{seconds:02d}.000"
    path = folder / "x.vtt"
    path.write_text(f"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v A>one\n\n"
                    f"00:00:01.000 --> {stamp}\n<v B>two\n\n"
                    f"99:00:00.000 --> 99:00:01.000\n<v C>three\n", encoding="utf-8")
    back = read_or_refuse(path)
    end = hours * 3600 + minutes * 60 + seconds
    valid = minutes < 60 and seconds < 60 and 1 <= end
    if back is not None:  # B's cue is read, or empty (1 s to 1 s: skipped, with a warning)
        assert valid and [s.speaker for s in back] == (["A", "C"] if end == 1 else
                                                        ["A", "B", "C"])
