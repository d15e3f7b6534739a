"""RTTM (Rich Transcription Time Marked), the diarization exchange format.

Each ``SPEAKER`` line has ten space-separated fields::

    SPEAKER <file-id> <channel> <onset> <duration> <NA> <NA> <speaker> <NA> <NA>

Other line types (``SPKR-INFO``, ``LEXEME``...), blank lines and ``#`` comments are skipped.
Files are read as UTF-8 (speaker labels may be any Unicode letters but not spaces).
"""

from __future__ import annotations

import re
from pathlib import Path

from talkover.errors import FormatError
from talkover.formats.stamp import stamps
from talkover.formats.text import read_text_lines
from talkover.formats.times import check_span, parse_seconds, timeline_of
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["read_rttm", "read_rttm_all", "write_rttm", "format_rttm"]

_SKIPPED_TYPES = {"SPKR-INFO", "LEXEME", "NON-LEX", "NON-SPEECH", "FILLER", "NOSCORE", "SEGMENT"}


def read_rttm_all(path: str | Path) -> dict[str, SpeakerTimeline]:
    """Every recording in an RTTM file, as ``{file_id: timeline}`` in order of appearance."""
    rows: dict[str, list[Segment]] = {}
    for number, line in read_text_lines(path):
        fields = line.split()
        if not fields or fields[0].startswith(("#", ";")) or fields[0] in _SKIPPED_TYPES:
            continue
        uri, segment = _parse_speaker_line(path, number, fields)
        rows.setdefault(uri, []).append(segment)
    return {uri: timeline_of(path, segs, uri=uri) for uri, segs in rows.items()}


@stamps('rttm')
def read_rttm(path: str | Path, *, uri: str | None = None) -> SpeakerTimeline:
    """The one recording in an RTTM file (or the one named ``uri``).

    An empty file gives an empty timeline named after the file.

    Raises
    ------
    FormatError
        A malformed line (``path:line: expected ...``), or several recordings and no ``uri``.
    """
    timelines = read_rttm_all(path)
    if uri is not None:
        if uri not in timelines:
            known = ", ".join(timelines) or "none"
            raise FormatError(path, f"no recording {uri!r} in this RTTM (file ids: {known})")
        return timelines[uri]
    if not timelines:
        return SpeakerTimeline((), uri=Path(path).stem)
    if len(timelines) > 1:
        known = ", ".join(timelines)
        raise FormatError(path, f"holds {len(timelines)} recordings ({known}); choose one by id")
    return next(iter(timelines.values()))


def _parse_speaker_line(path: str | Path, number: int, fields: list[str]) -> tuple[str, Segment]:
    if fields[0] != "SPEAKER":
        raise FormatError(
            path, f"expected a line starting with SPEAKER, got {fields[0]!r}", line=number
        )
    if len(fields) not in (9, 10):
        raise FormatError(
            path,
            f"expected 10 space-separated fields (SPEAKER file chan onset dur <NA> <NA> "
            f"speaker <NA> <NA>), got {len(fields)}",
            line=number,
        )
    onset = _number(path, number, fields[3], "onset")
    duration = _number(path, number, fields[4], "duration")
    if onset < 0 or duration < 0:
        raise FormatError(
            path,
            f"onset and duration must not be negative, got {onset} and {duration}",
            line=number,
        )
    # to the microsecond: 7.549 + 0.709 must end where a segment at 8.258 starts, not 1e-15 s
    # later (an abutting hand-over would read as an overlap)
    start, end = check_span(path, onset, round(onset + duration, 6), line=number,
                            names=("onset", "onset + duration"))
    return fields[1], Segment(start, end, fields[7])


def _number(path: str | Path, number: int, text: str, what: str) -> float:
    value = parse_seconds(text)
    if value is None:
        raise FormatError(
            path, f"expected a number of seconds for {what}, got {text!r}", line=number
        )
    return value


_WHITESPACE = re.compile(r"\s")


def _field(text: str) -> str:
    """One RTTM field: any whitespace (spaces, tabs, newlines...) becomes ``_``."""
    return _WHITESPACE.sub("_", text)


def format_rttm(timeline: SpeakerTimeline) -> str:
    """RTTM text of a timeline (times to the millisecond; whitespace in names as ``_``)."""
    uri = _field(timeline.uri) or "recording"
    return "".join(
        f"SPEAKER {uri} 1 {s.start_s:.3f} {s.duration_s:.3f} <NA> <NA> "
        f"{_field(s.speaker)} <NA> <NA>\n"
        for s in timeline
    )


def write_rttm(timeline: SpeakerTimeline, path: str | Path) -> None:
    """Write a timeline as RTTM (UTF-8)."""
    Path(path).write_text(format_rttm(timeline), encoding="utf-8")
