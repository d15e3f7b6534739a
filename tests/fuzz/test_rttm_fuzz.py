"""RTTM under fuzzing: round trips, broken lines, extreme numbers, odd encodings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from talkover.formats.rttm import format_rttm
from tests.fuzz.contract import (
    ENCODINGS,
    NASTY,
    check_cli_contract,
    encoded,
    mutations,
    read_or_refuse,
    rows,
    timelines,
    written,
)

NO_SPACE = st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=10)


@given(timeline=timelines(names=NO_SPACE, texts=st.none()))
def test_read_of_write_is_the_timeline(tmp_path_factory, timeline) -> None:
    path = written(timeline, tmp_path_factory.mktemp("rttm") / "x.rttm")
    assert rows(read_or_refuse(path)) == rows(timeline)


@given(data=st.data(), timeline=timelines(texts=st.none()))
def test_broken_files_are_read_or_refused(tmp_path_factory, data, timeline) -> None:
    path = tmp_path_factory.mktemp("rttm") / "x.rttm"
    path.write_bytes(data.draw(mutations(format_rttm(timeline).encode("utf-8"))))
    back = read_or_refuse(path)
    if back is not None:  # a SPEAKER line is a segment, or an error: none vanishes unsaid
        speaker_lines = [line for line in path.read_bytes().split(b"\n")
                         if line.split()[:1] == [b"SPEAKER"]]
        assert len(back) <= len(speaker_lines)


@given(onset=st.sampled_from(NASTY) | st.floats().map(repr), duration=st.sampled_from(NASTY),
       speaker=st.sampled_from(NASTY))
def test_any_field_value_keeps_the_contract(tmp_path_factory, onset, duration, speaker) -> None:
    path = tmp_path_factory.mktemp("rttm") / "x.rttm"
    path.write_text(f"SPEAKER x 1 {onset} {duration} <NA> <NA> {speaker} <NA> <NA>\n",
                    encoding="utf-8", errors="surrogatepass")
    read_or_refuse(path)
    check_cli_contract(path)


@given(timeline=timelines(names=NO_SPACE, texts=st.none()), encoding=st.sampled_from(ENCODINGS))
def test_odd_encodings(tmp_path_factory, timeline, encoding) -> None:
    path = tmp_path_factory.mktemp("rttm") / "x.rttm"
    path.write_bytes(encoded(format_rttm(timeline), encoding))
    back = read_or_refuse(path)
    if encoding in ("utf-8", "utf-8-sig", "crlf"):
        assert rows(back) == rows(timeline)
