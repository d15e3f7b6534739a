"""Planning a synthetic conversation: which clip of which voice goes where, and the events that
makes, through :class:`~talkover.testing.timeline_builder.TimelineBuilder`.

The planner walks unit by unit. For the floor holder's next unit it draws, from the
:class:`EventMix`, the events that happen inside it (backchannels, failed interruptions) and the
way it ends (switch, the holder's own next unit, end-of-turn overlap, interruption), then picks
clips long enough to hold them all with margins on each side of every threshold. An interrupted
holder is cut off ``delay`` seconds (> ``grace_s``) after the interrupter's onset:

```
A  |==========================\\           A's clip, truncated (short fade) delay s after B's onset
B         |==|          |=================|
          backchannel   interruption (B over A)
```
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from talkover.config import EventConfig
from talkover.testing.timeline_builder import TimelineBuilder
from talkover.testing.voices import Voice, VoiceBank, VoiceClip

__all__ = ["EventMix", "Placement", "plan_conversation", "MIN_TURN_S"]

#: Shortest clip used as a turn (seconds).
MIN_TURN_S = 1.2
#: Margin kept between any two onsets/offsets that a threshold compares (seconds).
MARGIN_S = 0.5

_INNER = ("backchannel", "failed_interruption")
_ENDINGS = ("switch", "continuation", "overlap", "interruption")


@dataclass(frozen=True, slots=True)
class EventMix:
    """Relative frequencies of what the planner plants next (weights, need not sum to 1).

    ``continuation`` is the floor holder pausing (at least ``min_pause_s``) and going on.
    """

    switch: float = 3.0
    interruption: float = 2.0
    overlap: float = 1.5
    backchannel: float = 2.5
    failed_interruption: float = 1.2
    continuation: float = 0.8

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ValueError(f"EventMix.{f.name} must be >= 0")
        if sum(getattr(self, k) for k in _ENDINGS) <= 0:
            raise ValueError("EventMix needs a positive weight for a way to end a unit")


@dataclass(frozen=True, slots=True, eq=False)
class Placement:
    """One clip placed in the conversation.

    ``start_s``/``end_s`` are the speech in the conversation; ``kept_s`` the speech kept from
    the clip (shorter than its speech when it is cut off); ``gain_db`` its level change.
    """

    speaker: str
    start_s: float
    end_s: float
    clip: VoiceClip
    kept_s: float
    gain_db: float

    @property
    def truncated(self) -> bool:
        return self.kept_s < self.clip.duration_s - 1e-9


def _q(x: float) -> float:
    """Round to the millisecond, the RTTM resolution."""
    return round(float(x), 3)


class _Planner:
    def __init__(
        self,
        voices: list[Voice],
        rng: np.random.Generator,
        config: EventConfig,
        mix: EventMix,
        level_spread_db: float,
    ) -> None:
        self.rng, self.config, self.mix = rng, config, mix
        ok = config.min_pause_s
        self.voices = {
            v.name: Voice(v.name, tuple(c for c in v.clips if c.max_pause_s < ok)) for v in voices
        }
        self.names = [v.name for v in voices]
        self.used: dict[str, int] = {}
        self.levels = {n: float(rng.uniform(-level_spread_db / 2, level_spread_db / 2))
                       for n in self.names}
        self.builder = TimelineBuilder(config=config)
        self.placements: list[Placement] = []

    # -- clips --------------------------------------------------------------------------------
    def take(self, name: str, min_s: float, max_s: float) -> tuple[VoiceClip, float] | None:
        """A clip of ``name`` with ``min_s`` to ``max_s`` of speech: a whole one when there is,
        else a longer one cut at a moment of speech (least used clips first)."""
        voice = self.voices[name]
        whole = list(voice.clips_between(min_s, max_s))
        if whole:
            clip = self._least_used(whole)
            return clip, _q(clip.duration_s)
        longer = [c for c in voice.clips if c.duration_s > max_s]
        if not longer:
            return None
        clip = self._least_used(longer)
        kept = self.cut_point(clip, min_s, max_s)
        return None if kept is None else (clip, kept)

    def _least_used(self, clips: list[VoiceClip]) -> VoiceClip:
        low = min(self.used.get(c.source, 0) for c in clips)
        pool = [c for c in clips if self.used.get(c.source, 0) == low]
        clip = pool[int(self.rng.integers(len(pool)))]
        self.used[clip.source] = low + 1
        return clip

    def cut_point(self, clip: VoiceClip, min_s: float, max_s: float) -> float | None:
        """A length in [min_s, max_s] after which the clip is still speaking (10 ms grid)."""
        grid = np.arange(min_s, max_s + 1e-9, 0.01)
        ok = [k for k in grid if clip.speaking_at(clip.speech_start_s + k - 0.03)]
        return None if not ok else _q(ok[int(self.rng.integers(len(ok)))])

    def place(self, speaker: str, clip: VoiceClip, kept_s: float) -> None:
        seg = self.builder.segments[-1]
        gain = self.levels[speaker] + float(self.rng.uniform(-1.5, 1.5))
        self.placements.append(Placement(speaker, seg.start_s, seg.end_s, clip, kept_s, gain))

    # -- draws --------------------------------------------------------------------------------
    def draw(self, kinds: tuple[str, ...]) -> str:
        w = np.array([getattr(self.mix, k) for k in kinds], dtype=float)
        return kinds[int(self.rng.choice(len(kinds), p=w / w.sum()))]

    def last_end(self, name: str) -> float:
        return max((s.end_s for s in self.builder.segments if s.speaker == name), default=-1e9)

    def other(self, holder: str, onset_s: float) -> str | None:
        """A speaker other than ``holder`` free to start at ``onset_s``."""
        free = [n for n in self.names if n != holder
                and self.last_end(n) <= onset_s - self.config.min_pause_s - MARGIN_S]
        return None if not free else free[int(self.rng.integers(len(free)))]


def plan_conversation(
    bank: VoiceBank,
    *,
    rng: np.random.Generator,
    num_speakers: int,
    duration_s: float,
    config: EventConfig,
    event_mix: EventMix,
    level_spread_db: float,
) -> tuple[TimelineBuilder, tuple[Placement, ...]]:
    """Plan a conversation of about ``duration_s`` seconds between ``num_speakers`` voices.

    Returns the builder (its ``segments`` and ``planted`` events) and the clip placements, one
    per segment, in the same order.
    """
    eligible = [
        v for v in bank.voices
        if sum(c.duration_s >= 2 * MIN_TURN_S and c.max_pause_s < config.min_pause_s
               for c in v.clips) >= 2
    ]
    if len(eligible) < num_speakers:
        raise ValueError(
            f"the voice bank has {len(eligible)} voices with two clips of "
            f">= {2 * MIN_TURN_S} s; {num_speakers} needed"
        )
    chosen = rng.choice(len(eligible), size=num_speakers, replace=False)
    p = _Planner([eligible[int(i)] for i in chosen], rng, config, event_mix, level_spread_db)
    holder = p.names[0]
    mode, param = "speak", _q(rng.uniform(0.3, 1.0))
    while True:
        prev_end = p.builder.floor_end_s
        start = prev_end + param if mode == "speak" else prev_end - param
        free = 0.0 if mode == "speak" else param  # the previous holder still talks this long
        ending, tail, inner = _draw_unit(p, holder, final=start > duration_s - 4.0)
        longest = max(MIN_TURN_S, duration_s - start - 0.5) if ending == "end" else 30.0
        unit = _holder_clip(p, holder, ending, tail, free, inner, longest)
        if unit is None:  # the holder has no clip long enough: plant nothing inside, end simply
            ending, tail, inner = "switch", 0.0, []
            unit = _holder_clip(p, holder, ending, tail, free, inner, 30.0)
        assert unit is not None  # eligible voices have clips >= 2 * MIN_TURN_S
        clip, kept = unit
        if mode == "speak":
            p.builder.speak(holder, kept, gap_s=param)
        elif mode == "interruption":
            p.builder.interruption(holder, overlap_s=param, duration_s=kept)
        else:
            p.builder.overlap(holder, overlap_s=param, duration_s=kept)
        p.place(holder, clip, kept)
        _plant_inner(p, holder, kept, free, tail, inner)
        if ending == "end":
            break
        holder, mode, param = _next(p, holder, ending, tail)
    return p.builder, tuple(p.placements)


_Inner = list[tuple[str, str, VoiceClip, float]]


def _draw_unit(p: _Planner, holder: str, *, final: bool) -> tuple[str, float, _Inner]:
    """How the next unit ends, how long the next speaker overlaps it, what happens inside."""
    if final:
        return "end", 0.0, []
    kinds: list[str] = []
    while (kind := p.draw(_INNER + _ENDINGS)) in _INNER:
        kinds.append(kind)
    grace, bc_max = p.config.grace_s, p.config.backchannel_max_s
    tail = 0.0
    if kind == "overlap":
        tail = _q(p.rng.uniform(0.1, max(0.1, min(0.4, grace - 0.1))))
    elif kind == "interruption":
        tail = _q(p.rng.uniform(grace + 0.3, grace + 1.0))
    inner: _Inner = []
    for k in kinds[:2]:
        others = [n for n in p.names if n != holder]
        by = others[int(p.rng.integers(len(others)))]
        if k == "backchannel":
            got = p.take(by, 0.25, max(0.3, min(0.85, bc_max - 0.15)))
        else:
            got = p.take(by, bc_max + 0.25, bc_max + 1.2)
        if got is not None:
            inner.append((k, by, *got))
    return kind, tail, inner


def _holder_clip(
    p: _Planner,
    holder: str,
    ending: str,
    tail: float,
    free: float,
    inner: _Inner,
    longest_s: float,
) -> tuple[VoiceClip, float] | None:
    """The holder's clip and the speech kept from it, long enough for everything planned.

    Drops inner events (from the last) until one fits."""
    inner[:] = [e for e in inner if e[1] != holder]
    while True:
        need = free + MARGIN_S + sum(kept + MARGIN_S for *_, kept in inner) + tail
        need = _q(max(MIN_TURN_S, need, free + MARGIN_S))
        if ending == "interruption":  # cut the holder off: a clip that goes on after `need`
            clips = [c for c in p.voices[holder].clips if c.duration_s >= need + 0.3]
            if clips:
                clip = p._least_used(clips)
                kept = p.cut_point(clip, need, min(clip.duration_s - 0.3, need + 4.0))
                if kept is not None:
                    return clip, kept
        else:
            got = p.take(holder, need, max(need, longest_s))
            if got is not None:
                return got
        if not inner:
            return None
        inner.pop()


def _plant_inner(
    p: _Planner, holder: str, kept: float, free: float, tail: float, inner: _Inner
) -> None:
    """Backchannels and failed interruptions inside the holder's unit just placed."""
    if not inner:
        return
    unit_start = p.builder.segments[-1].start_s
    lo, hi = free + MARGIN_S, kept - tail - MARGIN_S
    slack = hi - lo - sum(k for *_, k in inner) - MARGIN_S * (len(inner) - 1)
    shares = p.rng.dirichlet(np.ones(len(inner) + 1)) * max(0.0, slack)
    t = lo + shares[0]
    for i, (kind, by, clip, length) in enumerate(inner):
        at = _q(t)
        if p.last_end(by) <= unit_start + at - p.config.min_pause_s - 0.2:
            if kind == "backchannel":
                p.builder.backchannel(by, at_s=at, duration_s=length)
            else:
                p.builder.failed_interruption(by, at_s=at, duration_s=length)
            p.place(by, clip, length)
        t = at + length + MARGIN_S + shares[i + 1]


def _next(p: _Planner, holder: str, ending: str, tail: float) -> tuple[str, str, float]:
    """The next holder and how their unit starts: ("speak", gap) or (take-over kind, overlap)."""
    unit_end = p.builder.floor_end_s
    if ending in ("overlap", "interruption"):
        by = p.other(holder, unit_end - tail)
        if by is not None and max(c.duration_s for c in p.voices[by].clips) >= tail + 1.5:
            return by, ending, tail
        # nobody can take over here: the holder was just cut off by silence
    if ending != "continuation":
        gap = _q(min(1.5, 0.1 + p.rng.gamma(2.0, 0.15)))
        by = p.other(holder, unit_end + gap)
        if by is not None:
            return by, "speak", gap
    return holder, "speak", _q(p.rng.uniform(p.config.min_pause_s + 0.2, 1.2))
