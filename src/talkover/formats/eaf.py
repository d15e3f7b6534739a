"""ELAN ``.eaf``: one tier per speaker, read here with :mod:`xml.parsers.expat` (line numbers in
every message; the writer uses :mod:`pympi`).

Reading: every top-level (time-aligned, no ``PARENT_REF``) tier is a speaker, named by its
``PARTICIPANT`` attribute when set, else by its ``TIER_ID`` (tiers of one participant merge).
Each annotation is a segment whose value is its text. Dependent tiers (translations, words),
tiers without annotations and talkover's ``events`` tiers are skipped. Annotations whose time
slots carry no time (unaligned, between aligned ones) are skipped and counted in a warning.
An empty file is an empty timeline.

The writer (``-o result.eaf``) is :mod:`talkover.export.eaf`.
"""

from __future__ import annotations

import logging
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path

from talkover.errors import FormatError
from talkover.formats.stamp import stamps
from talkover.formats.tiers import EVENT_TYPE_REF, EVENTS_TIER
from talkover.formats.times import check_span, timeline_of
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["read_eaf"]

_log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Annotation:
    """One ``ALIGNABLE_ANNOTATION`` of a speaker tier, as read (slots not yet resolved)."""

    line: int
    speaker: str
    slots: tuple[str, str]
    value: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Document:
    """What one expat pass collects: time slots (ms, ``None`` when unaligned) and the
    annotations of speaker tiers."""

    slots: dict[str, int | None] = field(default_factory=dict)
    annotations: list[_Annotation] = field(default_factory=list)
    refs: list[tuple[int, str]] = field(default_factory=list)


def _parse(path: Path, data: bytes) -> _Document:
    """Parse with expat, so that XML and time-slot errors name their line."""
    doc = _Document()
    parser = xml.parsers.expat.ParserCreate()
    tier: list[str | None] = [None]  # the speaker of the tier being read (None: skipped tier)
    current: list[_Annotation | None] = [None]  # the annotation whose value is being read
    in_value = [False]
    root: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        line = parser.CurrentLineNumber
        if not root:
            root.append(name)
            if name != "ANNOTATION_DOCUMENT":
                raise FormatError(path, f"expected an ELAN ANNOTATION_DOCUMENT, got <{name}>",
                                  line=line)
        if name == "TIME_SLOT":
            doc.slots[attrs.get("TIME_SLOT_ID", "")] = _slot_time(path, line, attrs)
        elif name == "TIER":
            tier[0] = _speaker_of(attrs)
        elif name == "ALIGNABLE_ANNOTATION":
            refs = []
            for key in ("TIME_SLOT_REF1", "TIME_SLOT_REF2"):
                if key not in attrs:
                    raise FormatError(path, f"expected a {key} attribute", line=line)
                refs.append(attrs[key])
                doc.refs.append((line, attrs[key]))
            if tier[0] is not None:
                current[0] = _Annotation(line, tier[0], (refs[0], refs[1]))
                doc.annotations.append(current[0])
        elif name == "ANNOTATION_VALUE":
            in_value[0] = current[0] is not None

    def end(name: str) -> None:
        if name == "TIER":
            tier[0] = None
        elif name == "ALIGNABLE_ANNOTATION":
            current[0] = None
        elif name == "ANNOTATION_VALUE":
            in_value[0] = False

    def text(data: str) -> None:
        if in_value[0] and current[0] is not None:
            current[0].value.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        reason = xml.parsers.expat.errors.messages[exc.code]
        raise FormatError(path, f"expected well-formed XML ({reason})", line=exc.lineno) from None
    except RecursionError:
        raise FormatError(path, "expected XML nested less deeply") from None
    except LookupError as exc:  # <?xml encoding="..."?> names no encoding Python has
        raise FormatError(path, f"expected an XML encoding declaration Python knows ({exc})",
                          line=1) from None
    for line, ref in doc.refs:
        if ref not in doc.slots:
            raise FormatError(path, f"expected a TIME_SLOT with id {ref!r}", line=line)
    return doc


def _slot_time(path: Path, line: int, attrs: dict[str, str]) -> int | None:
    """A time slot's ``TIME_VALUE`` in ms (``None``: an unaligned slot)."""
    value = attrs.get("TIME_VALUE")
    if value is None:
        return None
    if not value.strip().isdigit() or not value.strip().isascii() or len(value.strip()) > 12:
        raise FormatError(path, f"expected TIME_VALUE in whole milliseconds, got {value[:40]!r}",
                          line=line)
    return int(value)


def _speaker_of(attrs: dict[str, str]) -> str | None:
    """The speaker a ``TIER`` holds, or ``None`` when it is skipped (dependent, events)."""
    tier_id = attrs.get("TIER_ID", "")
    skip = attrs.get("PARENT_REF") or attrs.get("LINGUISTIC_TYPE_REF") == EVENT_TYPE_REF
    if skip or tier_id.startswith(EVENTS_TIER):
        return None
    return (attrs.get("PARTICIPANT") or "").strip() or tier_id.strip() or None


@stamps('eaf')
def read_eaf(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of an ELAN file (top-level tiers = speakers).

    Raises
    ------
    FormatError
        Not well-formed XML or not an ELAN document, a bad time slot, an annotation that ends
        before it starts or beyond 30 days (``path:line: expected ...``).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(path, f"cannot read ({exc.strerror})") from None
    if not data.strip() or data.strip() == b"\xef\xbb\xbf":
        return SpeakerTimeline((), uri=path.stem)
    doc = _parse(path, data)
    segments: list[Segment] = []
    unaligned = 0
    for a in doc.annotations:
        start, end = doc.slots[a.slots[0]], doc.slots[a.slots[1]]
        if start is None or end is None:
            unaligned += 1
            continue
        start_s, end_s = check_span(path, start / 1000.0, end / 1000.0, line=a.line)
        segments.append(Segment(start_s, end_s, a.speaker, "".join(a.value).strip() or None))
    if unaligned:
        _log.warning("%s: skipped %d annotation(s) without aligned times", path, unaligned)
    return timeline_of(path, segments)
