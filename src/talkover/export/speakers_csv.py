"""The speakers table as CSV (``-o speakers.csv``): the ``speakers`` frame of
:meth:`~talkover.analysis.Analysis.to_frames`, one row a speaker (uri, speaker id, name, talk
time and share, turns, the made/received counts of every event type, one ``group_<attribute>``
column per group attribute)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from talkover.analysis import Analysis
from talkover.formats.csv import spreadsheet_cell

__all__ = ["format_speakers_csv", "write_speakers_csv"]


def _cell(value: object) -> object:
    """A cell: numbers to 6 significant digits, names safe from spreadsheets' formulas
    (:func:`~talkover.formats.csv.spreadsheet_cell`)."""
    if value is None or value != value:  # None and NaN (a group a speaker is not in)
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return spreadsheet_cell(value) if isinstance(value, str) else value


def format_speakers_csv(analysis: Analysis) -> str:
    """CSV text with a header row and one row per speaker."""
    frame = analysis.to_frames()["speakers"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def write_speakers_csv(analysis: Analysis, path: str | Path) -> None:
    Path(path).write_text(format_speakers_csv(analysis), encoding="utf-8")
