"""The talkover JSON: an :class:`Analysis` as a document other tools read.

The contract (extend it, don't break it)::

    {
      "talkover_version": "0.1.0",
      "input": {"path": "call.rttm", "duration_s": 30.0, "media_path": null},
      "provenance": {"kind", "uri", "inputs": [{"name", "sha256", "format"}], "settings",
                     "models", "talkover_version"},
      "config": {"min_pause_s": 0.3, "backchannel_max_s": 1.0, "grace_s": 0.5,
                 "silent_gap_s": 0.2},
      "speakers": [{"id", "name", "talk_time_s", "talk_share", "turns", "longest_turn_s",
                    "mean_response_gap_s", "interruptions_made", ...}],
      "segments": [{"start_s", "end_s", "speaker", "text"?, "words"?, "annotations"?}],
      "units": [{"speaker", "start_s", "end_s"}],
      "events": [{"type", "start_s", "end_s", "by", "of", "overlap_s", "gap_s", "confidence",
                  "text_by", "text_of", "by_unit", "of_unit"}],
      "turns": [{"speaker", "start_s", "end_s"}],
      "matrix": {type: {by: {of: count}}},
      "matrix_form": "dense" or "sparse",
      "groups": {attribute: {"groups", "pairs", "contrasts", "unassigned"}},
      "sensitivity": null or {"grid", "configs", "headlines"},
      "voice_matches": [{"speaker", "name", "similarity", "speech_s", "matched", "reason"}]
    }

Times are rounded to the millisecond (a timeline keeps them so: they are written exactly).
Speaker ids in ``events``, ``units``, ``turns`` and ``matrix`` are the ids used in
``segments``. ``units`` are the inter-pausal units; an event's ``by_unit`` and ``of_unit`` are
indexes into them (``null`` for events built by hand).
:func:`talkover.export.read_json.read_analysis` reads the document back.
The matrix lists every ordered pair of speakers (zeros included) up to
:data:`DENSE_MATRIX_MAX_SPEAKERS` speakers, and with more only the pairs with events
(``matrix_form`` says which; a pair absent is 0), so that its size follows the events rather
than the square of the speakers.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from talkover.analysis import Analysis
from talkover.export.json_groups import (
    groups_to_dict,
    sensitivity_to_dict,
    voice_matches_to_list,
)
from talkover.timeline import Segment

__all__ = ["analysis_to_dict", "format_json", "write_json", "escape_c1",
           "DENSE_MATRIX_MAX_SPEAKERS"]

#: Up to this many speakers the matrix lists every ordered pair (6 x 50 x 49 = 14,700 cells);
#: with more, only the pairs with events.
DENSE_MATRIX_MAX_SPEAKERS = 50

_MS = 3
#: DEL and the C1 controls, which ``json.dumps(ensure_ascii=False)`` leaves raw (C0 it escapes):
#: as ``\u`` escapes, so that no terminal a JSON is printed on reads one as a command.
_C1_ESCAPES = {c: f"\\u{c:04x}" for c in range(0x7F, 0xA0)}


def escape_c1(text: str) -> str:
    """JSON text with DEL and C1 control characters written as ``\\u`` escapes (the same JSON
    value: they can only occur inside strings)."""
    return text.translate(_C1_ESCAPES)


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, _MS)


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The JSON document of an analysis, as plain Python data."""
    sparse = len(analysis.matrix.speakers) > DENSE_MATRIX_MAX_SPEAKERS
    unit_index = {unit: i for i, unit in enumerate(analysis.ipus)}
    speakers = []
    for stats in analysis.speakers:
        fields = asdict(stats)
        row = {"id": fields.pop("speaker"), **fields}  # "id" in the JSON since 0.1
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
        "provenance": analysis.provenance.to_dict(),
        "config": analysis.config.to_dict(),
        "speakers": speakers,
        "segments": [_segment_dict(s) for s in analysis.timeline],
        "units": [
            {"speaker": u.speaker, "start_s": _seconds(u.start_s), "end_s": _seconds(u.end_s)}
            for u in analysis.ipus
        ],
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
                "by_unit": unit_index.get(e.by_unit) if e.by_unit else None,
                "of_unit": unit_index.get(e.of_unit) if e.of_unit else None,
            }
            for e in analysis.events
        ],
        "turns": [
            {"speaker": t.speaker, "start_s": _seconds(t.start_s), "end_s": _seconds(t.end_s)}
            for t in analysis.turns
        ],
        "matrix": analysis.matrix.to_dict(sparse=sparse),
        "matrix_form": "sparse" if sparse else "dense",
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
    return escape_c1(json.dumps(analysis_to_dict(analysis), ensure_ascii=False, indent=2)) + "\n"


def write_json(analysis: Analysis, path: str | Path) -> None:
    Path(path).write_text(format_json(analysis), encoding="utf-8")
