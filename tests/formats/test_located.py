"""JSON readers name the line where a wrong item starts, not only the item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talkover import read_analysis, read_annotation
from talkover.analysis import analyze_timeline
from talkover.errors import FormatError
from talkover.export.json import format_json
from talkover.formats.located import item_line
from talkover.formats.whisperx import read_whisperx
from talkover.timeline import SpeakerTimeline


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def test_a_whisperx_item_is_named_with_its_line(tmp_path: Path) -> None:
    rows = [{"start": float(i), "end": i + 0.5, "speaker": "S1", "text": "hi",
             "words": [{"word": "hi", "start": float(i), "end": i + 0.5}]} for i in range(40)]
    rows[27]["words"][0]["end"] = "late"
    text = json.dumps({"segments": rows}, indent=2)
    path = tmp_path / "call.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        read_whisperx(path)
    line = _line_of(text, '"late"')
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: segments[27].words[0].end: ")
    with pytest.raises(FormatError, match=rf":{line}: segments\[27\]"):
        read_annotation(path)  # through the extension's reader too


def test_a_talkover_json_segment_is_named_with_its_line(tmp_path: Path) -> None:
    analysis = analyze_timeline(SpeakerTimeline.from_tuples(
        [(i * 2.0, i * 2.0 + 1.5, "AB"[i % 2]) for i in range(30)]))
    data = json.loads(format_json(analysis))
    data["segments"][12]["end_s"] = data["segments"][12]["start_s"] - 1
    text = json.dumps(data, indent=2)
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    expected = item_line(text, "segments[12]")
    assert expected is not None and text.splitlines()[expected - 1].strip() == "{"
    for read in (read_annotation, read_analysis):
        with pytest.raises(FormatError) as caught:
            read(path)
        assert caught.value.line == expected, str(caught.value)
        assert "segments[12]: expected end_s >= start_s" in str(caught.value)


@pytest.mark.parametrize(("text", "item", "line"), [
    ('{"a": [1,\n 2,\n {"b": "x, ]}"},\n 4]}', "a[3]", 4),
    ('{"a": [1,\n 2,\n {"b": "x, ]}"},\n 4]}', "a[2].b", 3),
    ('{"a": {"a": 1},\n "b": [[],\n []]}', "b[1]", 3),
    ('{"k\\"ey": 1,\n "x": 2}', "x", 2),
    ('[]', "a", None),
    ('{"a": [1]}', "a[5]", None),
])
def test_item_line(text: str, item: str, line: int | None) -> None:
    assert item_line(text, item) == line


def test_an_error_without_an_item_keeps_no_line(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{\n"segments": 3}', encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        read_annotation(path)
    assert caught.value.line is None
