"""The live floor tracker: frames of speech in, floor changes, events and alerts out, each
decided as soon as the offline definitions (:mod:`talkover.events.detect`) allow.

Each speaker's frames go through a :class:`~talkover.live.speech.SpeechTrack` (the offline
clean-up, causally) and become inter-pausal units as in :func:`talkover.turns.build_ipus`. A
unit is *closed* once no later speech could join it (a pause of ``min_pause_s`` is certain).
For the unit ``u`` of B starting at t, the event the offline code gives is **decided** as soon as
nothing still to come can change it, and is then computed by :func:`~talkover.events.detect_events`
itself on the units that decide it:

- who else speaks at t is certain once every other speaker's unit around t is closed or goes
  on past t (and no speech not yet certain began before t);
- with nobody else at t: a switch (or nothing), at once;
- with a floor holder A (unit ``v``): once one of the two has ended for good and the other is
  known to have outlasted it, or not.

```
A  |=============|                    decided when A's unit closes (B outlasts A):
B         |=========...               interruption (A ended > grace after t) or overlap
          t      ^ alert: B past alert_after_s (default backchannel_max_s) and A past t + grace
```

An **alert** fires when B, starting while A holds the floor, has spoken longer than
``alert_after_s`` (by default ``backchannel_max_s``: before that B might still be a backchannel,
which never alerts) and A went on past ``t + grace_s`` (so it is not an end-of-turn overlap): the
event can then only be an interruption or a failed interruption. It also fires when the event is
decided as one of those first. The floor passes as in :func:`talkover.turns.build_turns`: to the
first speaker, then to ``by`` of each switch, overlap and interruption.

Events come out in onset order; after the stream ends (:meth:`FloorTracker.finish`) they are
exactly those :func:`~talkover.events.detect_events` finds on the same frames cleaned up offline
(tested).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from talkover.config import EventConfig
from talkover.events import Event, detect_events
from talkover.events.types import FLOOR_TAKING_TYPES
from talkover.live.activity import ActivityChunk, FrameGrid
from talkover.live.speech import Smoothing, SpeechTrack, SpeechUpdate
from talkover.timeline import Segment, SpeakerTimeline
from talkover.units import IPU, Units, ipus_by_speaker

__all__ = ["Alert", "FloorChange", "LiveEvent", "Decision", "FloorSnapshot", "FloorTracker"]


@dataclass(frozen=True, slots=True)
class Alert:
    """``by`` is talking over ``over``: decided at stream time ``t_s``; ``by`` began at
    ``onset_s`` while ``over`` held the floor."""

    t_s: float
    by: str
    over: str
    onset_s: float


@dataclass(frozen=True, slots=True)
class FloorChange:
    """The floor passed to ``by`` (from ``over``; ``None`` for the first speaker) through
    ``cause`` (an event type, or ``"start"``), decided at ``t_s``; ``onset_s`` is the onset
    that took it."""

    t_s: float
    by: str
    over: str | None
    onset_s: float
    cause: str


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """An offline-definition ``event``, decided at stream time ``t_s``."""

    t_s: float
    event: Event


Decision = Alert | FloorChange | LiveEvent


@dataclass(frozen=True, slots=True)
class FloorSnapshot:
    """What the terminal view shows at stream time ``t_s``.

    ``speakers`` in order of first speech; ``talk_s`` their certain talk time so far;
    ``lanes`` each speaker's speech spans within the last ``span_s`` seconds; ``counts``
    ``(type, by, of, n)`` of the decided events; ``floor`` the holder; ``alert`` the latest
    alert concerning the watched speaker (or anyone).
    """

    t_s: float
    span_s: float
    speakers: tuple[str, ...]
    talk_s: tuple[float, ...]
    lanes: tuple[tuple[tuple[float, float], ...], ...]
    counts: tuple[tuple[str, str, str, int], ...]
    floor: str | None
    alert: Alert | None
    watch: str | None


@dataclass(eq=False, slots=True)
class _Speaker:
    name: str
    track: SpeechTrack
    runs: list[tuple[float, float]] = field(default_factory=list)
    open_run: tuple[float, float] | None = None
    earliest_new_s: float = 0.0
    units: list[_Unit] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)  # of units, for bisect

    @property
    def rank(self) -> tuple[float, float, str]:
        """Order of first speech as :attr:`SpeakerTimeline.speakers` gives it: by the first
        segment's start, then its end (``inf`` while it goes on), then name."""
        first_end = self.runs[0][1] if self.runs else float("inf")
        first_start = self.runs[0][0] if self.runs else (
            self.open_run[0] if self.open_run else float("inf"))
        return (first_start, first_end, self.name)

    @property
    def rank_final(self) -> bool:
        return bool(self.runs)


