"""Praat TextGrid writer: the long text format, one interval tier per speaker (labels: the
transcript, or ``speech``), then the events on ``events`` interval tiers (``events``,
``events 2``... as many as needed so that intervals do not overlap), labelled like
``interruption B>A``; a switch spans the silence before it. The reader is
:mod:`talkover.formats.textgrid`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from talkover.analysis import Analysis
from talkover.export.tiers import EVENTS_TIER, event_lanes, speaker_tiers
from talkover.optional import require

__all__ = ["write_textgrid"]

#: The label of a speech interval without a transcript (the reader takes it as no text).
_TEXT_FALLBACK = "speech"


def _grid(analysis: Analysis) -> Any:  # a praatio Textgrid
    require("praatio.textgrid", package="praatio", purpose="writing .TextGrid")
    from praatio.data_classes.interval_tier import IntervalTier
    from praatio.textgrid import Textgrid
    from praatio.utilities.constants import Interval

    grid = Textgrid()
    end = max(analysis.duration_s, max((e.end_s for e in analysis.events), default=0.0))
    for speaker, segments in speaker_tiers(analysis.timeline).items():
        entries = [Interval(s.start_s, s.end_s, s.text or _TEXT_FALLBACK) for s in segments]
        grid.addTier(IntervalTier(speaker, entries, 0.0, end))
    for i, lane in enumerate(event_lanes(analysis.events, min_s=0.001)):
        name = EVENTS_TIER if i == 0 else f"{EVENTS_TIER} {i + 1}"
        entries = [Interval(max(a, 0.0), b, label) for a, b, label in lane]
        grid.addTier(IntervalTier(name, entries, 0.0, max([end, *(b for _, b, _ in lane)])))
    return grid


def write_textgrid(analysis: Analysis, path: str | Path) -> None:
    """Write speakers and events as a long-format UTF-8 TextGrid."""
    grid = _grid(analysis)
    grid.save(str(path), format="long_textgrid", includeBlankSpaces=True,
              minTimestamp=0.0, maxTimestamp=grid.maxTimestamp or analysis.duration_s,
              reportingMode="silence")
