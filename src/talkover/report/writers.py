"""Report writers for the output registry (``-o report.html``, ``-o timeline.png``,
``-o summary.txt``).

Thin wrappers that import their module on first use, so that reading the registry costs
nothing (matplotlib and PyAV load only when a report is written).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from talkover.analysis import Analysis

__all__ = ["write_html", "write_figure", "write_summary"]


def write_html(analysis: Analysis, path: Path) -> None:
    """The interactive HTML report (recording embedded when small enough)."""
    from talkover.report.html import write_html_report

    write_html_report(analysis, path)


def write_figure(analysis: Analysis, path: Path) -> None:
    """The static timeline + matrix figure (PNG or SVG by extension)."""
    from talkover.report.figure import write_timeline_figure

    write_timeline_figure(analysis, path)


def write_summary(analysis: Analysis, path: Path) -> None:
    """The readable text summary (what ``talkover analyze`` prints without ``-o``), UTF-8."""
    from talkover.report.text import format_summary

    Path(path).write_text(format_summary(analysis), encoding="utf-8")
