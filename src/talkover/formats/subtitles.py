"""Subtitles with speaker names: WebVTT (parsed here, line by line) and SRT (read with
:mod:`srt`).

Reading: each cue is a segment. The speaker comes from a WebVTT voice tag ``<v Name>``, or a
``Name:`` or ``[Name]`` prefix on the cue text (SRT and WebVTT); a cue without a name continues
the previous cue's speaker, and a first cue without one is an error. Cue timing lines are checked
line by line, so that errors name their line.

The writers (``-o x.vtt``, ``-o x.srt``) are in :mod:`talkover.export.subtitles`.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from talkover.errors import FormatError
from talkover.files import read_text
from talkover.formats.stamp import stamps
from talkover.formats.times import check_span, timeline_of
from talkover.optional import require
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["read_vtt", "read_srt"]

_VTT_TIME = r"(?:(\d{1,9}):)?(\d{2}):(\d{2})\.(\d{3})"
_VTT_TIMING = re.compile(rf"^{_VTT_TIME}\s+-->\s+{_VTT_TIME}(\s.*)?$")
_SRT_TIMING = re.compile(r"(\d+):(\d+):(\d+)[,.](\d+)\s*-->\s*(\d+):(\d+):(\d+)[,.](\d+)")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_PREFIX = re.compile(
    r"^\s*(?:\[(?P<bracket>[^\]]{1,1000})\]|(?P<name>[^\s:<>\[][^:<>]{0,39}):)(?:\s+|$)"
)
_TAG = re.compile(r"</?[^>]*>")


def _clock(hours: str | None, minutes: str, seconds: str, ms: str) -> float | None:
    """Seconds of a cue time; ``None`` when minutes or seconds are 60 or more."""
    if int(minutes) >= 60 or int(seconds) >= 60:
        return None
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(ms) / 1000.0


def _speaker_and_text(lines: list[str]) -> tuple[str | None, str | None]:
    """The cue's speaker and text; character references (``&lt;``, ``&amp;``, ``&#10;``, which
    the writers use for ``<``, ``&`` and line breaks in names and text) are decoded."""
    speaker = None
    texts = []
    for line in lines:
        voice = _VOICE.search(line)
        if voice:
            speaker = speaker or html.unescape(voice.group(1)).strip()
        else:
            prefix = _PREFIX.match(_TAG.sub("", line))
            if prefix:
                speaker = speaker or html.unescape(prefix["bracket"] or prefix["name"]).strip()
                line = _TAG.sub("", line)[prefix.end():]
        text = html.unescape(_TAG.sub("", line)).strip()
        if text:
            texts.append(text)
    return speaker, " ".join(texts) or None


def _segments(path: Path, cues: list[tuple[int, float, float, list[str]]]) -> list[Segment]:
    segments: list[Segment] = []
    for number, start, end, lines in cues:
        speaker, text = _speaker_and_text(lines)
        if speaker is None:
            if not segments:
                raise FormatError(path, "expected a speaker name: a <v Name> voice tag or a "
                                  "'Name:' prefix on the first cue", line=number)
            speaker = segments[-1].speaker
        if end < start:
            raise FormatError(path, "expected a cue end after its start", line=number)
        start, end = check_span(path, start, end, line=number)
        segments.append(Segment(start, end, speaker, text))
    return segments


def _vtt_cues(path: Path, text: str) -> list[tuple[int, float, float, list[str]]]:
    """Every cue: ``(line of its timing, start, end, payload lines)``, with the header and
    every timing line checked (a bad timing is an error naming its line, never a cue skipped:
    skipping one would hand the following cues' text to the wrong speaker)."""
    lines = text.split("\n")
    if not lines[0].startswith("WEBVTT"):
        raise FormatError(path, 'expected a WebVTT file starting with "WEBVTT"', line=1)
    cues: list[tuple[int, float, float, list[str]]] = []
    payload: list[str] | None = None  # the lines of the cue being read
    block_start = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            block_start, payload = True, None
            continue
        if "-->" in line:
            start, end = _vtt_timing(path, number, line.strip())
            payload = []
            cues.append((number, start, end, payload))
        elif block_start and number > 1 and re.match(r"^\d+:\d", line):
            raise FormatError(path, "expected a cue timing 'hh:mm:ss.mmm --> hh:mm:ss.mmm', "
                              f"got {line.strip()[:80]!r}", line=number)
        elif payload is not None:
            payload.append(line)
        block_start = False
    return cues


def _vtt_timing(path: Path, number: int, line: str) -> tuple[float, float]:
    match = _VTT_TIMING.match(line)
    if match is None:
        raise FormatError(path, "expected a cue timing 'hh:mm:ss.mmm --> hh:mm:ss.mmm', "
                          f"got {line[:80]!r}", line=number)
    start, end = _clock(*match.groups()[0:4]), _clock(*match.groups()[4:8])
    if start is None or end is None:
        raise FormatError(path, "expected minutes and seconds below 60 in the cue timing, "
                          f"got {line[:80]!r}", line=number)
    return start, end


@stamps('vtt')
def read_vtt(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of a WebVTT file with speaker names.

    An empty file is an empty timeline.

    Raises
    ------
    FormatError
        No ``WEBVTT`` header, a malformed cue timing (minutes or seconds of 60 or more
        included), no speaker name (``path:line: expected ...``).
    """
    path = Path(path)
    text = read_text(path)
    if not text.strip():
        return SpeakerTimeline((), uri=path.stem)
    return timeline_of(path, _segments(path, _vtt_cues(path, text)))


@stamps('srt')
def read_srt(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of an SRT file with ``Name:`` prefixes.

    Raises
    ------
    FormatError
        A malformed block (``path:line: expected ...``) or no speaker name.
    """
    path = Path(path)
    text = read_text(path)
    timing_lines = _srt_timing_lines(path, text)
    srt_lib = require("srt", package="srt", purpose="reading .srt")
    try:
        subtitles = list(srt_lib.parse(text))
    except srt_lib.SRTParseError as exc:
        line = text[: exc.expected_start].count("\n") + 1
        raise FormatError(path, "expected an SRT block: index, 'hh:mm:ss,mmm --> hh:mm:ss,mmm', "
                          "text, blank line", line=line) from None
    except (srt_lib.TimestampParseError, ValueError, OverflowError) as exc:
        raise FormatError(path, f"expected SRT timestamps hh:mm:ss,mmm ({exc})") from None
    cues = [
        (timing_lines[i] if i < len(timing_lines) else None,
         s.start.total_seconds(), s.end.total_seconds(), s.content.split("\n"))
        for i, s in enumerate(subtitles)
    ]
    return timeline_of(path, _segments(path, cues))


def _srt_timing_lines(path: Path, text: str) -> list[int]:
    """The numbers of the timing lines, each checked: minutes and seconds below 60 (the SRT
    parser takes ``00:99:99,000`` for 1 h 40 min 39 s)."""
    numbers = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "-->" not in line:
            continue
        match = _SRT_TIMING.search(line)
        if match is not None and max(len(match[1]), len(match[5])) > 6:
            raise FormatError(path, f"expected a time within 30 days, got {line.strip()[:80]!r}",
                              line=number)
        sexagesimal = (match[i] for i in (2, 3, 6, 7)) if match is not None else ()
        if any(len(part) > 2 or int(part) >= 60 for part in sexagesimal):
            raise FormatError(path, "expected minutes and seconds below 60 in the timing "
                              f"'hh:mm:ss,mmm --> hh:mm:ss,mmm', got {line.strip()[:80]!r}",
                              line=number)
        numbers.append(number)
    return numbers
