"""Corrections of an analysis, as typed edits of its timeline and verdicts on its events.

Events are definitions over the timeline, so a correction is an edit of the timeline (who
spoke when, and the speakers' names) or a verdict on one event; the events, counts, matrix
and group figures are recomputed from the edited timeline by the library itself
(:mod:`talkover.review.recompute`).

Segments and events are named by what they are, not by a position in a list, so that an edit
means the same thing when the log is replayed and a stale edit is refused instead of hitting
the wrong segment: a :class:`SegmentRef` is ``(speaker, start_s, end_s)``, an
:class:`EventRef` ``(type, by, of, start_s)``, times in seconds rounded to the millisecond
(the talkover JSON's precision).

Every edit reads and writes as a JSON object with an ``op`` field::

    {"op": "move_boundary", "segment": {"speaker": "A", "start_s": 4.0, "end_s": 9.5},
     "edge": "end", "to_s": 9.2}

>>> edit = parse_edit({"op": "rename_speaker", "speaker": "SPEAKER_00", "name": "Diane"})
>>> edit
RenameSpeaker(speaker='SPEAKER_00', name='Diane')
>>> edit_to_dict(edit)
{'op': 'rename_speaker', 'speaker': 'SPEAKER_00', 'name': 'Diane'}
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, get_args

from talkover.errors import InputError
from talkover.events.types import EVENT_TYPES, Event, EventType
from talkover.timeline import Segment

__all__ = [
    "EditError",
    "StaleEditError",
    "SegmentRef",
    "EventRef",
    "RenameSpeaker",
    "MergeSpeakers",
    "ReassignSegment",
    "MoveBoundary",
    "SplitSegment",
    "DeleteSegment",
    "AddSegment",
    "SetVerdict",
    "Undo",
    "Redo",
    "Edit",
    "TimelineEdit",
    "Verdict",
    "EDIT_TYPES",
    "MAX_NAME_CHARS",
    "parse_edit",
    "edit_to_dict",
]

Verdict = Literal["confirmed", "rejected"]
Edge = Literal["start", "end"]

#: Longest speaker id or display name an edit may give (characters).
MAX_NAME_CHARS = 200


class EditError(InputError):
    """An edit that cannot be applied: malformed, or its times or speakers are invalid."""


class StaleEditError(EditError):
    """An edit names a segment, a speaker or an event the current version does not have."""


def _ms(value: float) -> float:
    return round(float(value), 3)


@dataclass(frozen=True, slots=True)
class SegmentRef:
    """A segment by its speaker and times (seconds, rounded to the millisecond)."""

    speaker: str
    start_s: float
    end_s: float

    @classmethod
    def of(cls, segment: Segment) -> SegmentRef:
        return cls(segment.speaker, _ms(segment.start_s), _ms(segment.end_s))

    def matches(self, segment: Segment) -> bool:
        """Whether ``segment`` is this one (times within half a millisecond)."""
        return (
            segment.speaker == self.speaker
            and abs(segment.start_s - self.start_s) <= 0.0005
            and abs(segment.end_s - self.end_s) <= 0.0005
        )


@dataclass(frozen=True, slots=True)
class EventRef:
    """An event's identity: its type, who did it to whom, and its onset (seconds, ms).

    ``key`` is the same identity as one string, as the page and the API carry it.

    >>> EventRef("interruption", "B", "A", 4.0).key
    'interruption@4000:B>A'
    """

    type: EventType
    by: str
    of: str
    start_s: float

    @classmethod
    def of_event(cls, event: Event) -> EventRef:
        return cls(event.type, event.by, event.of, _ms(event.start_s))

    @property
    def key(self) -> str:
        return f"{self.type}@{round(self.start_s * 1000)}:{self.by}>{self.of}"


@dataclass(frozen=True, slots=True)
class RenameSpeaker:
    """Give speaker ``speaker`` (an id) the display name ``name`` (``None``: back to the id)."""

    op: ClassVar[str] = "rename_speaker"
    speaker: str
    name: str | None


@dataclass(frozen=True, slots=True)
class MergeSpeakers:
    """All of ``speaker``'s speech becomes ``into``'s (the diarizer split one person in two)."""

    op: ClassVar[str] = "merge_speakers"
    speaker: str
    into: str


@dataclass(frozen=True, slots=True)
class ReassignSegment:
    """The segment was spoken by ``speaker`` (an existing id, or a new one)."""

    op: ClassVar[str] = "reassign_segment"
    segment: SegmentRef
    speaker: str


@dataclass(frozen=True, slots=True)
class MoveBoundary:
    """Move the segment's ``edge`` (start or end) to ``to_s`` seconds."""

    op: ClassVar[str] = "move_boundary"
    segment: SegmentRef
    edge: Edge
    to_s: float


