"""Threshold sensitivity: do the headline numbers depend on the event thresholds?

The events are recomputed for every combination of a grid of ``min_pause_s``,
``backchannel_max_s`` and ``grace_s`` values (default 3 x 3 x 3 = 27 configurations; the other
settings, such as ``silent_gap_s``, are those of the chosen configuration)::

    min_pause_s        0.2  0.3  0.5
    backchannel_max_s  0.7  1.0  1.5
    grace_s            0.3  0.5  0.8

For each headline number the range over the grid (min, max) is reported beside its value at
the chosen configuration: interruptions per ordered speaker pair, and for every group contrast
of interruptions the rate ratio and the number of configurations in which it is conclusive. A
finding that is conclusive under some thresholds and not under others depends on the choice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import product
from typing import Literal

from talkover.config import EventConfig
from talkover.detection import detect_turn_taking
from talkover.metrics.groups import compare_groups
from talkover.metrics.speakers import SpeakerStats
from talkover.timeline import SpeakerTimeline
from talkover.units import Units

__all__ = ["SensitivityGrid", "HeadlineRange", "Sensitivity", "measure_sensitivity"]

Quantity = Literal["interruptions", "received_rate_ratio", "cross_rate_ratio"]


@dataclass(frozen=True, slots=True)
class SensitivityGrid:
    """The threshold values to try, in seconds (every combination is run)."""

    min_pause_s: tuple[float, ...] = (0.2, 0.3, 0.5)
    backchannel_max_s: tuple[float, ...] = (0.7, 1.0, 1.5)
    grace_s: tuple[float, ...] = (0.3, 0.5, 0.8)

    def configs(self, base: EventConfig | None = None) -> tuple[EventConfig, ...]:
        """Every combination, as copies of ``base`` (default :class:`EventConfig`) whose other
        settings (such as ``silent_gap_s``) are kept."""
        base = base or EventConfig()
        return tuple(
            replace(base, min_pause_s=p, backchannel_max_s=b, grace_s=g)
            for p, b, g in product(self.min_pause_s, self.backchannel_max_s, self.grace_s)
        )


@dataclass(frozen=True, slots=True)
class HeadlineRange:
    """One headline number over the grid.

    ``subject`` is ``"BY->OF"`` (speaker names, else ids) for interruption counts and
    ``"ATTRIBUTE: A/B"`` for ratios. ``low``/``high`` span the grid's defined values (``None``
    when never defined); ``chosen`` is the value at the analysis' own configuration.
    ``defined_configs`` counts the grid configurations where the value is defined (a ratio
    needs events), ``conclusive_configs`` those where a ratio was conclusive.
    """

    quantity: Quantity
    subject: str
    chosen: float | None
    low: float | None
    high: float | None
    defined_configs: int = 0
    conclusive_configs: int | None = None
    chosen_conclusive: bool | None = None


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """The grid that was run (``configs`` of them) and each headline's range."""

    grid: SensitivityGrid
    configs: int
    headlines: tuple[HeadlineRange, ...]


def measure_sensitivity(
    timeline: SpeakerTimeline,
    speakers: Sequence[SpeakerStats],
    *,
    chosen: EventConfig,
    grid: SensitivityGrid | None = None,
) -> Sensitivity:
    """Recompute interruptions and group ratios for each configuration of ``grid``.

    ``speakers`` supplies the groups (``SpeakerStats.groups``); talk times do not depend on the
    thresholds.
    """
    grid = grid or SensitivityGrid()
    configs = grid.configs(chosen)
    units_by_pause: dict[float, Units] = {}
    by_config = {c: _headlines(timeline, speakers, c, units_by_pause) for c in configs}
    runs = [by_config[c] for c in configs]
    chosen_values = (
        by_config[chosen] if chosen in by_config
        else _headlines(timeline, speakers, chosen, units_by_pause)
    )
    keys = list(dict.fromkeys([*chosen_values, *(k for run in runs for k in run)]))
    headlines = []
    for key in keys:
        values = [run[key][0] for run in runs if key in run and run[key][0] is not None]
        flags = [run[key][1] for run in runs if key in run]
        value, flag = chosen_values.get(key, (None, None))
        ratio = key[0] != "interruptions"
        if not ratio and value is None:
            value = 0.0
        headlines.append(
            HeadlineRange(
                quantity=key[0],
                subject=key[1],
                chosen=value,
                low=min(values, default=None if ratio else 0.0),
                high=max(values, default=None if ratio else 0.0),
                defined_configs=len(values) if ratio else len(configs),
                conclusive_configs=sum(bool(f) for f in flags) if ratio else None,
                chosen_conclusive=flag if ratio else None,
            )
        )
    return Sensitivity(grid, len(configs), tuple(headlines))


def _headlines(
    timeline: SpeakerTimeline,
    speakers: Sequence[SpeakerStats],
    config: EventConfig,
    units_by_pause: dict[float, Units],
) -> dict[tuple[Quantity, str], tuple[float | None, bool | None]]:
    """``{(quantity, subject): (value, conclusive)}`` under one configuration (the units depend
    only on ``min_pause_s``: built once per value, kept in ``units_by_pause``)."""
    units = units_by_pause.get(config.min_pause_s)
    if units is None:
        units = units_by_pause[config.min_pause_s] = Units.build(
            timeline, min_pause_s=config.min_pause_s
        )
    found = detect_turn_taking(units, config, assess=False)  # as analyze_timeline
    events, turns = found.events, found.turns
    out: dict[tuple[Quantity, str], tuple[float | None, bool | None]] = {}
    pairs = Counter((e.by, e.of) for e in events if e.type == "interruption")
    label = {s.speaker: s.name or s.speaker for s in speakers}
    for by in label:
        for of in label:
            if by != of:
                out["interruptions", f"{label[by]}->{label[of]}"] = (float(pairs[by, of]), None)
    for comparison in compare_groups(speakers, turns, events, bootstrap_draws=0):
        for c in comparison.contrasts:
            if c.event_type == "interruption":
                quantity: Quantity = f"{c.kind}_rate_ratio"  # type: ignore[assignment]
                subject = f"{comparison.attribute}: {c.a}/{c.b}"
                out[quantity, subject] = (c.ratio.ratio, c.conclusive)
    return out
