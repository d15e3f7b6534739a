"""Subtitle writers: ``-o x.vtt`` writes ``<v Name>`` voice tags and puts each event in a ``NOTE``
block before the cue it starts (``NOTE interruption B>A at 00:00:04.000``); ``-o x.srt`` writes a
``Name:`` prefix (``[Name]`` for a name a colon prefix cannot hold; SRT has no comments, so it
carries no events). The readers are in :mod:`talkover.formats.subtitles`.

Names and text are escaped as WebVTT escapes them (``&amp;``, ``&lt;``, ``&gt;``, and ``&#10;``
for a line break, which would otherwise end the cue), in SRT too: a name like ``<script>`` is
text, never a tag, and reads back as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

from talkover.analysis import Analysis
from talkover.events.types import Event

__all__ = ["format_vtt", "write_vtt", "format_srt", "write_srt"]


def _stamp(seconds: float, sep: str) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\n": "&#10;", "\r": "&#13;"})
#: A name the reader takes from a ``Name:`` prefix (as formats.subtitles._PREFIX reads it).
_COLON_NAME = re.compile(r"[^\s:<>\[][^:<>]{0,39}")


def _escaped(text: str) -> str:
    """Text as cue text: ``&``, ``<``, ``>`` and line breaks as character references."""
    return text.translate(_ESCAPES)


def _note(event: Event) -> str:
    """``NOTE interruption B>A at 00:00:04.000`` (names escaped: a line break would end it)."""
    return (f"NOTE {event.type} {_escaped(event.by)}>{_escaped(event.of)} at "
            f"{_stamp(event.start_s, '.')}")


def _srt_prefix(speaker: str) -> str:
    """``Name: `` when the reader takes the name back from that, else ``[Name] ``."""
    name = _escaped(speaker)
    if _COLON_NAME.fullmatch(name) and name == name.strip():
        return f"{name}: "
    return "[" + name.replace("]", "&#93;") + "] "


def format_vtt(analysis: Analysis) -> str:
    """WebVTT text: voice-tagged cues, events as NOTE blocks."""
    blocks = ["WEBVTT"]
    events = sorted(analysis.events, key=lambda e: e.start_s)
    i = 0
    for segment in analysis.timeline:
        while i < len(events) and events[i].start_s <= segment.start_s:
            e = events[i]
            blocks.append(_note(e))
            i += 1
        blocks.append(f"{_stamp(segment.start_s, '.')} --> {_stamp(segment.end_s, '.')}\n"
                      f"<v {_escaped(segment.speaker)}>{_escaped(segment.text or '')}")
    blocks += [_note(e) for e in events[i:]]
    return "\n\n".join(blocks) + "\n"


def write_vtt(analysis: Analysis, path: str | Path) -> None:
    Path(path).write_text(format_vtt(analysis), encoding="utf-8")


def format_srt(analysis: Analysis) -> str:
    """SRT text with a ``Name:`` (or ``[Name]``) prefix on each cue."""
    blocks = [
        f"{n}\n{_stamp(s.start_s, ',')} --> {_stamp(s.end_s, ',')}\n"
        f"{_srt_prefix(s.speaker)}{_escaped(s.text or '')}"
        for n, s in enumerate(analysis.timeline, start=1)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""


def write_srt(analysis: Analysis, path: str | Path) -> None:
    Path(path).write_text(format_srt(analysis), encoding="utf-8")
