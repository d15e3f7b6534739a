"""Readers: annotation files in, a :class:`~talkover.timeline.SpeakerTimeline` out. The extension
picks the format (or ``input_format``).

Formats are described in docs/formats.md. ``.json`` is talkover's own JSON or a WhisperX /
pyannote-style transcript, told apart by content. The writers of analyses are in
:mod:`talkover.export` and the ``-o`` registry in :mod:`talkover.outputs`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talkover._moved import moved_names
from talkover.errors import FormatError
from talkover.files import check_file
from talkover.formats.cha import read_cha
from talkover.formats.csv import read_segments_csv
from talkover.formats.eaf import read_eaf
from talkover.formats.json import read_json_timeline
from talkover.formats.rttm import read_rttm
from talkover.formats.subtitles import read_srt, read_vtt
from talkover.formats.textgrid import read_textgrid
from talkover.formats.whisperx import looks_like_whisperx, read_whisperx
from talkover.timeline import SpeakerTimeline

__all__ = [
    "ANNOTATION_READERS",
    "INPUT_FORMATS",
    "read_annotation",
    "is_annotation",
]


def _read_json(path: Path) -> SpeakerTimeline:
    """talkover JSON, or WhisperX / pyannote JSON, by content (an empty file is talkover's:
    an empty timeline)."""
    from talkover.files import parse_json, read_text

    text = read_text(path)
    data = parse_json(path, text) if text.strip() else None
    return read_whisperx(path) if looks_like_whisperx(data) else read_json_timeline(path)


ANNOTATION_READERS: dict[str, Callable[[Path], SpeakerTimeline]] = {
    ".rttm": read_rttm,
    ".json": _read_json,
    ".textgrid": read_textgrid,
    ".eaf": read_eaf,
    ".cha": read_cha,
    ".vtt": read_vtt,
    ".srt": read_srt,
    ".csv": read_segments_csv,
}

#: ``--input-format`` names: the reader to use whatever the extension.
INPUT_FORMATS: dict[str, Callable[[Path], SpeakerTimeline]] = {
    "rttm": read_rttm,
    "json": read_json_timeline,
    "whisperx": read_whisperx,
    "textgrid": read_textgrid,
    "eaf": read_eaf,
    "cha": read_cha,
    "vtt": read_vtt,
    "srt": read_srt,
    "csv": read_segments_csv,
}

def is_annotation(path: str | Path) -> bool:
    """Whether the file's extension names an annotation format talkover reads."""
    return Path(path).suffix.lower() in ANNOTATION_READERS


def read_annotation(path: str | Path, *, input_format: str | None = None) -> SpeakerTimeline:
    """Read a speaker timeline from an annotation file, by extension (or ``input_format``, a
    key of :data:`INPUT_FORMATS`).

    Raises
    ------
    FormatError
        The file is missing or a directory (said first, whatever its extension), its format is
        unknown, or it does not follow its format.
    """
    path = Path(path)
    check_file(path)
    if input_format is not None:
        if input_format not in INPUT_FORMATS:
            known = ", ".join(INPUT_FORMATS)
            raise FormatError(path, f"unknown input format {input_format!r}; expected {known}")
        return INPUT_FORMATS[input_format](path)
    reader = ANNOTATION_READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(ANNOTATION_READERS))
        raise FormatError(path, f"unknown annotation format {path.suffix!r}; expected {known}")
    return reader(path)


_MOVED = {name: "talkover.outputs" for name in ("write_output", "OUTPUT_WRITERS")}


__getattr__ = moved_names(__name__, _MOVED)  # deprecated here, kept for one release
