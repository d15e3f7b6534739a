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
from talkover.events.types import SIMULTANEOUS_TYPES
from talkover.report.terminal import terminal_safe
from talkover.report.text import display_names

__all__ = ["write_timeline_figure", "plain_label", "EVENT_COLORS"]

#: Colours shared with the HTML report (Okabe-Ito hues darkened to 4.5:1 on white; the
#: markers also differ by shape, as on the page).
EVENT_COLORS = {
    "interruption": "#b84700",
    "failed_interruption": "#0a6aa8",
    "backchannel": "#00795a",
    "overlap": "#a8447f",
    "switch": "#5f676f",
}
#: (matplotlib marker, size, hollow) per type: the page's shapes.
_MARKERS = {
    "interruption": ("v", 36, False),
    "failed_interruption": ("v", 36, True),
    "backchannel": ("o", 26, False),
    "overlap": ("D", 22, False),
    "switch": ("|", 40, False),
}
_SPEAKER_COLORS = ("#4dabf7", "#63c5b5", "#b197fc", "#ffa94d", "#f783ac", "#a9e34b",
                   "#74c0fc", "#ced4da", "#e599f7", "#ffd43b")
_OVERLAP_COLOR = "#fab005"


#: The matrices show at most this many speakers (those with the most talk time); the JSON and
#: the HTML report have them all. Cell numbers are written up to :data:`MAX_NUMBERED_SPEAKERS`.
MAX_MATRIX_SPEAKERS = 30
MAX_NUMBERED_SPEAKERS = 12
#: The timeline's height stays under this many inches, however many speakers: lanes get thinner.
MAX_TIMELINE_IN = 30.0


def write_timeline_figure(analysis: Analysis, path: str | Path, *, dpi: int = 150) -> None:
    """Draw the timeline and the matrices of ``analysis`` into ``path`` (``.png`` or ``.svg``).

    Drawing cost follows the segments and events: each speaker's speech is one collection of
    bars, the overlapped stretches one more, each event type one scatter; hundreds of speakers
    get thinner lanes, and the matrices show the :data:`MAX_MATRIX_SPEAKERS` who spoke most.

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

    speakers = [s.speaker for s in analysis.speakers]
    lanes = max(1, len(speakers))
    lane_in = min(0.55, MAX_TIMELINE_IN / lanes)
    shown = _matrix_speakers(analysis)
    cells = max(1, len(shown))
    top_in, bottom_in = 1.4 + lane_in * lanes, 0.5 + min(0.45 * cells, 6.0)
    fig = Figure(figsize=(12, top_in + bottom_in), layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=[top_in, bottom_in])
    _draw_timeline(fig.add_subplot(grid[0, :]), analysis, speakers, lane_in,
                   pixel_s=max(analysis.duration_s, 1e-3) / (12 * dpi))
    note = "" if len(shown) == len(speakers) else (
        f" - the {len(shown)} of {len(speakers)} speakers who spoke most")
    _draw_matrix(fig.add_subplot(grid[1, 0]), analysis, shown, ("interruption",),
                 "Interruptions (row over column)" + note)
    _draw_matrix(fig.add_subplot(grid[1, 1]), analysis, shown, SIMULTANEOUS_TYPES,
                 "All overlapping events (row over column)" + note)
    fig.savefig(path, format=kind, dpi=dpi, metadata=_metadata(analysis, kind))


def _matrix_speakers(analysis: Analysis) -> list[str]:
    """The speakers the matrices show: all, or the :data:`MAX_MATRIX_SPEAKERS` who spoke most
    (in order of first speech)."""
    ids = [s.id for s in analysis.speakers]
    if len(ids) <= MAX_MATRIX_SPEAKERS:
        return ids
    most = sorted(analysis.speakers, key=lambda s: -s.talk_time_s)[:MAX_MATRIX_SPEAKERS]
    chosen = {s.id for s in most}
    return [i for i in ids if i in chosen]


def plain_label(text: str) -> str:
    r"""Text matplotlib draws as it is: ``$`` escaped (between two ``$`` matplotlib reads
    mathematics, and a name like ``$x^$`` would crash the figure), control characters shown
    as escapes.

    >>> plain_label("Ann $5 $x^$")
    'Ann \\$5 \\$x^\\$'
    """
    return terminal_safe(text).replace("$", r"\$")


def _metadata(analysis: Analysis, kind: str) -> dict[str, Any]:
    creator = f"talkover {analysis.talkover_version}"
    return {"Software": creator} if kind == "png" else {"Creator": creator}


def _bars(
    spans: list[tuple[float, float]], y: float, height: float, *, pixel_s: float, **style: Any
) -> Any:
    """One :class:`~matplotlib.collections.PolyCollection` of ``(start, end)`` bars at ``y``;
    bars less than a quarter pixel apart are drawn as one (what the eye sees anyway), so that
    100,000 segments cost what the figure's width does."""
    import numpy as np
    from matplotlib.collections import PolyCollection

    merged: list[list[float]] = []
    for start, end in sorted(spans):
        if merged and start - merged[-1][1] < pixel_s / 4:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    edges = np.array(merged, dtype=float).reshape(-1, 2)  # (bars, 2)
    verts = np.empty((len(edges), 4, 2))  # (bars, corners, xy)
    verts[:, [0, 1], 0] = edges[:, [0]]
    verts[:, [2, 3], 0] = edges[:, [1]]
    verts[:, [0, 3], 1] = y
    verts[:, [1, 2], 1] = y + height
    return PolyCollection(verts, **style)