@dataclass(frozen=True, slots=True)
class SplitSegment:
    """Cut the segment in two at ``at_s`` seconds (strictly inside it)."""

    op: ClassVar[str] = "split_segment"
    segment: SegmentRef
    at_s: float


@dataclass(frozen=True, slots=True)
class DeleteSegment:
    """Remove the segment (nobody spoke then, or it was noise)."""

    op: ClassVar[str] = "delete_segment"
    segment: SegmentRef


@dataclass(frozen=True, slots=True)
class AddSegment:
    """``speaker`` spoke from ``start_s`` to ``end_s`` (seconds) and the diarizer missed it."""

    op: ClassVar[str] = "add_segment"
    speaker: str
    start_s: float
    end_s: float


@dataclass(frozen=True, slots=True)
class SetVerdict:
    """A listener's verdict on one event: ``confirmed``, ``rejected`` (it leaves the counts),
    or ``None`` (no verdict)."""

    op: ClassVar[str] = "set_verdict"
    event: EventRef
    verdict: Verdict | None


@dataclass(frozen=True, slots=True)
class Undo:
    """Undo the latest edit still in effect (itself an entry of the log)."""

    op: ClassVar[str] = "undo"


@dataclass(frozen=True, slots=True)
class Redo:
    """Apply again the latest undone edit (only right after undos)."""

    op: ClassVar[str] = "redo"


TimelineEdit = (
    RenameSpeaker | MergeSpeakers | ReassignSegment | MoveBoundary | SplitSegment
    | DeleteSegment | AddSegment | SetVerdict
)
Edit = TimelineEdit | Undo | Redo

EDIT_TYPES: dict[str, type] = {
    cls.op: cls
    for cls in (RenameSpeaker, MergeSpeakers, ReassignSegment, MoveBoundary, SplitSegment,
                DeleteSegment, AddSegment, SetVerdict, Undo, Redo)
}