@dataclass(eq=False, slots=True)
class _Unit:
    owner: _Speaker
    start_s: float
    last_end_s: float
    closed: bool = False
    alerted: bool = False

    @property
    def speaker(self) -> str:
        return self.owner.name

    def ipu(self, *, start_s: float | None = None) -> IPU:
        return IPU(self.start_s if start_s is None else start_s, self.last_end_s, self.speaker)

    @property
    def key(self) -> tuple[float, tuple[float, float, str]]:
        """Position in :func:`build_ipus`' order (start, then the speaker's rank)."""
        return (self.start_s, self.owner.rank)


class FloorTracker:
    """Floor, events and alerts from :class:`~talkover.live.activity.ActivityChunk` s.

    Parameters
    ----------
    config
        The event thresholds (``min_pause_s``, ``backchannel_max_s``, ``grace_s``).
    smoothing
        The clean-up the frames get (:meth:`Smoothing.for_diarizer` or ``for_channels``).
    watch
        Alert only when this speaker talks over someone or is talked over (``--me``);
        ``None``: every pair.
    alert_after_s
        How long the newcomer must have spoken before an alert (default
        ``config.backchannel_max_s``: a backchannel never alerts).
    """

    def __init__(
        self,
        config: EventConfig | None = None,
        *,
        smoothing: Smoothing,
        watch: str | None = None,
        alert_after_s: float | None = None,
    ) -> None:
        self.config = config or EventConfig()
        self.smoothing = smoothing
        self.watch = watch
        self.alert_after_s = (
            self.config.backchannel_max_s if alert_after_s is None else float(alert_after_s)
        )
        self.events: list[LiveEvent] = []
        self.alerts: list[Alert] = []
        self.floor_changes: list[FloorChange] = []
        self._speakers: dict[str, _Speaker] = {}
        self._pending: list[tuple[float, int, _Unit]] = []  # undecided units, by onset
        self._counter = 0
        self._grid: FrameGrid | None = None
        self._now_s = 0.0

    # -- input ------------------------------------------------------------------------------
    def update(self, chunk: ActivityChunk) -> list[Decision]:
        """Take the next frames; return what they decided, in the order decided."""
        self._grid = chunk.grid
        self._now_s = chunk.decided_s
        for column, name in enumerate(chunk.speakers):
            speaker = self._speaker(name)
            update = speaker.track.push(chunk.activity[:, column], first_frame=chunk.first_frame)
            self._apply(speaker, update)
        return self._decide()

    def finish(self, end_s: float) -> list[Decision]:
        """The stream ended at ``end_s`` seconds: every unit closes, every event is decided."""
        self._now_s = end_s
        for speaker in self._speakers.values():
            for start, end in speaker.track.finish():
                span = self._seconds(start, end, end_s=end_s)
                if span is not None:
                    speaker.runs.append(span)
                    self._extend_units(speaker, *span)
            speaker.open_run = None
            speaker.earliest_new_s = float("inf")
            limit = _round_ms(end_s)  # frames reach a little past the audio's end
            speaker.runs = [(a, min(b, limit)) for a, b in speaker.runs if a < limit]
            for unit in speaker.units:
                unit.closed = True
                unit.last_end_s = min(unit.last_end_s, limit)
        return self._decide()

    # -- speech and units -------------------------------------------------------------------
    def _speaker(self, name: str) -> _Speaker:
        if name not in self._speakers:
            self._speakers[name] = _Speaker(name, SpeechTrack(self.smoothing))
        return self._speakers[name]

    def _seconds(self, start: int, end: int, *, end_s: float | None = None
                 ) -> tuple[float, float] | None:
        """A run of frames ``[start, end)`` in seconds, as the offline timeline places it."""
        assert self._grid is not None
        a, b = self._grid.start_s(start), self._grid.end_s(end - 1)
        if end_s is not None:
            b = min(end_s, b)
        return (_round_ms(a), _round_ms(b)) if b > a else None

    def _apply(self, speaker: _Speaker, update: SpeechUpdate) -> None:
        for start, end in update.closed:
            span = self._seconds(start, end)
            if span is not None:
                speaker.runs.append(span)
                self._extend_units(speaker, *span)
        speaker.open_run = None
        if update.open_run is not None:
            speaker.open_run = self._seconds(*update.open_run)
            if speaker.open_run is not None:
                self._extend_units(speaker, *speaker.open_run)
        assert self._grid is not None
        speaker.earliest_new_s = _round_ms(self._grid.start_s(update.earliest_new))
        last = speaker.units[-1] if speaker.units else None
        if (last is not None and not last.closed and speaker.open_run is None
                and speaker.earliest_new_s - last.last_end_s >= self.config.min_pause_s):
            last.closed = True

    def _extend_units(self, speaker: _Speaker, start_s: float, end_s: float) -> None:
        """Certain speech ``[start_s, end_s)``: extends the speaker's open unit (a gap under
        ``min_pause_s``, as :func:`~talkover.timeline.merge_spans` joins) or begins one."""
        last = speaker.units[-1] if speaker.units else None
        if last is not None and not last.closed:
            gap = start_s - last.last_end_s
            if gap <= 0.0 or gap < self.config.min_pause_s:
                last.last_end_s = max(last.last_end_s, end_s)
                return
            last.closed = True
        unit = _Unit(speaker, start_s, end_s)
        speaker.units.append(unit)
        speaker.starts.append(start_s)
        self._counter += 1
        insort(self._pending, (start_s, self._counter, unit))

    # -- deciding ---------------------------------------------------------------------------
    def _decide(self) -> list[Decision]:
        decisions: list[Decision] = []
        for _, _, unit in self._pending:
            self._check_alert(unit, decisions)
        while self._pending:
            unit = _first(u for _, _, u in self._pending if u.start_s == self._pending[0][0])
            if unit is None or not self._resolve(unit, decisions):
                break
            self._pending = [entry for entry in self._pending if entry[2] is not unit]
        return decisions

    def _latest_before(self, speaker: _Speaker, t: float) -> _Unit | None:
        i = bisect_left(speaker.starts, t)
        return speaker.units[i - 1] if i > 0 else None

    def _speaks_at(self, speaker: _Speaker, t: float) -> tuple[bool | None, _Unit | None]:
        """Whether ``speaker`` has a unit that started before ``t`` and ends after it
        (``None``: not certain yet), and that unit."""
        unit = self._latest_before(speaker, t)
        may_begin_before = speaker.earliest_new_s < t
        if unit is None:
            return (None if may_begin_before else False), None
        if unit.last_end_s > t:
            return True, unit
        if not unit.closed or may_begin_before:
            return None, unit
        return False, unit

    def _holder(self, unit: _Unit) -> tuple[bool, _Unit | None]:
        """Whether the floor holder at ``unit``'s onset is certain, and who it is."""
        speaking: list[_Unit] = []
        for speaker in self._speakers.values():
            if speaker.name == unit.speaker:
                continue
            state, other = self._speaks_at(speaker, unit.start_s)
            if state is None:
                return False, None
            if state and other is not None:
                speaking.append(other)
        if not speaking:
            return True, None
        first = _first(v for v in speaking if v.start_s == min(u.start_s for u in speaking))
        return first is not None, first

    def _watched(self, by: str, over: str) -> bool:
        return self.watch is None or self.watch in (by, over)

    def _check_alert(self, unit: _Unit, decisions: list[Decision]) -> None:
        if unit.alerted:
            return
        certain, holder = self._holder(unit)
        if not certain or holder is None or not self._watched(unit.speaker, holder.speaker):
            return
        t = unit.start_s
        if (unit.last_end_s - t > self.alert_after_s
                and holder.last_end_s - t > self.config.grace_s):
            self._alert(unit, holder.speaker, decisions)

    def _alert(self, unit: _Unit, over: str, decisions: list[Decision]) -> None:
        unit.alerted = True
        alert = Alert(self._now_s, unit.speaker, over, unit.start_s)
        self.alerts.append(alert)
        decisions.append(alert)

    def _resolve(self, unit: _Unit, decisions: list[Decision]) -> bool:
        """Decide ``unit``'s event if nothing to come can change it; False when not yet."""
        certain, holder = self._holder(unit)
        if not certain:
            return False
        if holder is None:
            event = self._switch(unit)
        else:
            if not _classifiable(unit, holder):
                return False
            event = detect_events(_units([holder.ipu(), unit.ipu()]), self.config)[-1]
            if (event.type in ("interruption", "failed_interruption") and not unit.alerted
                    and self._watched(unit.speaker, holder.speaker)):
                self._alert(unit, holder.speaker, decisions)
        unit.alerted = True  # decided: no alert from now on
        if event is not None:
            live = LiveEvent(self._now_s, event)
            self.events.append(live)
            decisions.append(live)
        self._pass_floor(unit, event, decisions)
        return True

    def _switch(self, unit: _Unit) -> Event | None:
        """The event of an onset in silence (a switch, or nothing), computed by
        :func:`detect_events` on each speaker's latest unit that ended by then and ``unit``.

        Those units are given in the order the offline sweep first saw each speaker's speech
        end (it decides who was "last" when two ended at the same moment), all starting at
        the earliest of their starts so that none is set aside before ``unit``'s onset.
        """
        context = [
            before for speaker in self._speakers.values()
            if (before := self._latest_before(speaker, unit.start_s)) is not None
        ]
        if not context:
            return None
        context.sort(key=self._first_ended)
        start = min(v.start_s for v in context)
        ipus = [v.ipu(start_s=start) for v in context] + [unit.ipu()]
        last = detect_events(_units(ipus), self.config)[-1:]
        if last and last[0].by == unit.speaker and last[0].start_s == unit.start_s:
            return last[0]
        return None

    def _first_ended(self, unit: _Unit) -> tuple:
        """When the offline sweep first set aside one of ``unit``'s speaker's units: at the
        onset of the first unit starting after that speaker's first unit ended (then in the
        order of those first units)."""
        first = unit.owner.units[0]
        after = [
            speaker.units[i] for speaker in self._speakers.values()
            if (i := bisect_left(speaker.starts, first.last_end_s)) < len(speaker.units)
        ]
        removed_at = min((v.key for v in after), default=(float("inf"),))
        return (removed_at, first.key)

    def _pass_floor(self, unit: _Unit, event: Event | None, decisions: list[Decision]) -> None:
        holder = self.floor_changes[-1].by if self.floor_changes else None
        if holder is None:
            change = FloorChange(self._now_s, unit.speaker, None, unit.start_s, "start")
        elif event is not None and event.type in FLOOR_TAKING_TYPES and event.by != holder:
            change = FloorChange(self._now_s, event.by, holder, event.start_s, event.type)
        else:
            return
        self.floor_changes.append(change)
        decisions.append(change)

    # -- reading ----------------------------------------------------------------------------
    @property
    def speakers(self) -> tuple[str, ...]:
        """Speakers with certain speech, in order of first speech."""
        ranked = [s for s in self._speakers.values() if s.runs or s.open_run]
        return tuple(s.name for s in sorted(ranked, key=lambda s: s.rank))

    @property
    def floor(self) -> str | None:
        return self.floor_changes[-1].by if self.floor_changes else None

    def timeline(self, *, uri: str = "live", duration_s: float | None = None) -> SpeakerTimeline:
        """The certain speech so far as a timeline (what the events were decided on)."""
        segments = []
        for speaker in self._speakers.values():
            spans = list(speaker.runs)
            if speaker.open_run is not None:
                spans.append(speaker.open_run)
            segments += [Segment(a, b, speaker.name) for a, b in spans]
        return SpeakerTimeline(tuple(segments), duration_s=duration_s, uri=uri)

    def counts(self) -> dict[tuple[str, str, str], int]:
        """Decided events per ``(type, by, of)``."""
        out: dict[tuple[str, str, str], int] = {}
        for live in self.events:
            key = (live.event.type, live.event.by, live.event.of)
            out[key] = out.get(key, 0) + 1
        return out

    def snapshot(self, *, span_s: float = 30.0) -> FloorSnapshot:
        """The state for a view: lanes of the last ``span_s`` seconds, shares, counts."""
        names = self.speakers
        since = self._now_s - span_s
        lanes, talk = [], []
        for name in names:
            speaker = self._speakers[name]
            spans = list(speaker.runs) + ([speaker.open_run] if speaker.open_run else [])
            talk.append(sum(b - a for a, b in spans))
            lanes.append(tuple((a, b) for a, b in spans if b > since))
        watched = [a for a in self.alerts if self.watch is None or self.watch in (a.by, a.over)]
        return FloorSnapshot(
            t_s=self._now_s, span_s=span_s, speakers=names, talk_s=tuple(talk),
            lanes=tuple(lanes),
            counts=tuple(sorted((k[0], k[1], k[2], n) for k, n in self.counts().items())),
            floor=self.floor, alert=watched[-1] if watched else None, watch=self.watch,
        )


