"""Segment CSVs under fuzzing: round trips (formula-like names included), broken quoting,
extreme times, clock times, delimiters, odd encodings."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from talkover.export.segments_csv import format_segments_csv
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


def _csv_text(timeline) -> str:
    from talkover.analysis import analyze_timeline

    return format_segments_csv(analyze_timeline(timeline))


@given(timeline=timelines())
def test_read_of_write_is_the_timeline(tmp_path_factory, timeline) -> None:
    path = written(timeline, tmp_path_factory.mktemp("csv") / "x.csv")
    assert rows(read_or_refuse(path)) == rows(timeline)


@given(data=st.data(), timeline=timelines())
def test_broken_files_are_read_or_refused(tmp_path_factory, data, timeline) -> None:
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    path.write_bytes(data.draw(mutations(_csv_text(timeline).encode("utf-8"))))
    read_or_refuse(path)


@given(cells=st.lists(st.sampled_from(NASTY) | st.text(max_size=6), min_size=1, max_size=5),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_any_cells_keep_the_contract(tmp_path_factory, cells, delimiter) -> None:
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([["0", "1", "A"], cells])
    path.write_text(out.getvalue(), encoding="utf-8", errors="surrogatepass")
    read_or_refuse(path)
    check_cli_contract(path)


@given(timeline=timelines(), encoding=st.sampled_from(ENCODINGS))
def test_odd_encodings(tmp_path_factory, timeline, encoding) -> None:
    path = tmp_path_factory.mktemp("csv") / "x.csv"
    path.write_bytes(encoded(_csv_text(timeline), encoding))
    back = read_or_refuse(path)
    if encoding in ("utf-8", "utf-8-sig"):
        assert rows(back) == rows(timeline)