def parse_edit(data: Mapping[str, Any]) -> Edit:
    """An edit from its JSON object (see the module doc).

    Raises
    ------
    EditError
        ``op`` is unknown, a field is missing or has the wrong type, a time is not a finite
        number >= 0 (the message names the field and the valid choices).
    """
    if not isinstance(data, Mapping):
        raise EditError(f"an edit is a JSON object with an 'op' field, got {data!r}")
    op = data.get("op")
    if op not in EDIT_TYPES:
        raise EditError(f"unknown edit op {op!r}; expected one of {', '.join(EDIT_TYPES)}")
    if op == "rename_speaker":
        name = data.get("name")
        if name is not None and not isinstance(name, str):
            raise EditError(f"rename_speaker.name: expected a string or null, got {name!r}")
        name = name.strip() if isinstance(name, str) else None
        if name is not None and len(name) > MAX_NAME_CHARS:
            raise EditError(f"rename_speaker.name: at most {MAX_NAME_CHARS} characters, got "
                            f"{len(name)}")
        _check_printable(name or "", "rename_speaker.name")
        return RenameSpeaker(_speaker(data, "speaker", op), name or None)
    if op == "merge_speakers":
        return MergeSpeakers(_speaker(data, "speaker", op), _speaker(data, "into", op))
    if op == "reassign_segment":
        return ReassignSegment(_segment(data, op), _speaker(data, "speaker", op))
    if op == "move_boundary":
        edge = data.get("edge")
        if edge not in get_args(Edge):
            raise EditError(f"move_boundary.edge: expected 'start' or 'end', got {edge!r}")
        return MoveBoundary(_segment(data, op), edge, _time(data, "to_s", op))
    if op == "split_segment":
        return SplitSegment(_segment(data, op), _time(data, "at_s", op))
    if op == "delete_segment":
        return DeleteSegment(_segment(data, op))
    if op == "add_segment":
        return AddSegment(_speaker(data, "speaker", op), _time(data, "start_s", op),
                          _time(data, "end_s", op))
    if op == "set_verdict":
        verdict = data.get("verdict")
        if verdict not in (*get_args(Verdict), None):
            raise EditError(
                f"set_verdict.verdict: expected 'confirmed', 'rejected' or null, got {verdict!r}"
            )
        return SetVerdict(_event(data, op), verdict)
    return EDIT_TYPES[op]()


def edit_to_dict(edit: Edit) -> dict[str, Any]:
    """The JSON object of an edit (``parse_edit(edit_to_dict(e)) == e``)."""
    out: dict[str, Any] = {"op": edit.op}
    for name in edit.__dataclass_fields__:  # type: ignore[union-attr]
        value = getattr(edit, name)
        if isinstance(value, SegmentRef | EventRef):
            value = {k: getattr(value, k) for k in value.__dataclass_fields__}
        out[name] = value
    return out


def _speaker(data: Mapping[str, Any], key: str, op: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise EditError(f"{op}.{key}: expected a speaker id (a non-empty string), got {value!r}")
    if len(value.strip()) > MAX_NAME_CHARS:
        raise EditError(f"{op}.{key}: a speaker id has at most {MAX_NAME_CHARS} characters, "
                        f"got {len(value.strip())}")
    _check_printable(value, f"{op}.{key}")
    return value.strip()


def _check_printable(text: str, where: str) -> None:
    """Refuse a name with a control character (a line break, a tab, an escape): it would
    break the lines of an RTTM, a CSV or a terminal that show it."""
    bad = next((c for c in text if unicodedata.category(c) == "Cc"), None)
    if bad is not None:
        raise EditError(f"{where}: a name may not hold control characters, got U+{ord(bad):04X} "
                        f"in {text!r}")


def _time(data: Mapping[str, Any], key: str, op: str) -> float:
    value = data.get(key)
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(value) or value < 0:
        raise EditError(f"{op}.{key}: expected a time in seconds (a number >= 0), got {value!r}")
    return _ms(value)


def _segment(data: Mapping[str, Any], op: str) -> SegmentRef:
    row = data.get("segment")
    if not isinstance(row, Mapping):
        raise EditError(f"{op}.segment: expected {{speaker, start_s, end_s}}, got {row!r}")
    where = f"{op}.segment"
    return SegmentRef(_speaker(row, "speaker", where), _time(row, "start_s", where),
                      _time(row, "end_s", where))


def _event(data: Mapping[str, Any], op: str) -> EventRef:
    row = data.get("event")
    if not isinstance(row, Mapping):
        raise EditError(f"{op}.event: expected {{type, by, of, start_s}}, got {row!r}")
    kind = row.get("type")
    if kind not in EVENT_TYPES:
        raise EditError(
            f"{op}.event.type: expected one of {', '.join(EVENT_TYPES)}, got {kind!r}"
        )
    where = f"{op}.event"
    return EventRef(kind, _speaker(row, "by", where), _speaker(row, "of", where),
                    _time(row, "start_s", where))
