"""Segments as CSV (``-o x.csv``): a header ``start_s,end_s,speaker,text`` and one row per
segment, times to the millisecond; :mod:`talkover.formats.csv` reads it back. (A file whose name
ends in ``events.csv`` gets the event list instead: see :mod:`talkover.export.events_csv`.)
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from talkover.analysis import Analysis
from talkover.formats.csv import SEGMENT_COLUMNS, spreadsheet_cell

__all__ = ["format_segments_csv", "write_segments_csv"]


def format_segments_csv(analysis: Analysis) -> str:
    """CSV text: header, then ``start_s,end_s,speaker,text`` per segment (cells that a
    spreadsheet would take for a formula quoted: :func:`~talkover.formats.csv.spreadsheet_cell`).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SEGMENT_COLUMNS)
    for s in analysis.timeline:
        writer.writerow([f"{s.start_s:.3f}", f"{s.end_s:.3f}", spreadsheet_cell(s.speaker),
                         spreadsheet_cell(s.text or "")])
    return out.getvalue()


def write_segments_csv(analysis: Analysis, path: str | Path) -> None:
    Path(path).write_text(format_segments_csv(analysis), encoding="utf-8")
