"""Praat TextGrid: one interval tier per speaker, parsed here (the writer uses :mod:`praatio`).

Reading: every interval tier is a speaker (the tier name is the speaker id); each non-empty
interval is a segment whose label is its text. Point tiers, empty tiers, empty intervals, intervals
labelled ``silent`` and talkover's own ``events`` tiers are skipped; a label ``speech``,
``sounding`` or ``xxx`` is speech without a transcript. Montreal Forced Aligner output reads as
is: a tier ``SPK - words`` is speaker ``SPK`` (one segment a word), ``SPK - phones`` is skipped.
The long and short text formats are read, in UTF-8 or UTF-16 (Praat's choice for non-ASCII
text), with LF or CRLF line ends. Every value is checked against the structure (counts, order,
times), so that a truncated file or a backwards interval is an error naming its line.

The writer (``-o result.TextGrid``) is :mod:`talkover.export.textgrid`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from talkover.errors import FormatError
from talkover.files import read_text
from talkover.formats.stamp import stamps
from talkover.formats.tiers import EVENTS_TIER
from talkover.formats.times import check_span, check_time, parse_seconds, timeline_of
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
    return parse_seconds(value) is not None


class _Tokens:
    """The values of a TextGrid in order, each with its line: the long format's ``key = value``
    pairs and the short format's one value per line read alike (headers like ``item [1]:``
    skipped, strings spanning lines joined)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.items: list[tuple[int, str | None, str]] = []  # (line, key or None, raw value)
        self.position = 0
        pending: tuple[int, str | None, list[str]] | None = None  # a string spanning lines
        for number, line in enumerate(text.split("\n"), start=1):
            if pending is not None:
                pending[2].append(line)
                if "\n".join(pending[2]).count('"') % 2 == 0:
                    self.items.append((pending[0], pending[1], "\n".join(pending[2]).strip()))
                    pending = None
                continue
            key, value = _key_and_value(line)
            if value is None:
                continue
            if value.startswith('"') and value.count('"') % 2 == 1:
                pending = (number, key, [value])
            else:
                self.items.append((number, key, value))
        if pending is not None:
            raise FormatError(path, "expected a closing quote for the text opened here",
                              line=pending[0])

    @property
    def line(self) -> int:
        """The line of the last value read (or of the file's end)."""
        return self.items[min(self.position, len(self.items)) - 1][0] if self.items else 1

    def take(self, what: str) -> tuple[int, str]:
        """The next value, which the file's structure says is ``what``; its line."""
        if self.position >= len(self.items):
            raise FormatError(self.path, f"expected {what}, got the end of the file (truncated?)",
                              line=self.line)
        number, key, value = self.items[self.position]
        self.position += 1
        return number, value

    def number(self, what: str) -> tuple[int, float]:
        number, value = self.take(f"a number of seconds for {what}")
        seconds = parse_seconds(value)
        if seconds is None:
            raise FormatError(self.path, f"expected a number of seconds for {what}, got "
                              f"{value[:40]!r}", line=number)
        return number, seconds

    def count(self, what: str) -> int:
        number, value = self.take(f"the number of {what}")
        if not value.isdigit() or len(value) > 9:
            raise FormatError(self.path, f"expected the number of {what}, got {value[:40]!r}",
                              line=number)
        return int(value)

    def string(self, what: str) -> tuple[int, str]:
        number, value = self.take(f"a quoted {what}")
        if len(value) < 2 or not (value.startswith('"') and value.endswith('"')):
            raise FormatError(self.path, f"expected a quoted {what}, got {value[:40]!r}",
                              line=number)
        return number, value[1:-1].replace('""', '"')


def _key_and_value(line: str) -> tuple[str | None, str | None]:
    """``(key, value)`` of one line: ``xmin = 0`` -> ``("xmin", "0")``, a short-format line
    ``0`` -> ``(None, "0")``, a header or a blank line -> ``(None, None)``."""
    stripped = line.strip()
    if not stripped or _HEADER.match(line) and "<" not in stripped:
        return None, None
    if stripped.startswith("tiers?"):
        return "tiers?", stripped[len("tiers?"):].strip()
    size = _SIZE.match(line)
    if size is not None:
        return "size", size["value"].strip()
    pair = _PAIR.match(line)
    if pair is not None and not stripped.startswith('"'):
        return pair["key"].strip(), pair["value"].strip()
    return None, stripped


