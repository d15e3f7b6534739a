"""An analysis as tables: named pandas DataFrames that concatenate across recordings.

Every frame has a ``uri`` column first (the recording), so the frames of a corpus stack with
:func:`pandas.concat`. Times are seconds (floats, to the millisecond); speakers are ids as in
the timeline (the ``speakers`` frame maps them to names and groups).

=========  ===================================================================================
frame      columns
=========  ===================================================================================
segments   uri, speaker, start_s, end_s, duration_s, text
events     uri, type, start_s, end_s, by, of, overlap_s, gap_s, confidence, text_by, text_of
speakers   uri, speaker, name, talk_time_s, talk_share, turns, longest_turn_s,
           mean_response_gap_s, the made/received counts of every event type, and one
           ``group_<attribute>`` column per group attribute of the cast
turns      uri, speaker, start_s, end_s, duration_s
matrix     uri, type, by, of, count — the who-over-whom matrix in long form, non-zero cells
           only (pivot with ``fill_value=0`` for the square form)
=========  ===================================================================================

pandas is imported when a frame is built, not with talkover.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any, Protocol

from talkover.events import Event
from talkover.metrics import EventMatrix, SpeakerStats
from talkover.timeline import SpeakerTimeline, to_ms
from talkover.turns import Turn

if TYPE_CHECKING:
    import pandas

__all__ = ["FRAME_COLUMNS", "Frames", "Tabled", "analysis_frames"]

#: A recording's frames by name.
Frames = dict[str, "pandas.DataFrame"]

_EVENT_FIELDS = (
    "type", "start_s", "end_s", "by", "of", "overlap_s", "gap_s", "confidence", "text_by",
    "text_of",
)
_SPEAKER_FIELDS = tuple(f.name for f in fields(SpeakerStats) if f.name != "groups")

#: The columns of each frame, in order (``speakers`` also has its ``group_*`` columns).
FRAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "segments": ("uri", "speaker", "start_s", "end_s", "duration_s", "text"),
    "events": ("uri", *_EVENT_FIELDS),
    "speakers": ("uri", *_SPEAKER_FIELDS),
    "turns": ("uri", "speaker", "start_s", "end_s", "duration_s"),
    "matrix": ("uri", "type", "by", "of", "count"),
}


class Tabled(Protocol):
    """What the frames are made of (an :class:`~talkover.analysis.Analysis` is one)."""

    @property
    def uri(self) -> str: ...

    timeline: SpeakerTimeline
    events: tuple[Event, ...]
    speakers: tuple[SpeakerStats, ...]
    turns: tuple[Turn, ...]
    matrix: EventMatrix


def analysis_frames(analysis: Tabled) -> Frames:
    """The five frames of one analysis (see the module doc)."""
    import pandas as pd

    uri = analysis.uri
    rows: dict[str, list[dict[str, Any]]] = {
        "segments": [
            {"uri": uri, "speaker": s.speaker, "start_s": s.start_s, "end_s": s.end_s,
             "duration_s": to_ms(s.duration_s), "text": s.text}
            for s in analysis.timeline
        ],
        "events": [
            {"uri": uri, **{k: getattr(e, k) for k in _EVENT_FIELDS}} for e in analysis.events
        ],
        "speakers": _speaker_rows(uri, analysis.speakers),
        "turns": [
            {"uri": uri, "speaker": t.speaker, "start_s": t.start_s, "end_s": t.end_s,
             "duration_s": to_ms(t.duration_s)}
            for t in analysis.turns
        ],
        "matrix": [
            {"uri": uri, "type": t, "by": b, "of": o, "count": n}
            for t, b, o, n in analysis.matrix.counts
        ],
    }
    frames: Frames = {}
    for name, records in rows.items():
        columns = list(FRAME_COLUMNS[name])
        columns += sorted({k for r in records for k in r} - set(columns))  # group_* columns
        frames[name] = pd.DataFrame.from_records(records, columns=columns)
    return frames


def _speaker_rows(uri: str, speakers: Sequence[SpeakerStats]) -> list[dict[str, Any]]:
    out = []
    for stats in speakers:
        row = {"uri": uri, **{k: v for k, v in asdict(stats).items() if k != "groups"}}
        row.update({f"group_{attribute}": value for attribute, value in stats.groups})
        out.append(row)
    return out
