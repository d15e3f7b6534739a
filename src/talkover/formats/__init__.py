"""Readers and writers: annotation files in, analyses out. The extension picks the format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from talkover.analysis import Analysis
from talkover.errors import FormatError
from talkover.formats.csv import write_events_csv
from talkover.formats.json import read_json_timeline, write_json
from talkover.formats.rttm import read_rttm, write_rttm
from talkover.report.writers import write_figure, write_html
from talkover.timeline import SpeakerTimeline

__all__ = [
    "ANNOTATION_READERS",
    "OUTPUT_WRITERS",
    "read_annotation",
    "write_output",
    "is_annotation",
]

ANNOTATION_READERS: dict[str, Callable[[Path], SpeakerTimeline]] = {
    ".rttm": read_rttm,
    ".json": read_json_timeline,
}

OUTPUT_WRITERS: dict[str, Callable[[Analysis, Path], None]] = {
    ".json": write_json,
    ".rttm": lambda analysis, path: write_rttm(analysis.timeline, path),
    ".csv": write_events_csv,
    ".html": write_html,
    ".png": write_figure,
    ".svg": write_figure,
}


def is_annotation(path: str | Path) -> bool:
    """Whether the file's extension names an annotation format talkover reads."""
    return Path(path).suffix.lower() in ANNOTATION_READERS


def read_annotation(path: str | Path) -> SpeakerTimeline:
    """Read a speaker timeline from an annotation file, by extension."""
    path = Path(path)
    reader = ANNOTATION_READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(ANNOTATION_READERS))
        raise FormatError(path, f"unknown annotation format {path.suffix!r}; expected {known}")
    return reader(path)


def write_output(analysis: Analysis, path: str | Path) -> None:
    """Write an analysis in the format the extension names."""
    path = Path(path)
    writer = OUTPUT_WRITERS.get(path.suffix.lower())
    if writer is None:
        known = ", ".join(sorted(OUTPUT_WRITERS))
        raise FormatError(path, f"unknown output format {path.suffix!r}; expected {known}")
    writer(analysis, path)