@dataclass(frozen=True, slots=True)
class _Tier:
    name: str
    line: int
    intervals: tuple[tuple[int, float, float, str], ...]  # (line, xmin, xmax, text); () points


def _parse(path: Path, text: str) -> tuple[float, list[_Tier]]:
    """The grid's end and its tiers, every value checked against the TextGrid structure:
    a truncated file, a wrong count or a backwards interval is an error naming its line."""
    tokens = _Tokens(path, text)
    kind = tokens.string("file type")[1]
    if not kind.startswith("ooTextFile"):
        raise FormatError(path, 'expected a Praat TextGrid starting with File type = "ooTextFile"',
                          line=1)
    tokens.string("object class")
    tokens.number("xmin")
    line, grid_end = tokens.number("xmax")
    check_time(path, grid_end, what="xmax", line=line)
    flag = tokens.take("tiers? <exists> or <absent>")[1]
    if flag == "<absent>":
        return grid_end, []
    tiers = [_tier(path, tokens) for _ in range(tokens.count("tiers"))]
    if tokens.position < len(tokens.items):
        number, _key, value = tokens.items[tokens.position]
        raise FormatError(path, f"expected the end of the file after {len(tiers)} tier(s) "
                          f"(size), got {value[:40]!r}", line=number)
    return grid_end, tiers


def _tier(path: Path, tokens: _Tokens) -> _Tier:
    line, kind = tokens.string("tier class")
    if kind not in ("IntervalTier", "TextTier"):
        raise FormatError(path, f'expected "IntervalTier" or "TextTier", got {kind[:40]!r}',
                          line=line)
    name = tokens.string("tier name")[1]
    tokens.number("xmin")
    tokens.number("xmax")
    count = tokens.count("intervals" if kind == "IntervalTier" else "points")
    if kind == "TextTier":
        for _ in range(count):
            tokens.number("a point's time")
            tokens.string("mark")
        return _Tier(name, line, ())
    intervals = []
    for _ in range(count):
        start_line, start = tokens.number("xmin")
        end = tokens.number("xmax")[1]
        label = tokens.string("text")[1]
        if not (end >= start):
            raise FormatError(path, f"expected xmax >= xmin, got {start:g}..{end:g}",
                              line=start_line)
        intervals.append((start_line, start, end, label))
    return _Tier(name, line, tuple(intervals))


@stamps('textgrid')
def read_textgrid(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of a TextGrid (interval tiers = speakers).

    An empty file is an empty timeline.

    Raises
    ------
    FormatError
        Not a TextGrid, a malformed line, a truncated file, a count that disagrees with the
        tiers or intervals that follow, an interval ending before it starts, a negative time
        or one beyond 30 days, duplicate tier names (``path:line: expected ...``).
    """
    path = Path(path)
    text = _decode(path)
    if not text.strip():
        return SpeakerTimeline((), uri=path.stem)
    _validate(path, text)
    grid_end, tiers = _parse(path, text)
    seen: dict[str, int] = {}
    segments = []
    for tier in tiers:
        if tier.name in seen:
            raise FormatError(path, f"expected tier names used once, got {tier.name!r} again "
                              f"(first on line {seen[tier.name]})", line=tier.line)
        seen[tier.name] = tier.line
        speaker = _speaker_of(tier)
        if speaker is None:
            continue
        for line, start, end, label in tier.intervals:
            text = label.strip()
            if not text or text.lower() in SILENT_LABELS:
                continue
            start, end = check_span(path, start, end, line=line, names=("xmin", "xmax"))
            known = text if text.lower() not in NO_TEXT_LABELS else None
            segments.append(Segment(start, end, speaker, known))
    return timeline_of(path, segments, duration_s=grid_end)


def _speaker_of(tier: _Tier) -> str | None:
    """The speaker of an interval tier (``None``: a point tier, an events or phones tier)."""
    if not tier.intervals or tier.name.startswith(EVENTS_TIER):
        return None
    aligner = _MFA_TIER.match(tier.name)
    if aligner and aligner["kind"] == "phones":
        return None
    return aligner["speaker"] if aligner else tier.name
