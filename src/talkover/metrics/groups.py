"""Interruptions by group (gender, role, team...), normalised by exposure, with intervals.

For each attribute the cast sets (see :mod:`talkover.cast`), speakers fall into groups by their
value. Exposure is floor time: the summed durations of the turns (:mod:`talkover.turns.floor`)
the group's speakers held, since a speaker can only be interrupted while holding the floor.

* ``received``: interruptions received by group A per minute A held the floor, against the same
  for group B (interrupters of any group).
* ``cross``: A interrupting B per minute B held the floor, against B interrupting A per minute A
  held the floor.

Each contrast is a :class:`~talkover.metrics.rate_ratio.RateRatio` (exact conditional interval
and test), for interruptions and for failed interruptions. With fewer than ``min_events``
events, or an interval too wide to tell, the verdict says so instead of claiming a difference.
Groups come from the user; nothing here is inferred from voices.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from talkover.events.types import Event
from talkover.metrics.rate_ratio import RateRatio, compare_rates, per_min
from talkover.metrics.speakers import SpeakerStats
from talkover.turns.floor import Turn

__all__ = [
    "GroupFigures",
    "GroupPair",
    "GroupContrast",
    "GroupComparison",
    "compare_groups",
    "MIN_EVENTS",
    "WIDE_RATIO",
]

#: Fewer events than this in a contrast: too few to conclude.
MIN_EVENTS = 10
#: An interval whose high/low exceeds this and that contains 1 is "too wide to tell".
WIDE_RATIO = 4.0

ContrastKind = Literal["received", "cross"]
GroupEventType = Literal["interruption", "failed_interruption"]


@dataclass(frozen=True, slots=True)
class GroupFigures:
    """One group of one attribute: its speakers, talk and floor time, events made/received.

    ``interruptions_received_per_min`` is per minute of ``floor_time_s`` (``None`` without)."""

    value: str
    speakers: tuple[str, ...]
    talk_time_s: float
    talk_share: float
    floor_time_s: float
    interruptions_made: int
    interruptions_received: int
    failed_interruptions_made: int
    failed_interruptions_received: int
    interruptions_received_per_min: float | None


@dataclass(frozen=True, slots=True)
class GroupPair:
    """Group ``by`` over group ``of`` (the same group allowed); ``exposure_s`` is ``of``'s
    floor time and ``interruptions_per_min`` the rate per minute of it."""

    by: str
    of: str
    interruptions: int
    failed_interruptions: int
    exposure_s: float
    interruptions_per_min: float | None


@dataclass(frozen=True, slots=True)
class GroupContrast:
    """Group ``a`` against group ``b``: the rate ratio a/b and a plain-language verdict.

    ``conclusive`` is true when there are enough events and the interval excludes 1."""

    kind: ContrastKind
    event_type: GroupEventType
    a: str
    b: str
    ratio: RateRatio
    conclusive: bool
    verdict: str


@dataclass(frozen=True, slots=True)
class GroupComparison:
    """Everything about one attribute; ``unassigned`` lists speaker ids without a value."""

    attribute: str
    groups: tuple[GroupFigures, ...]
    pairs: tuple[GroupPair, ...]
    contrasts: tuple[GroupContrast, ...]
    unassigned: tuple[str, ...] = ()


def compare_groups(
    speakers: Sequence[SpeakerStats],
    turns: Sequence[Turn],
    events: Sequence[Event],
    *,
    min_events: int = MIN_EVENTS,
    level: float = 0.95,
    bootstrap_draws: int = 2000,
) -> tuple[GroupComparison, ...]:
    """One :class:`GroupComparison` per attribute found in ``speakers[].groups``."""
    attributes = sorted({a for s in speakers for a, _ in s.groups})
    return tuple(
        _compare(attr, speakers, turns, events, min_events, level, bootstrap_draws)
        for attr in attributes
    )


def _compare(
    attribute: str,
    speakers: Sequence[SpeakerStats],
    turns: Sequence[Turn],
    events: Sequence[Event],
    min_events: int,
    level: float,
    draws: int,
) -> GroupComparison:
    of_speaker = {s.speaker: dict(s.groups).get(attribute) for s in speakers}
    values = list(dict.fromkeys(v for v in of_speaker.values() if v is not None))
    floor = {v: 0.0 for v in values}
    for turn in turns:
        if of_speaker.get(turn.speaker) is not None:
            floor[of_speaker[turn.speaker]] += turn.duration_s
    counts = _count(events, of_speaker)
    figures = tuple(_figures(v, speakers, of_speaker, floor, counts) for v in values)
    pairs = tuple(
        GroupPair(by, of, counts["interruption", by, of], counts["failed_interruption", by, of],
                  floor[of], per_min(counts["interruption", by, of], floor[of]))
        for by in values for of in values
    )
    contrasts = []
    for a, b in combinations(values, 2):
        for kind in ("received", "cross"):
            for etype in ("interruption", "failed_interruption"):
                ca, cb = _contrast_counts(kind, etype, a, b, counts)
                ea, eb = (floor[a], floor[b]) if kind == "received" else (floor[b], floor[a])
                ratio = compare_rates(ca, ea, cb, eb, level=level, bootstrap_draws=draws)
                conclusive, text = _verdict(kind, etype, f"{attribute}={a}",
                                            f"{attribute}={b}", ratio, min_events)
                contrasts.append(GroupContrast(kind, etype, a, b, ratio, conclusive, text))
    unassigned = tuple(sid for sid, v in of_speaker.items() if v is None)
    return GroupComparison(attribute, figures, pairs, tuple(contrasts), unassigned)


def _count(events: Sequence[Event], of_speaker: dict[str, str | None]) -> Counter:
    """Counts keyed ``(type, by_group, of_group)``; ``None`` stands for unassigned."""
    return Counter(
        (e.type, of_speaker.get(e.by), of_speaker.get(e.of))
        for e in events
        if e.type in ("interruption", "failed_interruption")
    )


def _figures(
    value: str,
    speakers: Sequence[SpeakerStats],
    of_speaker: dict[str, str | None],
    floor: dict[str, float],
    counts: Counter,
) -> GroupFigures:
    members = tuple(s for s in speakers if of_speaker[s.speaker] == value)
    talk = sum(s.talk_time_s for s in members)
    total = sum(s.talk_time_s for s in speakers)

    def made(t: str) -> int:
        return sum(n for (tt, by, _), n in counts.items() if tt == t and by == value)

    def received(t: str) -> int:
        return sum(n for (tt, _, of), n in counts.items() if tt == t and of == value)

    return GroupFigures(
        value=value,
        speakers=tuple(s.speaker for s in members),
        talk_time_s=talk,
        talk_share=talk / total if total > 0 else 0.0,
        floor_time_s=floor[value],
        interruptions_made=made("interruption"),
        interruptions_received=received("interruption"),
        failed_interruptions_made=made("failed_interruption"),
        failed_interruptions_received=received("failed_interruption"),
        interruptions_received_per_min=per_min(received("interruption"), floor[value]),
    )


def _contrast_counts(kind: str, etype: str, a: str, b: str, counts: Counter) -> tuple[int, int]:
    if kind == "cross":
        return counts[etype, a, b], counts[etype, b, a]
    received = {
        v: sum(n for (t, _, of), n in counts.items() if t == etype and of == v) for v in (a, b)
    }
    return received[a], received[b]


def _fmt(x: float) -> str:
    return "infinity" if x == float("inf") else f"{x:.2g}" if x < 10 else f"{x:.0f}"


def _verdict(
    kind: str, etype: str, a: str, b: str, r: RateRatio, min_events: int
) -> tuple[bool, str]:
    what = etype.replace("_", " ") + "s"
    subject = (
        f"{what} received per minute of floor, {a} vs {b}"
        if kind == "received"
        else f"{what} by {a} of {b} (per minute {b} held the floor) vs by {b} of {a}"
    )
    if r.ratio is None:
        reason = "no floor time" if r.events else "no events"
        return False, f"{subject}: {reason}, nothing to compare."
    if r.events < min_events:
        return False, (
            f"{subject}: too few events to conclude ({r.count_a} vs {r.count_b}; "
            f"at least {min_events} needed)."
        )
    figures = (
        f"ratio {_fmt(r.ratio)}, {r.level:.0%} CI {_fmt(r.ci_low)}-{_fmt(r.ci_high)}, "
        f"p = {r.p_value:.2g}; {r.count_a} vs {r.count_b} events"
    )
    if r.ci_low > 1 or r.ci_high < 1:
        more = "more" if r.ci_low > 1 else "less"
        return True, f"{subject}: {a} {more} ({figures})."
    if r.ci_low == 0 or r.ci_high / r.ci_low > WIDE_RATIO:
        return False, f"{subject}: inconclusive, the interval is too wide to tell ({figures})."
    return False, f"{subject}: no clear difference ({figures})."
