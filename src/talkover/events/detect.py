"""The event definitions, applied to inter-pausal units.

For each IPU ``u`` of speaker B starting at time t:

- Nobody else speaks at t: when the last speech that ended before t was another speaker's (A),
  it is a **switch** A -> B with ``gap_s`` = t - end of A's speech. Otherwise nothing.
- Others speak at t (an IPU that started before t and ends after t): A is the one whose IPU ``v``
  started earliest, the floor holder. Then

```
A outlasts B (v.end >= u.end)                 B outlasts A (v.end < u.end)
A  |====================|                     A  |=============|            A  |============|
B        |==|          backchannel (<= 1 s)   B           |=========|       B          |=====|
B        |=========|   failed_interruption         interruption                 overlap
                                               (A ends > grace after t)   (A ends <= grace after t)
```

Each event carries the two units it relates (``by_unit`` = ``u``, ``of_unit`` = ``v``, or A's
last unit for a switch), which the later stages (words, confidence) and the floor read.
"""

from __future__ import annotations

from talkover.config import EventConfig
from talkover.events.types import Event, EventType
from talkover.timeline import to_ms
from talkover.units import IPU, Units

__all__ = ["detect_events"]


def detect_events(units: Units, config: EventConfig) -> tuple[Event, ...]:
    """Events for every IPU onset, in time order.

    One sweep over the onsets keeps the IPUs still open and, per speaker, the latest end of
    speech already finished, so the cost grows with the number of IPUs times the number of
    simultaneous speakers.

    Parameters
    ----------
    units
        The timeline's inter-pausal units (:class:`~talkover.units.Units`).
    config
        Thresholds; ``backchannel_max_s`` and ``grace_s`` are used here.
    """
    events: list[Event] = []
    open_units: list[IPU] = []
    ended_at: dict[str, IPU] = {}  # speaker -> their IPU that ended last
    rank: dict[str, int] = {}  # speaker -> order in which they first finished speaking
    last: IPU | None = None  # the IPU that ended last of all (ties: the earliest-ranked speaker)
    for unit in units.ipus:
        t = unit.start_s
        for done in [v for v in open_units if v.end_s <= t]:
            open_units.remove(done)
            if done.speaker not in ended_at or done.end_s > ended_at[done.speaker].end_s:
                ended_at[done.speaker] = done
                rank.setdefault(done.speaker, len(rank))
                if last is None or done.end_s > last.end_s or (
                    done.end_s == last.end_s and rank[done.speaker] < rank[last.speaker]
                ):
                    last = done
        active = [v for v in open_units if v.speaker != unit.speaker and v.start_s < t]
        if active:
            events.append(_overlap_event(unit, min(active, key=lambda v: v.start_s), config))
        else:
            event = _switch_event(unit, ended_at, last)
            if event is not None:
                events.append(event)
        open_units.append(unit)
    return tuple(events)


def _overlap_event(unit: IPU, holder: IPU, config: EventConfig) -> Event:
    t = unit.start_s
    end_s = min(unit.end_s, holder.end_s)
    # Durations are compared at 1 ms, as the times are kept (1.1 - 0.6 is 0.5, not more).
    if holder.end_s >= unit.end_s:
        short = to_ms(unit.duration_s) <= config.backchannel_max_s
        kind: EventType = "backchannel" if short else "failed_interruption"
    else:
        kind = "overlap" if to_ms(holder.end_s - t) <= config.grace_s else "interruption"
    return Event(
        kind, t, end_s, unit.speaker, holder.speaker, to_ms(end_s - t),
        by_unit=unit, of_unit=holder,
    )


def _switch_event(unit: IPU, ended_at: dict[str, IPU], last: IPU | None) -> Event | None:
    """A switch when the speech that ended last before ``unit`` (``last``) was someone
    else's."""
    if last is None:
        return None
    own = ended_at.get(unit.speaker)
    if own is not None and own.end_s >= last.end_s:
        return None
    t = unit.start_s
    return Event(
        "switch", t, t, unit.speaker, last.speaker, 0.0, to_ms(t - last.end_s),
        by_unit=unit, of_unit=last,
    )
