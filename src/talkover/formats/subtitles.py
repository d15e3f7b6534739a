"""Subtitles with speaker names: WebVTT (read with :mod:`webvtt`) and SRT (read with :mod:`srt`).

Reading: each cue is a segment. The speaker comes from a WebVTT voice tag ``<v Name>``, or a
``Name:`` or ``[Name]`` prefix on the cue text (SRT and WebVTT); a cue without a name continues
the previous cue's speaker, and a first cue without one is an error. Cue timing lines are checked
line by line, so that errors name their line.

The writers (``-o x.vtt``, ``-o x.srt``) are in :mod:`talkover.export.subtitles`.
"""

from __future__ import annotations

import re
from pathlib import Path

from talkover.errors import FormatError
from talkover.files import read_text
from talkover.formats.stamp import stamps
from talkover.optional import require
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["read_vtt", "read_srt"]

_VTT_TIME = r"(?:\d+:)?\d{2}:\d{2}\.\d{3}"
_VTT_TIMING = re.compile(rf"^({_VTT_TIME})\s+-->\s+({_VTT_TIME})(\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_PREFIX = re.compile(
    r"^\s*(?:\[(?P<bracket>[^\]]{1,40})\]|(?P<name>[^\s:<>\[][^:<>]{0,39}):)(?:\s+|$)"
)
_TAG = re.compile(r"</?[^>]*>")


def _seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.replace(",", ".").split(":")]
    return sum(value * 60**i for i, value in enumerate(reversed(parts)))


def _speaker_and_text(lines: list[str]) -> tuple[str | None, str | None]:
    speaker = None
    texts = []
    for line in lines:
        voice = _VOICE.search(line)
        if voice:
            speaker = speaker or voice.group(1).strip()
        else:
            prefix = _PREFIX.match(_TAG.sub("", line))
            if prefix:
                speaker = speaker or (prefix["bracket"] or prefix["name"]).strip()
                line = _TAG.sub("", line)[prefix.end():]
        text = _TAG.sub("", line).strip()
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
        segments.append(Segment(start, end, speaker, text))
    return segments


def _validate_vtt(path: Path) -> list[int]:
    """Check the header and every timing line; the line numbers of the cue timings."""
    lines = read_text(path).split("\n")
    if not lines[0].startswith("WEBVTT"):
        raise FormatError(path, 'expected a WebVTT file starting with "WEBVTT"', line=1)
    timings = []
    block_start = True
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            block_start = True
            continue
        if "-->" in line:
            if not _VTT_TIMING.match(line.strip()):
                raise FormatError(path, "expected a cue timing 'hh:mm:ss.mmm --> hh:mm:ss.mmm', "
                                  f"got {line.strip()!r}", line=number)
            timings.append(number)
        elif block_start and number > 1 and re.match(r"^\d+:\d", line):
            raise FormatError(path, "expected a cue timing 'hh:mm:ss.mmm --> hh:mm:ss.mmm', "
                              f"got {line.strip()!r}", line=number)
        block_start = False
    return timings


@stamps('vtt')
def read_vtt(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of a WebVTT file with speaker names.

    Raises
    ------
    FormatError
        No ``WEBVTT`` header, a malformed cue timing, no speaker name (``path:line: expected ...``).
    """
    path = Path(path)
    timings = _validate_vtt(path)
    try:
        webvtt = require("webvtt", package="webvtt-py", purpose="reading .vtt")
        captions = webvtt.read(str(path)).captions
    except Exception as exc:  # webvtt-py raises its own error types
        raise FormatError(path, f"expected WebVTT ({type(exc).__name__}: {exc})") from None
    cues = [
        (number, _seconds(c.start), _seconds(c.end), c.raw_text.split("\n"))
        for number, c in zip(timings, captions, strict=False)
    ]
    return SpeakerTimeline(tuple(_segments(path, cues)), uri=path.stem)


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
    srt_lib = require("srt", package="srt", purpose="reading .srt")
    try:
        subtitles = list(srt_lib.parse(text))
    except srt_lib.SRTParseError as exc:
        line = text[: exc.expected_start].count("\n") + 1
        raise FormatError(path, "expected an SRT block: index, 'hh:mm:ss,mmm --> hh:mm:ss,mmm', "
                          "text, blank line", line=line) from None
    except (srt_lib.TimestampParseError, ValueError) as exc:
        raise FormatError(path, f"expected SRT timestamps hh:mm:ss,mmm ({exc})") from None
    timing_lines = [n for n, line in enumerate(text.split("\n"), start=1) if "-->" in line]
    cues = [
        (timing_lines[i] if i < len(timing_lines) else None,
         s.start.total_seconds(), s.end.total_seconds(), s.content.split("\n"))
        for i, s in enumerate(subtitles)
    ]
    return SpeakerTimeline(tuple(_segments(path, cues)), uri=path.stem)
