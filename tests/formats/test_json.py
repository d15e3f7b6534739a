from __future__ import annotations

import json
from pathlib import Path

import pytest

from talkover import EventConfig, FormatError, SpeakerTimeline, analyze_timeline
from talkover.events.types import EVENT_TYPES
from talkover.export.json import analysis_to_dict, write_json
from talkover.formats.json import read_json_timeline

TOP_KEYS = {"talkover_version", "input", "config", "speakers", "segments", "events", "matrix"}
SPEAKER_KEYS = {
    "id", "name", "talk_time_s", "talk_share", "turns", "longest_turn_s", "interruptions_made",
    "interruptions_received", "failed_interruptions_made", "failed_interruptions_received",
    "backchannels_made", "overlaps_made",
}
EVENT_KEYS = {"type", "start_s", "end_s", "by", "of", "overlap_s", "gap_s"}


def sample() -> SpeakerTimeline:
    return SpeakerTimeline.from_tuples(
        [(0, 5, "A"), (1, 1.4, "Zoë"), (4, 8, "Zoë"), (8.5, 10, "A")], duration_s=11.0
    )


def test_document_has_the_contract_keys() -> None:
    doc = analysis_to_dict(analyze_timeline(sample(), config=EventConfig(grace_s=0.4)))
    assert TOP_KEYS <= set(doc)
    assert doc["config"] == {"min_pause_s": 0.3, "backchannel_max_s": 1.0, "grace_s": 0.4,
                             "silent_gap_s": 0.2}
    assert doc["input"]["duration_s"] == 11.0
    for row in doc["speakers"]:
        assert SPEAKER_KEYS <= set(row)
    assert [e["type"] for e in doc["events"]] == ["backchannel", "interruption", "switch"]
    for event in doc["events"]:
        assert EVENT_KEYS <= set(event)
    ids = {s["speaker"] for s in doc["segments"]}
    assert set(doc["matrix"]["interruption"]) == ids
    assert doc["matrix"]["interruption"]["Zoë"]["A"] == 1


def test_round_trip_through_json_keeps_segments_and_events(tmp_path: Path) -> None:
    first = analyze_timeline(sample())
    path = tmp_path / "a.json"
    write_json(first, path)
    assert "Zoë" in path.read_text(encoding="utf-8")
    timeline = read_json_timeline(path)
    assert timeline.segments == first.timeline.segments
    assert timeline.duration_s == 11.0
    second = analyze_timeline(timeline)
    assert analysis_to_dict(second)["events"] == analysis_to_dict(first)["events"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", r"bad.json:1: not valid JSON"),
        ('{"events": []}', 'a "segments" list'),
        ('{"segments": [{"start_s": 1, "end_s": "x", "speaker": "A"}]}', r"segments\[0\]"),
        ('{"segments": [{"start_s": 2, "end_s": 1, "speaker": "A"}]}', "end_s >= start_s"),
    ],
)
def test_bad_json_is_a_clear_error(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=expected):
        read_json_timeline(path)


def test_empty_analysis_serialises() -> None:
    doc = analysis_to_dict(analyze_timeline(SpeakerTimeline()))
    assert doc["speakers"] == [] and doc["events"] == [] and doc["segments"] == []
    json.dumps(doc)


@pytest.mark.parametrize(("speakers", "form"), [(50, "dense"), (51, "sparse")])
def test_matrix_is_sparse_beyond_50_speakers(speakers: int, form: str) -> None:
    rows = [(4.0 * i, 4.0 * i + 5.0, f"S{i:02d}") for i in range(speakers)]
    analysis = analyze_timeline(SpeakerTimeline.from_tuples(rows))
    doc = analysis_to_dict(analysis)
    assert doc["matrix_form"] == form
    matrix = doc["matrix"]
    assert set(matrix) == set(EVENT_TYPES)  # every type is a key in both forms
    cells = sum(len(row) for table in matrix.values() for row in table.values())
    if form == "dense":
        assert cells == len(EVENT_TYPES) * speakers * (speakers - 1)
    else:
        assert cells == len(analysis.matrix.counts)  # only the pairs with events
    for t, by, of, n in analysis.matrix.counts:  # read alike: absent is 0
        assert matrix[t].get(by, {}).get(of, 0) == n
    assert matrix["overlap"].get("S00", {}).get("S01", 0) == analysis.matrix.count(
        "overlap", "S00", "S01")