def _first(units: Iterable[_Unit]) -> _Unit | None:
    """The first of units starting together in :func:`build_ipus`' order; ``None`` while
    that order is not certain (a speaker's first segment still going on)."""
    tied = list(units)
    if len(tied) > 1:
        first_start = min(u.owner.rank[0] for u in tied)
        level = [u for u in tied if u.owner.rank[0] == first_start]
        if len(level) > 1 and not all(u.owner.rank_final for u in level):
            return None
    return min(tied, key=lambda u: u.owner.rank, default=None)


def _units(ipus: list[IPU]) -> Units:
    """``ipus`` (in onset order) as the :class:`~talkover.units.Units` detect_events reads."""
    return Units(SpeakerTimeline(()), 0.0, tuple(ipus), ipus_by_speaker(ipus),
                 [u.start_s for u in ipus])


def _round_ms(x: float) -> float:
    """To the millisecond as the offline timeline rounds (numpy's rounding, which can differ
    from Python's ``round`` in the last digit)."""
    return float(np.round(x, 3))


def _classifiable(unit: _Unit, holder: _Unit) -> bool:
    """Whether who outlasts whom is settled: the one that ended first has closed and the other
    is known to have gone on past it (or has closed too)."""
    if holder.closed and (unit.closed or unit.last_end_s > holder.last_end_s):
        return True
    return unit.closed and holder.last_end_s >= unit.last_end_s
