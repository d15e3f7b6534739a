"""Events as CSV, one row an event (spreadsheets, R, pandas)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from talkover.analysis import Analysis
from talkover.formats.csv import spreadsheet_cell

__all__ = ["EVENT_COLUMNS", "format_events_csv", "write_events_csv"]

EVENT_COLUMNS = (
    "type", "start_s", "end_s", "by", "of", "overlap_s", "gap_s", "confidence", "text_by",
    "text_of",
)


def _cell(value: object) -> object:
    """A cell: times to the millisecond, names and text safe from spreadsheets' formulas
    (:func:`~talkover.formats.csv.spreadsheet_cell`)."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return spreadsheet_cell(value) if isinstance(value, str) else value


def format_events_csv(analysis: Analysis) -> str:
    """CSV text with a header row and one row per event."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EVENT_COLUMNS)
    for event in analysis.events:
        writer.writerow([_cell(getattr(event, column)) for column in EVENT_COLUMNS])
    return out.getvalue()


def write_events_csv(analysis: Analysis, path: str | Path) -> None:
    Path(path).write_text(format_events_csv(analysis), encoding="utf-8")
