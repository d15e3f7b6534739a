"""Readers and writers: annotation files in, analyses out. The extension picks the format.

Formats are described in docs/formats.md. ``.json`` is talkover's own JSON or a WhisperX /
pyannote-style transcript, told apart by content; ``-o x.csv`` writes the segments, and a name
ending in ``events.csv`` (``events.csv``, ``call.events.csv``) the event list.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talkover.analysis import Analysis
from talkover.errors import FormatError
from talkover.files import check_file, writing
from talkover.formats.cha import read_cha, write_cha
from talkover.formats.csv import write_events_csv
from talkover.formats.eaf import read_eaf, write_eaf
from talkover.formats.json import read_json_timeline, write_json
from talkover.formats.rttm import read_rttm, write_rttm
from talkover.formats.segments_csv import read_segments_csv, write_segments_csv
from talkover.formats.subtitles import read_srt, read_vtt, write_srt, write_vtt
from talkover.formats.textgrid import read_textgrid, write_textgrid
from talkover.formats.whisperx import looks_like_whisperx, read_whisperx
from talkover.report.writers import write_figure, write_html, write_summary
from talkover.timeline import SpeakerTimeline

__all__ = [
    "ANNOTATION_READERS",
    "OUTPUT_WRITERS",
    "read_annotation",
    "write_output",
    "is_annotation",
    "INPUT_FORMATS",
]


def _read_json(path: Path) -> SpeakerTimeline:
    """talkover JSON, or WhisperX / pyannote JSON, by content."""
    import json

    from talkover.files import read_text

    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError:
        data = None  # the talkover reader reports the line
    return read_whisperx(path) if looks_like_whisperx(data) else read_json_timeline(path)


def _write_csv(analysis: Analysis, path: Path) -> None:
    """``*events.csv``: the event list; any other ``.csv``: the segments."""
    if Path(path).name.lower().endswith("events.csv"):
        write_events_csv(analysis, path)
    else:
        write_segments_csv(analysis, path)

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

OUTPUT_WRITERS: dict[str, Callable[[Analysis, Path], None]] = {
    ".json": write_json,
    ".rttm": lambda analysis, path: write_rttm(analysis.timeline, path),
    ".csv": _write_csv,
    ".textgrid": write_textgrid,
    ".eaf": write_eaf,
    ".cha": write_cha,
    ".vtt": write_vtt,
    ".srt": write_srt,
    ".html": write_html,
    ".png": write_figure,
    ".svg": write_figure,
    ".txt": write_summary,
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


def write_output(analysis: Analysis, path: str | Path) -> None:
    """Write an analysis in the format the extension names.

    Raises
    ------
    FormatError
        The extension names no output format.
    OutputError
        The file cannot be written (missing folder, no permission, ...).
    """
    path = Path(path)
    writer = OUTPUT_WRITERS.get(path.suffix.lower())
    if writer is None:
        known = ", ".join(sorted(OUTPUT_WRITERS))
        raise FormatError(path, f"unknown output format {path.suffix!r}; expected {known}")
    with writing(path):
        writer(analysis, path)
