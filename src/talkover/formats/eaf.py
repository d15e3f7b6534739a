"""ELAN ``.eaf``: one tier per speaker, read and written with :mod:`pympi` (pympi-ling).

Reading: every top-level (time-aligned, no ``PARENT_REF``) tier is a speaker, named by its
``PARTICIPANT`` attribute when set, else by its ``TIER_ID`` (tiers of one participant merge).
Each annotation is a segment whose value is its text. Dependent tiers (translations, words),
tiers without annotations and talkover's ``events`` tiers are skipped. Annotations whose time
slots carry no time (unaligned, between aligned ones) are skipped and counted in a warning.

The writer (``-o result.eaf``) is :mod:`talkover.export.eaf`.
"""

from __future__ import annotations

import logging
import xml.parsers.expat
from pathlib import Path

from talkover.errors import FormatError
from talkover.formats.stamp import stamps
from talkover.formats.tiers import EVENT_TYPE_REF, EVENTS_TIER
from talkover.optional import require
from talkover.timeline import Segment, SpeakerTimeline

__all__ = ["read_eaf"]

_log = logging.getLogger(__name__)


def _validate(path: Path) -> None:
    """Parse with expat, so that XML and time-slot errors name their line."""
    slots: set[str] = set()
    refs: list[tuple[int, str]] = []
    parser = xml.parsers.expat.ParserCreate()
    root: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        line = parser.CurrentLineNumber
        if not root:
            root.append(name)
            if name != "ANNOTATION_DOCUMENT":
                raise FormatError(path, f"expected an ELAN ANNOTATION_DOCUMENT, got <{name}>",
                                  line=line)
        if name == "TIME_SLOT":
            value = attrs.get("TIME_VALUE")
            if value is not None and not value.strip().isdigit():
                raise FormatError(path, f"expected TIME_VALUE in whole milliseconds, got {value!r}",
                                  line=line)
            slots.add(attrs.get("TIME_SLOT_ID", ""))
        elif name == "ALIGNABLE_ANNOTATION":
            for key in ("TIME_SLOT_REF1", "TIME_SLOT_REF2"):
                if key not in attrs:
                    raise FormatError(path, f"expected a {key} attribute", line=line)
                refs.append((line, attrs[key]))

    parser.StartElementHandler = start
    try:
        parser.Parse(path.read_bytes(), True)
    except OSError as exc:
        raise FormatError(path, f"cannot read ({exc.strerror})") from None
    except xml.parsers.expat.ExpatError as exc:
        reason = xml.parsers.expat.errors.messages[exc.code]
        raise FormatError(path, f"expected well-formed XML ({reason})", line=exc.lineno) from None
    for line, ref in refs:
        if ref not in slots:
            raise FormatError(path, f"expected a TIME_SLOT with id {ref!r}", line=line)


@stamps('eaf')
def read_eaf(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of an ELAN file (top-level tiers = speakers).

    Raises
    ------
    FormatError
        Not well-formed XML or not an ELAN document, a bad time slot (``path:line: expected ...``).
    """
    path = Path(path)
    _validate(path)
    pympi = require("pympi", package="pympi-ling", purpose="reading .eaf")
    try:
        eaf = pympi.Elan.Eaf(str(path))
    except Exception as exc:  # pympi raises many types; all mean a malformed file
        raise FormatError(path, f"expected an ELAN file ({type(exc).__name__}: {exc})") from None
    segments: list[Segment] = []
    unaligned = 0
    for tier_id, (aligned, _refs, attrs, _order) in eaf.tiers.items():
        skip = attrs.get("PARENT_REF") or attrs.get("LINGUISTIC_TYPE_REF") == EVENT_TYPE_REF
        if skip or tier_id.startswith(EVENTS_TIER):
            continue
        speaker = (attrs.get("PARTICIPANT") or "").strip() or tier_id
        for ts1, ts2, value, _svg in aligned.values():
            start, end = eaf.timeslots.get(ts1), eaf.timeslots.get(ts2)
            if start is None or end is None:
                unaligned += 1
                continue
            text = (value or "").strip() or None
            segments.append(Segment(start / 1000.0, end / 1000.0, speaker, text))
    if unaligned:
        _log.warning("%s: skipped %d annotation(s) without aligned times", path, unaligned)
    return SpeakerTimeline(tuple(segments), uri=path.stem)
