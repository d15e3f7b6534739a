"""Segments as CSV: ``start,end,speaker[,text]``, one row a segment.

Reading: the first row is a header when its first two cells are not times (columns are then
found by name: ``start``/``start_s``/``begin``/``onset``, ``end``/``end_s``/``offset``,
``speaker``/``spk``/``label``, ``text``/``transcript``); without a header the columns are
``start, end, speaker[, text]``. Times are seconds (``12.5``) or clock times (``00:00:12.500``,
``00:12.500``). Comma, semicolon or tab separated; UTF-8, LF or CRLF.

The writer (``-o x.csv``) is :mod:`talkover.export.segments_csv`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from talkover.errors import FormatError
from talkover.files import read_text
from talkover.formats.stamp import stamps
from talkover.formats.times import check_span, parse_seconds, timeline_of
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["SEGMENT_COLUMNS", "read_segments_csv", "parse_time", "spreadsheet_cell",
           "unquote_cell", "csv_rows"]

SEGMENT_COLUMNS = ("start_s", "end_s", "speaker", "text")
_NAMES = {
    "start": {"start", "start_s", "begin", "onset", "start_time", "from"},
    "end": {"end", "end_s", "offset", "stop", "end_time", "to"},
    "speaker": {"speaker", "spk", "label", "speaker_id", "who", "name"},
    "text": {"text", "transcript", "utterance", "words"},
}
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")


def parse_time(value: str) -> float | None:
    """Seconds from ``12.5``, ``00:00:12.500`` or ``00:12,5``; ``None`` when not a time.

    Clock times need seconds below 60, and minutes below 60 when hours are given
    (``00:99:99`` is no time); plain seconds are decimal numbers (not ``1_000``, ``inf``).

    >>> parse_time("01:02:03.250"), parse_time("7.5"), parse_time("speaker")
    (3723.25, 7.5, None)
    >>> parse_time("00:99:99"), parse_time("1_000")
    (None, None)
    """
    value = value.strip()
    clock = _CLOCK.match(value)
    if clock:
        h, m, s = clock.groups()
        seconds = float(s.replace(",", "."))
        if seconds >= 60 or (h is not None and int(m) >= 60) or len(h or "") > 6:
            return None
        return int(h or 0) * 3600 + int(m) * 60 + seconds
    return parse_seconds(value)


#: What a spreadsheet takes as the start of a formula (OWASP's list: ``=``, ``+``, ``-``, ``@``,
#: tab, carriage return) -- and the quote that neutralises them, doubled when a cell begins with it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEUTRAL = "'"


def spreadsheet_cell(text: str) -> str:
    """A text cell a spreadsheet will not run: one starting like a formula gets a leading ``'``
    (``=cmd|' /C calc'!A0`` -> ``'=cmd|' /C calc'!A0``), which spreadsheets hide; a number stays
    a number (``-1.5``). :func:`unquote_cell` undoes it, so the CSV reads back exactly.

    A cell that starts with ``'`` followed by a formula character or another ``'`` gets one
    more ``'``, so that unquoting is exact.

    >>> spreadsheet_cell("=1+1"), spreadsheet_cell("-1.5"), spreadsheet_cell("Ann")
    ("'=1+1", '-1.5', 'Ann')
    """
    if not text or parse_seconds(text) is not None:
        return text
    if text.startswith(_FORMULA_START) or unquote_cell(text) != text:
        return _NEUTRAL + text
    return text


def unquote_cell(text: str) -> str:
    """The cell :func:`spreadsheet_cell` made safe, as it was.

    >>> unquote_cell("'=1+1"), unquote_cell("'tis")
    ('=1+1', "'tis")
    """
    if len(text) > 1 and text[0] == _NEUTRAL and text[1:].startswith((*_FORMULA_START, _NEUTRAL)):
        return text[1:]
    return text


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    found = {}
    for i, cell in enumerate(header):
        for key, names in _NAMES.items():
            if cell.strip().lower() in names and key not in found:
                found[key] = i
    missing = [k for k in ("start", "end", "speaker") if k not in found]
    if missing:
        raise FormatError(path, f"expected header columns start, end, speaker[, text]; "
                          f"missing {', '.join(missing)}", line=1)
    return found


@stamps('csv')
def read_segments_csv(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of a segments CSV.

    Raises
    ------
    FormatError
        A row with too few cells, a cell that is not a time, end before start
        (``path:line: expected ...``).
    """
    path = Path(path)
    text = read_text(path)
    sample = text[:4096]
    delimiter = max(",;\t", key=sample.count) if sample.strip() else ","
    rows = [(n, r) for n, r in csv_rows(path, text, delimiter) if any(cell.strip() for cell in r)]
    columns = {"start": 0, "end": 1, "speaker": 2, "text": 3}
    if rows and (len(rows[0][1]) < 2 or parse_time(rows[0][1][0]) is None
                 or parse_time(rows[0][1][1]) is None):
        columns = _columns(path, rows[0][1])
        rows = rows[1:]
    segments = [_row(path, number, row, columns) for number, row in rows]
    return timeline_of(path, segments)


def csv_rows(path: Path, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """``(line where the row starts, cells)``; a quote left open is an error naming its line
    (a lenient reader would swallow every following line into one cell)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows = []
    start = 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as exc:
        why = ("expected a closing quote (\") for the cell opened here"
               if "unexpected end of data" in str(exc) else f"expected CSV ({exc})")
        raise FormatError(path, why, line=start) from None
    return rows


def _row(path: Path, number: int, row: list[str], columns: dict[str, int]) -> Segment:
    needed = max(columns["start"], columns["end"], columns["speaker"]) + 1
    if len(row) < needed:
        raise FormatError(path, f"expected at least {needed} cells (start, end, speaker), "
                          f"got {len(row)}", line=number)
    start = _time(path, number, row[columns["start"]])
    end = _time(path, number, row[columns["end"]])
    start, end = check_span(path, start, end, line=number)
    speaker = unquote_cell(row[columns["speaker"]].strip())
    if not speaker:
        raise FormatError(path, "expected a speaker name, got an empty cell", line=number)
    if any(c in speaker for c in "\n\r"):
        raise FormatError(path, f"expected a speaker name on one line, got {speaker[:40]!r}",
                          line=number)
    i = columns.get("text")
    text = unquote_cell(row[i].strip()) if i is not None and i < len(row) else ""
    return Segment(start, end, speaker, text or None)


def _time(path: Path, number: int, cell: str) -> float:
    value = parse_time(cell)
    if value is None or value < 0:
        raise FormatError(path, f"expected a time in seconds or hh:mm:ss.mmm, got {cell!r}",
                          line=number)
    return value
