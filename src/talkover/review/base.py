"""The automatic analysis a review starts from, read back from its talkover JSON.

Until the library's ``talkover.read_analysis`` is on this branch, the analysis is rebuilt the
way the library built it: the JSON's timeline (``segments``) through
:func:`~talkover.analysis.analyze_timeline` with the JSON's thresholds, names, groups,
sensitivity grid and voice matches, and the source told by the events (events with a
``confidence`` come from talkover's diarizer). The events are the definitions applied to the
same timeline, so they are the JSON's events.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from talkover.analysis import Analysis, TimelineSource, analyze_timeline
from talkover.cast import Cast, CastMember, GroupAssignment
from talkover.config import EventConfig
from talkover.errors import FormatError
from talkover.files import read_text
from talkover.formats.json import read_json_timeline
from talkover.metrics.sensitivity import SensitivityGrid
from talkover.voices import VoiceMatch

__all__ = ["read_base_analysis"]


def read_base_analysis(path: str | Path) -> Analysis:
    """The :class:`Analysis` of a talkover JSON file.

    Raises
    ------
    FormatError
        The file is not a talkover JSON document.
    """
    path = Path(path)
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise FormatError(path, f"not valid JSON ({exc.msg})", line=exc.lineno) from None
    timeline = read_json_timeline(path)
    info: dict[str, Any] = data.get("input") or {}
    config = EventConfig.from_dict(data.get("config") or {}, source=str(path))
    events = data.get("events") or []
    source: TimelineSource = (
        "diarization" if any(e.get("confidence") is not None for e in events) else "annotation"
    )
    analysis = analyze_timeline(
        timeline,
        config=config,
        input_path=info.get("path"),
        media_path=info.get("media_path"),
        cast=_cast(data),
        sensitivity=_grid(data.get("sensitivity")),
        source=source,
    )
    if data.get("talkover_version"):
        analysis = replace(analysis, talkover_version=str(data["talkover_version"]))
    return analysis


def _cast(data: dict[str, Any]) -> Cast:
    speakers = data.get("speakers") or []
    members = tuple(CastMember(s["name"], id=s["id"]) for s in speakers if s.get("name"))
    assignments = tuple(
        GroupAssignment(attribute, s["id"], value)
        for s in speakers
        for attribute, value in sorted((s.get("groups") or {}).items())
    )
    matches = tuple(
        VoiceMatch(m["speaker"], m.get("name"), m.get("similarity"), m.get("speech_s") or 0.0)
        for m in data.get("voice_matches") or []
    )
    return Cast(members, assignments, matches)


def _grid(sensitivity: dict[str, Any] | None) -> SensitivityGrid | None:
    if not sensitivity:
        return None
    grid = sensitivity.get("grid") or {}
    return SensitivityGrid(
        min_pause_s=tuple(grid.get("min_pause_s") or SensitivityGrid().min_pause_s),
        backchannel_max_s=tuple(
            grid.get("backchannel_max_s") or SensitivityGrid().backchannel_max_s
        ),
        grace_s=tuple(grid.get("grace_s") or SensitivityGrid().grace_s),
    )
