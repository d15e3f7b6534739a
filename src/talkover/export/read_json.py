"""Read a talkover JSON document back into the :class:`~talkover.analysis.Analysis` it was
written from: ``read_analysis(analysis_to_dict(a)) == a``.

What the document records is read as it is: the provenance, the thresholds, the timeline
(segments with their transcript), the inter-pausal units, the events (types, times,
confidences, texts, their units), the turns, the speakers' names and groups, the voice matches.
What follows from those by arithmetic alone is recomputed, exactly as the analysis computed it:
the per-speaker figures, the matrix, the group comparisons and, when the document has one, the
sensitivity over its grid. (Other tools read those sections of the document; talkover keeps one
definition of each.)

A document written before these fields existed reads too: without ``units`` they are rebuilt
from the segments, without ``provenance`` the kind is ``timeline``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from talkover.analysis import Analysis
from talkover.cast import SpeakerLabel
from talkover.config import EventConfig
from talkover.errors import ConfigError, FormatError
from talkover.events import EVENT_TYPES, Event
from talkover.files import parse_json, read_text
from talkover.formats.json import timeline_from_dict
from talkover.formats.located import item_lines
from talkover.metrics import build_matrix, compute_speaker_stats
from talkover.metrics.groups import compare_groups
from talkover.metrics.sensitivity import SensitivityGrid, measure_sensitivity
from talkover.metrics.speakers import label_speakers
from talkover.provenance import Provenance
from talkover.turns import Turn
from talkover.units import IPU, build_ipus
from talkover.voices import VoiceMatch

__all__ = ["read_analysis"]

_WHERE = "analysis"


def read_analysis(source: str | os.PathLike[str] | Mapping[str, Any]) -> Analysis:
    """The analysis a talkover JSON file (or its parsed document) holds.

    Raises
    ------
    FormatError
        The file cannot be read or is not a talkover JSON analysis; the message names the file
        (or ``analysis`` for a document given as data) and the field that is wrong.
    """
    is_path = isinstance(source, (str, os.PathLike))
    path = str(source) if is_path else _WHERE
    text = read_text(source) if is_path else ""
    data = parse_json(path, text) if is_path else source
    if not isinstance(data, Mapping):
        raise FormatError(path, "expected a talkover JSON object")
    try:
        with item_lines(text):
            return _analysis(dict(data), path)
    except (KeyError, TypeError, ValueError, IndexError, ConfigError) as exc:
        raise FormatError(path, f"not a talkover analysis: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    return f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)


def _analysis(data: dict[str, Any], path: str) -> Analysis:
    config = EventConfig.from_dict(data.get("config") or {}, source=f"{path}: config")
    timeline = timeline_from_dict(data, path)
    stamp = data.get("provenance")
    provenance = (
        Provenance.from_dict(stamp) if isinstance(stamp, Mapping)
        else Provenance("timeline", uri=timeline.uri)
    )
    timeline = timeline.stamped(provenance)
    ipus = (
        tuple(_unit(row) for row in data["units"]) if isinstance(data.get("units"), list)
        else build_ipus(timeline, min_pause_s=config.min_pause_s)
    )
    events = tuple(_event(row, ipus) for row in data.get("events") or ())
    turns = tuple(
        Turn(str(r["speaker"]), float(r["start_s"]), float(r["end_s"]))
        for r in data.get("turns") or ()
    )
    speakers = label_speakers(
        compute_speaker_stats(timeline, turns, events), _labels(data.get("speakers") or ())
    )
    sensitivity = data.get("sensitivity")
    info = data.get("input") if isinstance(data.get("input"), Mapping) else {}
    return Analysis(
        input_path=info.get("path"),
        duration_s=timeline.end_s,
        config=config,
        timeline=timeline,
        ipus=ipus,
        turns=turns,
        events=events,
        speakers=speakers,
        matrix=build_matrix(events, timeline.speakers),
        media_path=info.get("media_path"),
        talkover_version=str(data.get("talkover_version", provenance.talkover_version)),
        groups=compare_groups(speakers, turns, events),
        sensitivity=(
            measure_sensitivity(timeline, speakers, chosen=config, grid=_grid(sensitivity))
            if isinstance(sensitivity, Mapping) else None
        ),
        voice_matches=tuple(_voice_match(row) for row in data.get("voice_matches") or ()),
        provenance=provenance,
    )


def _unit(row: Mapping[str, Any]) -> IPU:
    return IPU(float(row["start_s"]), float(row["end_s"]), str(row["speaker"]))


def _event(row: Mapping[str, Any], ipus: tuple[IPU, ...]) -> Event:
    kind = row["type"]
    if kind not in EVENT_TYPES:
        raise ValueError(f"unknown event type {kind!r}; expected one of {', '.join(EVENT_TYPES)}")
    return Event(
        kind,
        float(row["start_s"]),
        float(row["end_s"]),
        str(row["by"]),
        str(row["of"]),
        float(row.get("overlap_s") or 0.0),
        _float(row.get("gap_s")),
        _float(row.get("confidence")),
        row.get("text_by"),
        row.get("text_of"),
        by_unit=_indexed(ipus, row.get("by_unit")),
        of_unit=_indexed(ipus, row.get("of_unit")),
    )


def _indexed(ipus: tuple[IPU, ...], index: Any) -> IPU | None:
    if index is None:
        return None
    if not isinstance(index, int) or not 0 <= index < len(ipus):
        raise ValueError(f"unit index {index!r} is not one of the {len(ipus)} units")
    return ipus[index]


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _labels(rows: Any) -> list[SpeakerLabel]:
    return [
        SpeakerLabel(
            str(r["id"]), r.get("name"), tuple(sorted((r.get("groups") or {}).items()))
        )
        for r in rows
    ]


def _grid(data: Mapping[str, Any]) -> SensitivityGrid:
    grid = data.get("grid") or {}
    return SensitivityGrid(**{k: tuple(float(v) for v in grid[k]) for k in (
        "min_pause_s", "backchannel_max_s", "grace_s"
    )})


def _voice_match(row: Mapping[str, Any]) -> VoiceMatch:
    name = row.get("name")
    reason = row.get("reason") or ("matched" if name is not None else "below_threshold")
    return VoiceMatch(
        str(row["speaker"]), name, _float(row.get("similarity")), float(row["speech_s"]),
        reason=reason,
    )