def _draw_timeline(
    ax: Any, analysis: Analysis, speakers: list[str], lane_in: float, *, pixel_s: float
) -> None:
    lanes = len(speakers)
    lane_of = {s: lanes - 1 - i for i, s in enumerate(speakers)}  # first speaker on top
    overlaps = [(span.start_s, span.end_s) for span in analysis.timeline.overlap_spans()]
    ax.add_collection(_bars(overlaps, -0.7, lanes + 0.75, pixel_s=pixel_s,
                            facecolors=_OVERLAP_COLOR, alpha=0.35, linewidths=0,
                            label="overlapped speech"), autolim=False)
    bars: dict[str, list[tuple[float, float]]] = {s: [] for s in speakers}
    for segment in analysis.timeline:
        bars[segment.speaker].append((segment.start_s, segment.end_s))
    for i, speaker in enumerate(speakers):
        ax.add_collection(_bars(bars[speaker], lane_of[speaker] - 0.3, 0.6, pixel_s=pixel_s,
                                facecolors=_SPEAKER_COLORS[i % len(_SPEAKER_COLORS)],
                                gid=f"lane-{i}"), autolim=False)
    for kind in ("switch", *SIMULTANEOUS_TYPES):
        chosen = [e for e in analysis.events if e.type == kind]
        if not chosen:
            continue
        x = [e.start_s for e in chosen]
        y = [lane_of[e.by] + 0.42 for e in chosen]
        marker, size, hollow = _MARKERS[kind]
        size *= min(1.0, lane_in / 0.55) ** 2
        color = EVENT_COLORS[kind]
        ax.scatter(x, y, marker=marker, s=size, zorder=3, label=kind.replace("_", " "),
                   c="white" if hollow else color,
                   linewidths=1.4 if hollow or kind == "switch" else 0.4,
                   edgecolors=color if hollow else ("white" if kind != "switch" else None))
    font = max(3.0, min(10.0, lane_in * 72 * 0.8))  # a label fits its lane
    names = display_names(analysis)
    ax.set_yticks(range(lanes), [plain_label(names[s]) for s in reversed(speakers)],
                  fontsize=font)
    ax.set_ylim(-0.7, lanes - 0.3 + 0.35)
    ax.set_xlim(0, max(analysis.duration_s, 1e-3))
    ax.set_xlabel("time (s)")
    ax.grid(axis="x", color="#dee2e6", lw=0.6)
    ax.set_axisbelow(True)
    name = Path(analysis.input_path).name if analysis.input_path else analysis.timeline.uri
    ax.set_title(plain_label(f"{name}: {len(speakers)} speaker(s), "
                             f"{len(analysis.events)} event(s)"), loc="left", fontsize=11)
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
    index = {s: i for i, s in enumerate(speakers)}
    counts = np.zeros((n, n), dtype=int)  # (by, of)
    for t, by, of, count in analysis.matrix.counts:  # the events, not every pair
        if t in types and by in index and of in index:
            counts[index[by], index[of]] += count
    top = max(1, int(counts.max()))
    ax.imshow(counts, cmap="Reds", vmin=0, vmax=top, aspect="auto")
    every = display_names(analysis)
    names = [plain_label(every[s]) for s in speakers]
    font = 9 if n <= MAX_NUMBERED_SPEAKERS else max(4.0, 9 * MAX_NUMBERED_SPEAKERS / n)
    ax.set_xticks(range(n), names, rotation=30 if n > 3 else 0,
                  ha="right" if n > 3 else "center", fontsize=font)
    ax.set_yticks(range(n), names, fontsize=font)
    if n <= MAX_NUMBERED_SPEAKERS:
        for i in range(n):
            for j in range(n):
                text = "–" if i == j else str(counts[i, j])
                color = "white" if counts[i, j] > 0.6 * top else "#1b1f24"
                ax.text(j, i, text, ha="center", va="center", color=color, fontsize=9)
    ax.set_xlabel("of (receiver)", fontsize=9)
    ax.set_ylabel("by", fontsize=9)
