"""CHAT under fuzzing: round trips of times and speakers, broken bullets and tiers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from talkover.formats.cha import read_cha
from tests.fuzz.contract import (
    ENCODINGS,
    check_cli_contract,
    encoded,
    mutations,
    read_or_refuse,
    timelines,
    written,
)

#: CHAT writes non-code names as participants' names, spaces and commas as "_": names
#: without either read back as they were (with speaker_names="name").
CHAT_NAMES = st.text(st.characters(categories=("L", "N"), max_codepoint=0x2FF), min_size=1,
                     max_size=10)


def _times_and_speakers(timeline):
    return [(round(s.start_s * 1000), round(s.end_s * 1000), s.speaker) for s in timeline]


def _read_names(path):
    return read_cha(path, speaker_names="name")


@given(timeline=timelines(names=CHAT_NAMES))
def test_read_of_write_keeps_times_and_speakers(tmp_path_factory, timeline) -> None:
    path = written(timeline, tmp_path_factory.mktemp("cha") / "x.cha")
    assert _times_and_speakers(read_or_refuse(path, _read_names)) == _times_and_speakers(timeline)


@given(data=st.data(), timeline=timelines(names=CHAT_NAMES))
def test_broken_files_are_read_or_refused(tmp_path_factory, data, timeline) -> None:
    folder = tmp_path_factory.mktemp("cha")
    original = written(timeline, folder / "x.cha").read_bytes()
    path = folder / "broken.cha"
    path.write_bytes(data.draw(mutations(original)))
    read_or_refuse(path)
    read_or_refuse(path, _read_names)


@given(data=st.data(), timeline=timelines(names=CHAT_NAMES, max_segments=4),
       encoding=st.sampled_from(ENCODINGS))
def test_broken_and_odd_files_keep_the_cli_contract(tmp_path_factory, data, timeline, encoding):
    folder = tmp_path_factory.mktemp("cha")
    original = written(timeline, folder / "x.cha").read_text(encoding="utf-8")
    path = folder / "broken.cha"
    path.write_bytes(data.draw(mutations(encoded(original, encoding))))
    check_cli_contract(path)
