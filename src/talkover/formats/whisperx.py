"""WhisperX and pyannote-style JSON transcripts (read only).

Told apart from talkover's own JSON by content (:func:`looks_like_whisperx`):

- **WhisperX** (``whisperx ... --diarize``, ``--output_format json``): ``{"segments": [{"start",
  "end", "text", "speaker", "words": [{"word", "start", "end", "speaker"?}]}]}``. A segment
  without ``speaker`` takes the most frequent speaker of its words; a segment with neither is an
  error (run WhisperX with diarization). Words without times (WhisperX leaves numbers unaligned)
  keep their text but get no :class:`~talkover.timeline.Word`.
- **pyannote-style** diarization: a list of ``{"start", "end", "speaker"}``, or an object
  holding one under ``diarization`` (also ``output.diarization``, as pyannote's API returns).

Errors name the JSON line for syntax errors, and the item (``segments[3].start``) otherwise.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from talkover.errors import FormatError
from talkover.files import parse_json, read_text
from talkover.formats.located import item_lines
from talkover.formats.stamp import stamps
from talkover.formats.times import check_span, timeline_of
from talkover.timeline import Segment, SpeakerTimeline, Word

__all__ = ["read_whisperx", "looks_like_whisperx"]


def _diarization(data: Any) -> list[Any] | None:
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if isinstance(data.get("diarization"), list):
            return data["diarization"]
        output = data.get("output")
        if isinstance(output, dict) and isinstance(output.get("diarization"), list):
            return output["diarization"]
    return None


def looks_like_whisperx(data: Any) -> bool:
    """Whether parsed JSON is a WhisperX or pyannote-style document (not talkover's)."""
    if isinstance(data, dict) and "talkover_version" in data:
        return False
    if _diarization(data) is not None:
        return True
    if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
        return False
    first = data["segments"][0] if data["segments"] else {}
    if not data["segments"]:
        return "word_segments" in data or "language" in data
    return isinstance(first, dict) and "start" in first and "start_s" not in first


def _span(path: Path, where: str, row: dict[str, Any]) -> tuple[float, float]:
    """``row``'s start and end, checked (finite, 0 <= start <= end <= 30 days)."""
    for key in ("start", "end"):
        value = row.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise FormatError(path, f"{where}.{key}: expected a number of seconds >= 0, "
                              f"got {value!r}"[:200])
    return check_span(path, row["start"], row["end"], where=where)


def _words(path: Path, where: str, rows: object) -> tuple[tuple[Word, ...], list[str]]:
    if rows is None:
        return (), []
    if not isinstance(rows, list):
        raise FormatError(path, f"{where}.words: expected a list")
    words, speakers = [], []
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("word"), str):
            raise FormatError(path, f"{where}.words[{i}]: expected an object with a \"word\"")
        if isinstance(row.get("speaker"), str):
            speakers.append(row["speaker"])
        if "start" in row and "end" in row:
            start, end = _span(path, f"{where}.words[{i}]", row)
            words.append(Word(start, end, row["word"].strip()))
    return tuple(words), speakers


def _segment(path: Path, where: str, row: object) -> Segment:
    if not isinstance(row, dict):
        raise FormatError(path, f"{where}: expected an object with start, end, speaker")
    start, end = _span(path, where, row)
    words, word_speakers = _words(path, where, row.get("words"))
    speaker = row.get("speaker") or row.get("label")
    if not isinstance(speaker, str) or not speaker:
        if not word_speakers:
            raise FormatError(path, f'{where}: expected a "speaker" (run WhisperX with '
                              "diarization, --diarize)")
        speaker = Counter(word_speakers).most_common(1)[0][0]
    text = row.get("text")
    text = text.strip() if isinstance(text, str) and text.strip() else None
    return Segment(start, end, speaker, text, words)


@stamps('whisperx')
def read_whisperx(path: str | Path) -> SpeakerTimeline:
    """The speaker timeline of a WhisperX transcript or pyannote-style diarization JSON.

    Raises
    ------
    FormatError
        Invalid JSON (``path:line``), neither layout, an item without times or speaker
        (``path:line: segments[3]: ...``, the line where the item starts).
    """
    path = Path(path)
    text = read_text(path)
    data = parse_json(path, text)
    with item_lines(text):
        return _timeline(path, data)


def _timeline(path: Path, data: object) -> SpeakerTimeline:
    rows = _diarization(data)
    key = "diarization"
    if rows is None:
        if not isinstance(data, dict) or not isinstance(data.get("segments"), list):
            raise FormatError(path, 'expected WhisperX JSON ({"segments": [...]}) or pyannote '
                              'diarization ([{"start", "end", "speaker"}])')
        rows, key = data["segments"], "segments"
    segments = tuple(_segment(path, f"{key}[{i}]", row) for i, row in enumerate(rows))
    return timeline_of(path, segments)
