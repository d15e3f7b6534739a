"""The one check every reader makes of the times it reads: finite, not negative, not absurd.

A time that is infinite, NaN, negative or beyond :data:`MAX_TIME_S` (30 days) cannot belong to
a recording; it would poison every figure downstream (``Infinity`` is not JSON, a talk share of
NaN, a figure or a scoring grid sized by the end time). Readers call :func:`check_span` on each
start/end pair (and :func:`check_time` on lone times: words, durations) with the file and the
line or item, so that the message says where:

>>> check_span("call.rttm", 1.5, 2.0, line=3)
(1.5, 2.0)
>>> check_span("call.rttm", 1.5, float("inf"), line=3)
Traceback (most recent call last):
...
talkover.errors.FormatError: call.rttm:3: expected a finite time in seconds for end, got inf
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable
from pathlib import Path

from talkover.errors import FormatError
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["MAX_TIME_S", "check_span", "check_time", "parse_seconds", "timeline_of"]

_log = logging.getLogger(__name__)

#: Latest time a reader accepts, in seconds (30 days): far beyond any recording, far below
#: what makes arithmetic on times lose the millisecond (2.6e6 s keeps ~1e-9 s resolution).
MAX_TIME_S = 30 * 24 * 3600.0

#: A plain decimal number (no ``_`` separators, no ``inf``/``nan``, no hex).
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def parse_seconds(text: str) -> float | None:
    """A decimal number of seconds, or ``None`` when ``text`` is not one.

    Stricter than :func:`float`: ``1_000``, ``inf``, ``nan``, ``0x10`` and surrounding text are
    refused (``float`` accepts the first three).

    >>> parse_seconds("12.5"), parse_seconds("1e3"), parse_seconds("1_000"), parse_seconds("nan")
    (12.5, 1000.0, None, None)
    """
    text = text.strip()
    if len(text) > 64 or not _DECIMAL.fullmatch(text):
        return None
    return float(text)


def check_time(
    path: str | Path,
    value: float,
    *,
    what: str = "time",
    line: int | None = None,
    where: str | None = None,
) -> float:
    """``value`` as a float when it is a time a recording can have, in [0, 30 days].

    Parameters
    ----------
    path
        The file read (for the message).
    value
        The time in seconds.
    what
        What the time is, for the message (``"onset"``, ``"end_s"``).
    line, where
        The line of the file, or the item (``"segments[3]"``), where the time was read.

    Raises
    ------
    FormatError
        ``value`` is not finite, negative, or beyond :data:`MAX_TIME_S`.
    """
    prefix = f"{where}: " if where else ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FormatError(path, f"{prefix}expected a number of seconds for {what}, got {value!r}",
                          line=line)
    if not math.isfinite(value):
        raise FormatError(path, f"{prefix}expected a finite time in seconds for {what}, got "
                          f"{value!r}", line=line)
    if not 0.0 <= value <= MAX_TIME_S:
        raise FormatError(path, f"{prefix}expected {what} between 0 and {MAX_TIME_S:.0f} s "
                          f"(30 days), got {value:g}", line=line)
    return float(value)


def check_span(
    path: str | Path,
    start_s: float,
    end_s: float,
    *,
    line: int | None = None,
    where: str | None = None,
    names: tuple[str, str] = ("start", "end"),
) -> tuple[float, float]:
    """``(start_s, end_s)`` as floats when both are times (:func:`check_time`) in order.

    Parameters
    ----------
    names
        What the file calls the two times, for the message (``("start_s", "end_s")``).

    Raises
    ------
    FormatError
        A time is not finite, negative or beyond 30 days, or ``end_s < start_s``:
        ``path:line: expected end >= start, got 4..3``.
    """
    start = check_time(path, start_s, what=names[0], line=line, where=where)
    end = check_time(path, end_s, what=names[1], line=line, where=where)
    if end < start:
        prefix = f"{where}: " if where else ""
        raise FormatError(path, f"{prefix}expected {names[1]} >= {names[0]}, got "
                          f"{start:g}..{end:g}", line=line)
    return start, end


def timeline_of(
    path: str | Path,
    segments: Iterable[Segment],
    *,
    duration_s: float | None = None,
    uri: str | None = None,
) -> SpeakerTimeline:
    """The timeline of checked segments; zero-length ones (``start == end``), which a timeline
    does not keep, are counted in a warning instead of vanishing unseen.

    ``uri`` defaults to the file's stem.
    """
    segments = tuple(segments)
    timeline = SpeakerTimeline(segments, duration_s=duration_s, uri=uri or Path(path).stem)
    if len(timeline) < len(segments):
        _log.warning("%s: skipped %d zero-length segment(s) (shorter than 1 ms)", path,
                     len(segments) - len(timeline))
    return timeline
