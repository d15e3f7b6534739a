"""Analysis -> a static figure (PNG or SVG): the timeline above, who-over-whom matrices below.

For papers and terminals. Matplotlib is imported inside :func:`write_timeline_figure` (no
import-time work) and drawn on an Agg/SVG canvas without pyplot's global state.

Layout::

    speaker A  |=====|    |========|   ▼        one lane per speaker, speech as bars,
    speaker B       |===|     |====|            overlapped speech shaded, events as markers
    [interruptions matrix]  [all overlapping events matrix]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from talkover.analysis import Analysis
from talkover.errors import FormatError
from talkover.events.types import OVERLAP_EVENT_TYPES
from talkover.report.terminal import terminal_safe
from talkover.report.text import display_name

__all__ = ["write_timeline_figure", "plain_label", "EVENT_COLORS"]

#: Colours shared with the HTML report.
EVENT_COLORS = {
    "interruption": "#c92a2a",
    "failed_interruption": "#b93d0c",
    "backchannel": "#2b7a38",
    "overlap": "#7048e8",
    "switch": "#5f676f",
}
_SPEAKER_COLORS = ("#4dabf7", "#63c5b5", "#b197fc", "#ffa94d", "#f783ac", "#a9e34b",
                   "#74c0fc", "#ced4da", "#e599f7", "#ffd43b")
_OVERLAP_COLOR = "#fab005"


def write_timeline_figure(analysis: Analysis, path: str | Path, *, dpi: int = 150) -> None:
    """Draw the timeline and the matrices of ``analysis`` into ``path`` (``.png`` or ``.svg``).

    Parameters
    ----------
    analysis
        The analysis to draw.
    path
        Output file; the extension picks the format.
    dpi
        Resolution of a PNG (dots per inch; the figure is 12 inches wide).
    """
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("png", "svg"):
        raise FormatError(path, f"unknown figure format {path.suffix!r}; expected .png or .svg")
    from matplotlib.figure import Figure

    speakers = [s.id for s in analysis.speakers]
    lanes = max(1, len(speakers))
    fig = Figure(figsize=(12, 1.4 + 0.55 * lanes + 0.5 + 0.45 * lanes), layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=[1.4 + 0.55 * lanes, 0.5 + 0.45 * lanes])
    _draw_timeline(fig.add_subplot(grid[0, :]), analysis, speakers)
    _draw_matrix(fig.add_subplot(grid[1, 0]), analysis, speakers, ("interruption",),
                 "Interruptions (row over column)")
    _draw_matrix(fig.add_subplot(grid[1, 1]), analysis, speakers, OVERLAP_EVENT_TYPES,
                 "All overlapping events (row over column)")
    fig.savefig(path, format=kind, dpi=dpi, metadata=_metadata(analysis, kind))


def plain_label(text: str) -> str:
    """Text matplotlib draws as it is: ``$`` escaped (between two ``$`` matplotlib reads
    mathematics, and a name like ``$x^$`` would crash the figure), control characters shown
    as escapes.

    >>> plain_label("Ann $5 $x^$")
    'Ann \\$5 \\$x^\\$'
    """
    return terminal_safe(text).replace("$", r"\$")


def _metadata(analysis: Analysis, kind: str) -> dict[str, Any]:
    creator = f"talkover {analysis.talkover_version}"
    return {"Software": creator} if kind == "png" else {"Creator": creator}


def _draw_timeline(ax: Any, analysis: Analysis, speakers: list[str]) -> None:
    lanes = len(speakers)
    lane_of = {s: lanes - 1 - i for i, s in enumerate(speakers)}  # first speaker on top
    for span in analysis.timeline.overlap_spans():
        ax.axvspan(span.start_s, span.end_s, color=_OVERLAP_COLOR, alpha=0.35, lw=0)
    for i, speaker in enumerate(speakers):
        bars = [(s.start_s, s.duration_s) for s in analysis.timeline if s.speaker == speaker]
        ax.broken_barh(bars, (lane_of[speaker] - 0.3, 0.6),
                       facecolors=_SPEAKER_COLORS[i % len(_SPEAKER_COLORS)], gid=f"lane-{i}")
    for kind in ("switch", *OVERLAP_EVENT_TYPES):
        chosen = [e for e in analysis.events if e.type == kind]
        if not chosen:
            continue
        x = [e.start_s for e in chosen]
        y = [lane_of[e.by] + 0.42 for e in chosen]
        marker, size = ("|", 40) if kind == "switch" else ("v", 36)
        ax.scatter(x, y, marker=marker, s=size, c=EVENT_COLORS[kind], zorder=3,
                   label=kind.replace("_", " "), linewidths=1.2 if kind == "switch" else 0.4,
                   edgecolors="white" if kind != "switch" else None)
    ax.set_yticks(range(lanes),
                  [plain_label(display_name(analysis, s)) for s in reversed(speakers)])
    ax.set_ylim(-0.7, lanes - 0.3 + 0.35)
    ax.set_xlim(0, max(analysis.duration_s, 1e-3))
    ax.set_xlabel("time (s)")
    ax.grid(axis="x", color="#dee2e6", lw=0.6)
    ax.set_axisbelow(True)
    name = Path(analysis.input_path).name if analysis.input_path else analysis.timeline.uri
    ax.set_title(plain_label(f"{name}: {len(speakers)} speaker(s), "
                             f"{len(analysis.events)} event(s)"), loc="left", fontsize=11)
    ax.axvspan(0, 0, color=_OVERLAP_COLOR, alpha=0.35, lw=0, label="overlapped speech")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)


def _draw_matrix(
    ax: Any, analysis: Analysis, speakers: list[str], types: tuple[str, ...], title: str
) -> None:
    import numpy as np

    n = len(speakers)
    ax.set_title(title, fontsize=10, loc="left")
    if n == 0:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "no speech", ha="center", va="center", transform=ax.transAxes)
        return
    counts = np.zeros((n, n), dtype=int)  # (by, of)
    for i, by in enumerate(speakers):
        for j, of in enumerate(speakers):
            counts[i, j] = sum(analysis.matrix.count(t, by, of) for t in types)  # type: ignore[arg-type]
    top = max(1, int(counts.max()) if n else 1)
    ax.imshow(counts, cmap="Reds", vmin=0, vmax=top, aspect="auto")
    names = [plain_label(display_name(analysis, s)) for s in speakers]
    ax.set_xticks(range(n), names, rotation=30 if n > 3 else 0, ha="right" if n > 3 else "center")
    ax.set_yticks(range(n), names)
    for i in range(n):
        for j in range(n):
            text = "–" if i == j else str(counts[i, j])
            color = "white" if counts[i, j] > 0.6 * top else "#1b1f24"
            ax.text(j, i, text, ha="center", va="center", color=color, fontsize=9)
    ax.set_xlabel("of (receiver)", fontsize=9)
    ax.set_ylabel("by", fontsize=9)
