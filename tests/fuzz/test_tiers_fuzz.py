"""TextGrid and ELAN under fuzzing: round trips, truncation anywhere, broken structure and
numbers, odd encodings (Praat's UTF-16 included)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talkover.formats.textgrid import NO_TEXT_LABELS, SILENT_LABELS
from tests.fuzz.contract import (
    ENCODINGS,
    NAME_CHARS,
    NAMES,
    check_cli_contract,
    encoded,
    mutations,
    read_or_refuse,
    rows,
    timelines,
    written,
)

#: A tier named "events..." is talkover's own events tier (skipped on reading); a label that is
#: a convention of the format ("speech", "silence"...) is no transcript.
TIER_NAMES = NAMES.filter(lambda s: not s.startswith("events") and " - " not in s)
RESERVED = {*NO_TEXT_LABELS, *SILENT_LABELS}
TIER_TEXTS = st.none() | st.text(NAME_CHARS | st.just(" "), min_size=1, max_size=30).map(
    lambda s: " ".join(s.split())).filter(lambda s: s and s.lower() not in RESERVED)


@pytest.mark.parametrize("suffix", [".TextGrid", ".eaf"])
@given(timeline=timelines(names=TIER_NAMES, texts=TIER_TEXTS))
def test_read_of_write_is_the_timeline(tmp_path_factory, suffix, timeline) -> None:
    path = written(timeline, tmp_path_factory.mktemp("tiers") / f"x{suffix}")
    assert rows(read_or_refuse(path)) == rows(timeline)


@pytest.mark.parametrize("suffix", [".TextGrid", ".eaf"])
@given(data=st.data(), timeline=timelines(names=TIER_NAMES, texts=TIER_TEXTS))
def test_broken_files_are_read_or_refused(tmp_path_factory, suffix, data, timeline) -> None:
    folder = tmp_path_factory.mktemp("tiers")
    original = written(timeline, folder / f"x{suffix}").read_bytes()
    path = folder / f"broken{suffix}"
    path.write_bytes(data.draw(mutations(original)))
    read_or_refuse(path)


@given(timeline=timelines(names=TIER_NAMES, texts=TIER_TEXTS), cut=st.floats(0, 1))
def test_a_truncated_textgrid_is_never_a_shorter_timeline(tmp_path_factory, timeline, cut):
    folder = tmp_path_factory.mktemp("tiers")
    original = written(timeline, folder / "x.TextGrid").read_text(encoding="utf-8")
    lines = original.rstrip("\n").split("\n")
    keep = int(cut * len(lines))
    path = folder / "cut.TextGrid"
    path.write_text("\n".join(lines[:keep]) + "\n", encoding="utf-8")
    back = read_or_refuse(path)
    if back is not None and keep > 0:  # read whole, or refused: never part of it
        assert rows(back) == rows(timeline)


@pytest.mark.parametrize("suffix", [".TextGrid", ".eaf"])
@given(timeline=timelines(names=TIER_NAMES, texts=TIER_TEXTS),
       encoding=st.sampled_from(ENCODINGS))
def test_odd_encodings(tmp_path_factory, suffix, timeline, encoding) -> None:
    folder = tmp_path_factory.mktemp("tiers")
    text = written(timeline, folder / f"x{suffix}").read_text(encoding="utf-8")
    path = folder / f"odd{suffix}"
    path.write_bytes(encoded(text, encoding))
    back = read_or_refuse(path)
    if encoding in ("utf-8", "crlf") or (encoding == "utf-16" and suffix == ".TextGrid"):
        assert rows(back) == rows(timeline)


@pytest.mark.parametrize("suffix", [".TextGrid", ".eaf"])
@given(data=st.data(), timeline=timelines(names=TIER_NAMES, texts=TIER_TEXTS, max_segments=4))
def test_broken_files_keep_the_cli_contract(tmp_path_factory, suffix, data, timeline) -> None:
    folder = tmp_path_factory.mktemp("tiers")
    original = written(timeline, folder / f"x{suffix}").read_bytes()
    path = folder / f"broken{suffix}"
    path.write_bytes(data.draw(mutations(original)))
    check_cli_contract(Path(path))
