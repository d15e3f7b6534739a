"""The ``-o`` registry: an analysis written in the format its file extension names.

``.json`` talkover's JSON; ``.rttm``, ``.TextGrid``, ``.eaf``, ``.cha``, ``.vtt``, ``.srt``;
``.csv`` the segments, a name ending in ``events.csv`` (``events.csv``,
``call.events.csv``) the event list and one ending in ``speakers.csv`` the speakers table;
``.html`` the interactive report, ``.png``/``.svg`` the static figure and ``.txt`` the
readable summary. The formats with one label per speaker write named speakers by name
(:mod:`talkover.export.names`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from talkover.analysis import Analysis
from talkover.errors import FormatError
from talkover.export.cha import write_cha
from talkover.export.eaf import write_eaf
from talkover.export.events_csv import write_events_csv
from talkover.export.json import write_json
from talkover.export.names import by_name
from talkover.export.segments_csv import write_segments_csv
from talkover.export.speakers_csv import write_speakers_csv
from talkover.export.subtitles import write_srt, write_vtt
from talkover.export.textgrid import write_textgrid
from talkover.files import write_atomically
from talkover.formats.rttm import write_rttm
from talkover.report.writers import write_figure, write_html, write_summary

__all__ = ["OUTPUT_WRITERS", "write_output", "write_outputs", "output_format"]


def _write_csv(analysis: Analysis, path: Path) -> None:
    """``*events.csv``: the event list; ``*speakers.csv``: the speakers table; any other
    ``.csv``: the segments."""
    _csv_writer(path)(analysis, path)


def _named(writer: Callable[[Analysis, Path], None]) -> Callable[[Analysis, Path], None]:
    """``writer`` given the analysis with speakers by name (:func:`by_name`)."""

    def write(analysis: Analysis, path: Path) -> None:
        writer(by_name(analysis), path)

    return write


def _csv_writer(path: str | Path) -> Callable[[Analysis, Path], None]:
    name = Path(path).name.lower()
    if name.endswith("events.csv"):
        return _named(write_events_csv)
    if name.endswith("speakers.csv"):
        return write_speakers_csv  # ids and names, a column each
    return _named(write_segments_csv)


OUTPUT_WRITERS: dict[str, Callable[[Analysis, Path], None]] = {
    ".json": write_json,
    ".rttm": _named(lambda analysis, path: write_rttm(analysis.timeline, path)),
    ".csv": _write_csv,
    ".textgrid": _named(write_textgrid),
    ".eaf": _named(write_eaf),
    ".cha": _named(write_cha),
    ".vtt": _named(write_vtt),
    ".srt": _named(write_srt),
    ".html": write_html,
    ".png": write_figure,
    ".svg": write_figure,
    ".txt": write_summary,
}


def output_format(path: str | Path) -> Callable[[Analysis, Path], None]:
    """The writer the extension of ``path`` names.

    Raises
    ------
    FormatError
        The extension names no output format (the message lists the known ones).
    """
    writer = OUTPUT_WRITERS.get(Path(path).suffix.lower())
    if writer is None:
        known = ", ".join(sorted(OUTPUT_WRITERS))
        raise FormatError(path, f"unknown output format {Path(path).suffix!r}; expected {known}")
    return writer


def write_output(analysis: Analysis, path: str | Path) -> None:
    """Write an analysis in the format the extension names.

    Raises
    ------
    FormatError
        The extension names no output format.
    OutputError
        The file cannot be written (missing folder, no permission, ...).
    """
    write_outputs(analysis, [path])


def write_outputs(
    analysis: Analysis, paths: Sequence[str | Path], *, link_media: bool = False
) -> None:
    """Write an analysis to every path, all or nothing (:func:`talkover.files.write_atomically`:
    temporary files renamed into place together once all are written).

    Parameters
    ----------
    link_media
        An ``.html`` report links the recording by relative path instead of embedding it.

    Raises
    ------
    FormatError
        An extension names no output format (before anything is written).
    OutputError
        A file cannot be written; none of ``paths`` is then changed.
    """
    jobs = []
    for path in paths:
        writer = output_format(path)
        if Path(path).suffix.lower() == ".csv":
            writer = _csv_writer(path)  # by the name asked for, not the temporary file's
        if link_media and Path(path).suffix.lower() == ".html":
            from talkover.report.html import write_html_report

            writer = partial(write_html_report, link_media=True)
        jobs.append((path, partial(writer, analysis)))
    write_atomically(jobs)
