"""Praat TextGrid: one interval tier per speaker, read with :mod:`praatio`.

Reading: every interval tier is a speaker (the tier name is the speaker id); each non-empty
interval is a segment whose label is its text. Point tiers, empty tiers, empty intervals, intervals
labelled ``silent`` and talkover's own ``events`` tiers are skipped; a label ``speech``,
``sounding`` or ``xxx`` is speech without a transcript. Montreal Forced Aligner output reads as
is: a tier ``SPK - words`` is speaker ``SPK`` (one segment a word), ``SPK - phones`` is skipped.
The long and short text formats are read, in UTF-8 or UTF-16 (Praat's choice for non-ASCII
text), with LF or CRLF line ends.

The writer (``-o result.TextGrid``) is :mod:`talkover.export.textgrid`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from talkover.errors import FormatError
from talkover.files import read_text
from talkover.formats.stamp import stamps
from talkover.formats.tiers import EVENTS_TIER
from talkover.optional import require
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["read_textgrid"]

_NUMERIC_KEYS = {"xmin", "xmax", "time", "number"}
_HEADER = re.compile(r"^\s*(tiers\? <(exists|absent)>|\w+ \[\s*\d*\s*\]:)\s*$")
_SIZE = re.compile(r"^\s*\w+: size = (?P<value>.*)$")
_PAIR = re.compile(r"^\s*(?P<key>\w[\w ]*?) = (?P<value>.*)$")
#: Labels that mark speech without a transcript (Praat's "To TextGrid (silences)" writes
#: sounding/silent): read as segments without text; "silent" intervals are no speech.
NO_TEXT_LABELS = frozenset({"speech", "sounding", "xxx"})
SILENT_LABELS = frozenset({"silent", "silence", "sil", "<sil>"})
#: Montreal Forced Aligner tiers: "SPK - words" is speaker SPK, "SPK - phones" is skipped.
_MFA_TIER = re.compile(r"^(?P<speaker>.+) - (?P<kind>words|phones)$")


def _decode(path: Path) -> str:
    data = path.read_bytes() if path.is_file() else b""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16").replace("\r\n", "\n")
        except UnicodeDecodeError:
            raise FormatError(path, "expected UTF-16 text after the byte-order mark") from None
    return read_text(path)


def _validate(path: Path, text: str) -> None:
    """Check the long text format line by line, so that errors name their line."""
    lines = text.split("\n")
    if not lines[0].startswith('File type = "ooTextFile'):
        raise FormatError(path, 'expected a Praat TextGrid starting with File type = "ooTextFile"',
                          line=1)
    if "xmin = " not in text:  # short format: praatio checks it
        return
    in_string = False
    for number, line in enumerate(lines, start=1):
        if in_string:  # inside a multi-line quoted label
            in_string = line.count('"') % 2 == 0
            continue
        if not line.strip():
            continue
        if _HEADER.match(line):
            continue
        size = _SIZE.match(line)
        if size is not None:
            if not size["value"].strip().isdigit():
                raise FormatError(path, f"expected a count after 'size =', got "
                                  f"{size['value'].strip()!r}", line=number)
            continue
        match = _PAIR.match(line)
        if match is None:
            raise FormatError(path, f"expected 'name = value' or 'item [n]:', got {line.strip()!r}",
                              line=number)
        key, value = match["key"].strip(), match["value"].strip()
        if key in _NUMERIC_KEYS and not _is_number(value):
            raise FormatError(path, f"expected a number of seconds for {key}, got {value!r}",
                              line=number)
        if key in ("text", "mark", "name", "class") and value.count('"') % 2 == 1:
            in_string = True


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


@stamps('textgrid')
def read_textgrid(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of a TextGrid (interval tiers = speakers).

    Raises
    ------
    FormatError
        Not a TextGrid, a malformed line (``path:line: expected ...``), duplicate tier names.
    """
    path = Path(path)
    _validate(path, _decode(path))
    praatio = _praatio()
    try:
        grid = praatio.textgrid.openTextgrid(str(path), includeEmptyIntervals=False)
    except Exception as exc:  # praatio raises many types; all mean a malformed file
        reason = f"{type(exc).__name__}: {exc}"
        raise FormatError(path, f"expected a Praat TextGrid ({reason})") from None
    segments = []
    for tier in grid.tiers:
        if tier.tierType != "IntervalTier" or tier.name.startswith(EVENTS_TIER):
            continue
        aligner = _MFA_TIER.match(tier.name)
        if aligner and aligner["kind"] == "phones":
            continue
        speaker = aligner["speaker"] if aligner else tier.name
        for start, end, label in tier.entries:
            text = label.strip()
            if text.lower() in SILENT_LABELS:
                continue
            known = text if text and text.lower() not in NO_TEXT_LABELS else None
            segments.append(Segment(float(start), float(end), speaker, known))
    return SpeakerTimeline(tuple(segments), duration_s=float(grid.maxTimestamp), uri=path.stem)


def _praatio() -> Any:
    """The praatio package with its ``textgrid`` module loaded."""
    require("praatio.textgrid", package="praatio", purpose="reading .TextGrid")
    return require("praatio", package="praatio", purpose="reading .TextGrid")
