"""The talkover JSON: an :class:`Analysis` as a document other tools read.

The contract (extend it, don't break it)::

    {
      "talkover_version": "0.1.0",
      "input": {"path": "call.rttm", "duration_s": 30.0},
      "config": {"min_pause_s": 0.3, "backchannel_max_s": 1.0, "grace_s": 0.5,
                 "silent_gap_s": 0.2},
      "speakers": [{"id", "name", "talk_time_s", "talk_share", "turns", "longest_turn_s",
                    "mean_response_gap_s", "interruptions_made", ...}],
      "segments": [{"start_s", "end_s", "speaker", "text"?, "words"?, "annotations"?}],
      "events": [{"type", "start_s", "end_s", "by", "of", "overlap_s", "gap_s", "confidence",
                  "text_by", "text_of"}],
      "turns": [{"speaker", "start_s", "end_s"}],
      "matrix": {type: {by: {of: count}}},
      "groups": {attribute: {"groups", "pairs", "contrasts", "unassigned"}},
      "sensitivity": null or {"grid", "configs", "headlines"},
      "voice_matches": [{"speaker", "name", "similarity", "speech_s", "matched"}]
    }

Times are rounded to the millisecond. Speaker ids in ``events``, ``turns`` and ``matrix`` are
the ids used in ``segments``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from talkover.analysis import Analysis
from talkover.errors import FormatError
from talkover.files import read_text
from talkover.formats.json_groups import (
    groups_to_dict,
    sensitivity_to_dict,
    voice_matches_to_list,
)
from talkover.timeline import Segment, SpeakerTimeline, Word

__all__ = ["analysis_to_dict", "format_json", "write_json", "read_json_timeline"]

_MS = 3


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, _MS)


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The JSON document of an analysis, as plain Python data."""
    speakers = []
    for stats in analysis.speakers:
        row = asdict(stats)
        for key, value in row.items():
            if key.endswith("_s"):
                row[key] = _seconds(value)
        row["talk_share"] = round(stats.talk_share, 6)
        row["groups"] = dict(stats.groups)
        speakers.append(row)
    return {
        "talkover_version": analysis.talkover_version,
        "input": {
            "path": analysis.input_path,
            "duration_s": _seconds(analysis.duration_s),
            "media_path": analysis.media_path,
        },
        "config": analysis.config.to_dict(),
        "speakers": speakers,
        "segments": [_segment_dict(s) for s in analysis.timeline],
        "events": [
            {
                "type": e.type,
                "start_s": _seconds(e.start_s),
                "end_s": _seconds(e.end_s),
                "by": e.by,
                "of": e.of,
                "overlap_s": _seconds(e.overlap_s),
                "gap_s": _seconds(e.gap_s),
                "confidence": e.confidence,
                "text_by": e.text_by,
                "text_of": e.text_of,
            }
            for e in analysis.events
        ],
        "turns": [
            {"speaker": t.speaker, "start_s": _seconds(t.start_s), "end_s": _seconds(t.end_s)}
            for t in analysis.turns
        ],
        "matrix": analysis.matrix.to_dict(),
        "groups": groups_to_dict(analysis.groups),
        "sensitivity": sensitivity_to_dict(analysis.sensitivity),
        "voice_matches": voice_matches_to_list(analysis.voice_matches),
    }


def _segment_dict(segment: Segment) -> dict[str, Any]:
    """A segment's JSON; ``text``, ``words`` and ``annotations`` only when the input had them."""
    row: dict[str, Any] = {
        "start_s": _seconds(segment.start_s),
        "end_s": _seconds(segment.end_s),
        "speaker": segment.speaker,
    }
    if segment.text is not None:
        row["text"] = segment.text
    if segment.words:
        row["words"] = [
            {"start_s": _seconds(w.start_s), "end_s": _seconds(w.end_s), "text": w.text}
            for w in segment.words
        ]
    if segment.annotations:
        row["annotations"] = list(segment.annotations)
    return row


def format_json(analysis: Analysis) -> str:
    """The JSON text (UTF-8 characters kept, two-space indent, trailing newline)."""
    return json.dumps(analysis_to_dict(analysis), ensure_ascii=False, indent=2) + "\n"


def write_json(analysis: Analysis, path: str | Path) -> None:
    Path(path).write_text(format_json(analysis), encoding="utf-8")


def read_json_timeline(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of a talkover JSON file (its ``segments``)."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise FormatError(path, f"not valid JSON ({exc.msg})", line=exc.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise FormatError(path, 'expected a talkover JSON object with a "segments" list')
    segments = [_segment(path, i, row) for i, row in enumerate(data["segments"])]
    info = data.get("input") if isinstance(data.get("input"), dict) else {}
    duration = info.get("duration_s")
    duration_s = float(duration) if isinstance(duration, (int, float)) else None
    uri = Path(str(info.get("path") or path)).stem
    return SpeakerTimeline(tuple(segments), duration_s=duration_s, uri=uri)


def _segment(path: str | Path, index: int, row: object) -> Segment:
    where = f"segments[{index}]"
    if not isinstance(row, dict):
        raise FormatError(path, f"{where}: expected an object with start_s, end_s, speaker")
    start, end, speaker = row.get("start_s"), row.get("end_s"), row.get("speaker")
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, end))
    if not numeric or not isinstance(speaker, str) or not speaker:
        raise FormatError(
            path, f"{where}: expected numbers start_s, end_s and a speaker string, got {row!r}"
        )
    if start < 0 or end < start:
        raise FormatError(path, f"{where}: expected 0 <= start_s <= end_s, got {start}..{end}")
    text = row.get("text")
    if text is not None and not isinstance(text, str):
        raise FormatError(path, f"{where}.text: expected a string or null, got {text!r}")
    annotations = row.get("annotations") or []
    if not isinstance(annotations, list) or not all(isinstance(a, str) for a in annotations):
        raise FormatError(path, f"{where}.annotations: expected a list of strings")
    words = tuple(
        _word(path, f"{where}.words[{i}]", w) for i, w in enumerate(row.get("words") or [])
    )
    return Segment(float(start), float(end), speaker, text, words, tuple(annotations))


def _word(path: str | Path, where: str, row: object) -> Word:
    ok = isinstance(row, dict) and isinstance(row.get("text"), str) and all(
        isinstance(row.get(k), (int, float)) and not isinstance(row.get(k), bool)
        for k in ("start_s", "end_s")
    )
    if not ok:
        raise FormatError(path, f"{where}: expected an object with start_s, end_s and text")
    return Word(float(row["start_s"]), float(row["end_s"]), row["text"])
