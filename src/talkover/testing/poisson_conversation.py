"""A seeded conversation whose interruptions arrive as Poisson processes with known rates.

Speakers belong to groups. While a speaker of group ``h`` holds the floor, group ``g``
interrupts them at ``rates_per_min[g, h]`` per minute (a group with no member besides the
holder cannot). Each turn has a natural length drawn from ``turn_s``; the first interruption
clock to ring before the natural end cuts the turn (the interrupter, drawn uniformly from the
group, starts ``overlap_s`` before the holder stops); otherwise another speaker, drawn
uniformly, takes the floor ``gap_s`` after the holder stops.

The clocks run over the floor time except short dead stretches the definitions need: the last
``overlap_s`` of a turn, and at the start of a turn that began with an interruption the
``overlap_s + min_pause_s`` while the previous holder finishes. Floor time as the analysis
measures it (turn durations) is therefore slightly longer than the time at risk; both are
recorded, so tests can check the exposures exactly and the rates against the truth.

>>> c = plant_poisson_conversation(
...     groups={"A": "x", "B": "y"}, rates_per_min={("x", "y"): 2.0, ("y", "x"): 1.0},
...     duration_s=600.0, seed=1)
>>> c.timeline.end_s > 600.0, all(p.type == "interruption" for p in c.interruptions)
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from talkover.config import EventConfig
from talkover.testing.timeline_builder import PlantedEvent, TimelineBuilder
from talkover.timeline import SpeakerTimeline, to_ms

__all__ = ["PlantedConversation", "plant_poisson_conversation"]


@dataclass(frozen=True, slots=True)
class PlantedConversation:
    """The timeline, the interruptions planted, and per speaker the floor and risk time (s)."""

    timeline: SpeakerTimeline
    interruptions: tuple[PlantedEvent, ...]
    floor_time_s: tuple[tuple[str, float], ...]
    risk_time_s: tuple[tuple[str, float], ...]


def plant_poisson_conversation(
    *,
    groups: Mapping[str, str],
    rates_per_min: Mapping[tuple[str, str], float],
    duration_s: float,
    seed: int,
    turn_s: tuple[float, float] = (20.0, 60.0),
    overlap_s: float = 0.7,
    gap_s: float = 0.6,
    config: EventConfig | None = None,
) -> PlantedConversation:
    """Plant turns until ``duration_s`` of speech; see the module doc for the process.

    Parameters
    ----------
    groups
        Speaker id -> group value (at least two speakers).
    rates_per_min
        ``(by_group, of_group)`` -> interruptions per minute of ``of_group``'s floor time;
        missing pairs have rate 0.
    turn_s
        Range of the uniform natural turn length, in seconds.
    overlap_s
        Overlap of each interruption (must exceed ``config.grace_s``).
    """
    config = config or EventConfig()
    rng = np.random.default_rng(seed)
    speakers = list(groups)
    plan = []  # (speaker, by_interruption, unit length, risk time)
    speaker, by_interruption, t = speakers[0], False, 0.0
    while t < duration_s:
        guard = (overlap_s + config.min_pause_s + 0.05) if by_interruption else 0.05
        natural = rng.uniform(*turn_s)
        interrupters = _interrupters(speaker, groups, rates_per_min)
        total = sum(rate for _, rate in interrupters) / 60.0  # per second
        ring = guard + (rng.exponential(1.0 / total) if total > 0 else np.inf)
        if ring < natural - overlap_s:
            weights = np.array([rate for _, rate in interrupters]) / (total * 60.0)
            group = interrupters[rng.choice(len(interrupters), p=weights)][0]
            members = [s for s in speakers if groups[s] == group and s != speaker]
            plan.append((speaker, by_interruption, ring + overlap_s, ring - guard))
            speaker, by_interruption = members[rng.integers(len(members))], True
        else:
            plan.append((speaker, by_interruption, natural, natural - overlap_s - guard))
            others = [s for s in speakers if s != speaker]
            speaker, by_interruption = others[rng.integers(len(others))], False
        t += plan[-1][2]
    return _build(plan, overlap_s, gap_s, config)


def _interrupters(
    holder: str, groups: Mapping[str, str], rates: Mapping[tuple[str, str], float]
) -> list[tuple[str, float]]:
    """``(group, rate per minute)`` of the groups that can interrupt ``holder``."""
    values = dict.fromkeys(groups.values())
    return [
        (g, rates.get((g, groups[holder]), 0.0))
        for g in values
        if any(groups[s] == g and s != holder for s in groups)
        and rates.get((g, groups[holder]), 0.0) > 0
    ]


def _build(
    plan: list[tuple[str, bool, float, float]], overlap_s: float, gap_s: float,
    config: EventConfig,
) -> PlantedConversation:
    builder = TimelineBuilder(config=config)
    floor: dict[str, float] = {}
    risk: dict[str, float] = {}
    for i, (speaker, by_interruption, unrounded, at_risk) in enumerate(plan):
        length = to_ms(unrounded)  # as the timeline keeps it
        if by_interruption and i > 0:  # the first turn has no one to interrupt
            builder.interruption(speaker, overlap_s=overlap_s, duration_s=length)
        else:
            builder.speak(speaker, length, gap_s=gap_s)
        floor[speaker] = floor.get(speaker, 0.0) + length
        risk[speaker] = risk.get(speaker, 0.0) + at_risk
    planted = tuple(p for p in builder.planted if p.type == "interruption")
    return PlantedConversation(
        builder.timeline(), planted, tuple(floor.items()), tuple(risk.items())
    )
