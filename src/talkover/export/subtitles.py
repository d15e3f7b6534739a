"""Subtitle writers: ``-o x.vtt`` writes ``<v Name>`` voice tags and puts each event in a ``NOTE``
block before the cue it starts (``NOTE interruption B>A at 00:00:04.000``); ``-o x.srt`` writes a
``Name:`` prefix (SRT has no comments, so it carries no events). The readers are in
:mod:`talkover.formats.subtitles`.
"""

from __future__ import annotations

from pathlib import Path

from talkover.analysis import Analysis
from talkover.export.tiers import event_label

__all__ = ["format_vtt", "write_vtt", "format_srt", "write_srt"]


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def format_vtt(analysis: Analysis) -> str:
    """WebVTT text: voice-tagged cues, events as NOTE blocks."""
    blocks = ["WEBVTT"]
    events = sorted(analysis.events, key=lambda e: e.start_s)
    i = 0
    for segment in analysis.timeline:
        while i < len(events) and events[i].start_s <= segment.start_s:
            e = events[i]
            blocks.append(f"NOTE {event_label(e)} at {_stamp(e.start_s, '.')}")
            i += 1
        text = (segment.text or "").replace("-->", "->")
        blocks.append(f"{_stamp(segment.start_s, '.')} --> {_stamp(segment.end_s, '.')}\n"
                      f"<v {segment.speaker}>{text}")
    blocks += [f"NOTE {event_label(e)} at {_stamp(e.start_s, '.')}" for e in events[i:]]
    return "\n\n".join(blocks) + "\n"


def write_vtt(analysis: Analysis, path: str | Path) -> None:
    Path(path).write_text(format_vtt(analysis), encoding="utf-8")


def format_srt(analysis: Analysis) -> str:
    """SRT text with a ``Name:`` prefix on each cue."""
    blocks = [
        f"{n}\n{_stamp(s.start_s, ',')} --> {_stamp(s.end_s, ',')}\n{s.speaker}: {s.text or ''}"
        for n, s in enumerate(analysis.timeline, start=1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def write_srt(analysis: Analysis, path: str | Path) -> None:
    Path(path).write_text(format_srt(analysis), encoding="utf-8")
