"""Report writers for the output registry (``-o report.html``, ``-o timeline.png``).

Thin wrappers that import their module on first use, so that reading the registry costs
nothing (matplotlib and PyAV load only when a report is written).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from talkover.analysis import Analysis

__all__ = ["write_html", "write_figure"]


def write_html(analysis: Analysis, path: Path) -> None:
    """The interactive HTML report (recording embedded when small enough)."""
    from talkover.report.html import write_html_report

    write_html_report(analysis, path)


def write_figure(analysis: Analysis, path: Path) -> None:
    """The static timeline + matrix figure (PNG or SVG by extension)."""
    from talkover.report.figure import write_timeline_figure

    write_timeline_figure(analysis, path)
