"""talkover's own JSON read as an annotation: the speaker timeline of its ``segments``.

(The whole document, an :class:`~talkover.analysis.Analysis`, is written and read back by
:mod:`talkover.export.json`.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from talkover._moved import moved_names
from talkover.errors import FormatError
from talkover.files import parse_json, read_text
from talkover.formats.located import item_lines
from talkover.formats.stamp import stamps
from talkover.formats.times import check_span, check_time, timeline_of
from talkover.timeline import Segment, SpeakerTimeline, Word

__all__ = ["read_json_timeline", "load_json", "timeline_from_dict"]


@stamps('json')
def read_json_timeline(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of a talkover JSON file (its ``segments``).

    An empty file (or only whitespace) is an empty timeline.

    Raises
    ------
    FormatError
        Not valid JSON (``path:line``), no ``segments`` list, or an item that is not a
        segment, with times that are not finite, negative, beyond 30 days or in the wrong order
        (``path:line: segments[3]: expected ...``, the line where the item starts).
    """
    text = read_text(path)
    if not text.strip():
        return SpeakerTimeline((), uri=Path(path).stem)
    data = parse_json(path, text)
    with item_lines(text):
        return timeline_from_dict(data, path)


def load_json(path: str | Path) -> Any:
    """A JSON file's data.

    Raises
    ------
    FormatError
        The file cannot be read, or is not JSON (``path:line: not valid JSON (...)``), or
        nests too deeply (:func:`talkover.files.read_json`).
    """
    return parse_json(path, read_text(path))


def timeline_from_dict(data: Any, path: str | Path) -> SpeakerTimeline:
    """The timeline of a talkover JSON document (``segments``, ``input.duration_s``; its
    name: ``provenance.uri``, else the stem of ``input.path``, else of ``path``).

    Raises
    ------
    FormatError
        Not a talkover JSON object, or a malformed segment, with times that are not finite,
        negative, beyond 30 days or in the wrong order (``path: segments[3]: expected ...``).
    """
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        raise FormatError(path, 'expected a talkover JSON object with a "segments" list')
    segments = [_segment(path, i, row) for i, row in enumerate(data["segments"])]
    info = data.get("input") if isinstance(data.get("input"), dict) else {}
    duration = info.get("duration_s")
    duration_s = (
        check_time(path, duration, what="duration_s", where="input")
        if isinstance(duration, (int, float)) and not isinstance(duration, bool) else None
    )
    stamp = data.get("provenance") if isinstance(data.get("provenance"), dict) else {}
    uri = stamp.get("uri") or Path(str(info.get("path") or path)).stem
    return timeline_of(path, segments, duration_s=duration_s, uri=str(uri))


def _segment(path: str | Path, index: int, row: object) -> Segment:
    where = f"segments[{index}]"
    if not isinstance(row, dict):
        raise FormatError(path, f"{where}: expected an object with start_s, end_s, speaker")
    start, end, speaker = row.get("start_s"), row.get("end_s"), row.get("speaker")
    numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (start, end))
    if not numeric or not isinstance(speaker, str) or not speaker:
        raise FormatError(
            path, f"{where}: expected numbers start_s, end_s and a speaker string, got "
            f"{_short(row)}"
        )
    start, end = check_span(path, start, end, where=where, names=("start_s", "end_s"))
    text = row.get("text")
    if text is not None and not isinstance(text, str):
        raise FormatError(path, f"{where}.text: expected a string or null, got {_short(text)}")
    annotations = row.get("annotations") or []
    if not isinstance(annotations, list) or not all(isinstance(a, str) for a in annotations):
        raise FormatError(path, f"{where}.annotations: expected a list of strings")
    rows = row.get("words") or []
    if not isinstance(rows, list):
        raise FormatError(path, f"{where}.words: expected a list")
    words = tuple(_word(path, f"{where}.words[{i}]", w) for i, w in enumerate(rows))
    return Segment(start, end, speaker, text, words, tuple(annotations))


def _word(path: str | Path, where: str, row: object) -> Word:
    ok = isinstance(row, dict) and isinstance(row.get("text"), str) and all(
        isinstance(row.get(k), (int, float)) and not isinstance(row.get(k), bool)
        for k in ("start_s", "end_s")
    )
    if not ok:
        raise FormatError(path, f"{where}: expected an object with start_s, end_s and text")
    start, end = check_span(path, row["start_s"], row["end_s"], where=where,
                            names=("start_s", "end_s"))
    return Word(start, end, row["text"])


def _short(value: object, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters (a message quotes the item, not a megabyte)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


_MOVED = {
    name: "talkover.export.json" for name in ("analysis_to_dict", "format_json", "write_json")
}


__getattr__ = moved_names(__name__, _MOVED)  # deprecated here, kept for one release
