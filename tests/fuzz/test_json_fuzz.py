"""JSON under fuzzing: talkover's JSON (round trip), WhisperX and pyannote-style documents,
broken syntax, NaN/Infinity/1e400, deep nesting, wrong types."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from talkover.export.json import format_json
from tests.fuzz.contract import (
    NASTY,
    check_cli_contract,
    mutations,
    read_or_refuse,
    rows,
    timelines,
    written,
)

NUMBERS = (st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10, 10**20)
           | st.sampled_from([1e308, -0.0, 2.5e6, 3e6]))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | NUMBERS | st.text(max_size=5) | st.sampled_from(NASTY),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["start", "end", "start_s", "end_s", "speaker", "text", "words",
                         "word", "segments", "diarization", "label", "annotations"]),
        inner, max_size=4),
    max_leaves=12,
)


@given(timeline=timelines())
def test_read_of_write_is_the_timeline(tmp_path_factory, timeline) -> None:
    path = written(timeline, tmp_path_factory.mktemp("json") / "x.json")
    assert rows(read_or_refuse(path)) == rows(timeline)


@given(data=st.data(), timeline=timelines())
def test_broken_files_are_read_or_refused(tmp_path_factory, data, timeline) -> None:
    from talkover.analysis import analyze_timeline

    path = tmp_path_factory.mktemp("json") / "x.json"
    text = format_json(analyze_timeline(timeline))
    path.write_bytes(data.draw(mutations(text.encode("utf-8"))))
    read_or_refuse(path)


@given(start=NUMBERS, end=NUMBERS, speaker=JSON_VALUES, layout=st.sampled_from(
    ["talkover", "whisperx", "pyannote", "words"]))
def test_any_values_keep_the_contract(tmp_path_factory, start, end, speaker, layout) -> None:
    if layout == "talkover":
        doc = {"segments": [{"start_s": start, "end_s": end, "speaker": speaker}]}
    elif layout == "whisperx":
        doc = {"segments": [{"start": start, "end": end, "speaker": speaker, "text": "hi"}]}
    elif layout == "pyannote":
        doc = [{"start": start, "end": end, "speaker": speaker}]
    else:
        doc = {"segments": [{"start": 0, "end": 1, "text": "hi", "words": [
            {"word": "hi", "start": start, "end": end, "speaker": speaker}]}]}
    path = tmp_path_factory.mktemp("json") / "x.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # NaN/Infinity as Python writes them
    read_or_refuse(path)
    check_cli_contract(path)


@given(doc=JSON_VALUES, depth=st.integers(0, 3000))
def test_any_document_keeps_the_contract(tmp_path_factory, doc, depth) -> None:
    path = tmp_path_factory.mktemp("json") / "x.json"
    path.write_text("[" * depth + json.dumps(doc) + "]" * depth, encoding="utf-8")
    read_or_refuse(path)
