"""How far to trust an event found in a diarized recording: a calibrated ``confidence``.

On an annotation the events follow exactly from the definitions (``confidence`` stays None:
nothing to assess; ``talkover analyze file.rttm`` is unchanged).
From audio, a diarizer's small errors can move an onset, split or merge a unit, or put speech
under the wrong speaker, and the event changes or disappears. :func:`assess_events` gives each
event the probability that it is right (same type, same speakers, onset within 1 s of an event
of the reference), from a logistic model over what the timeline shows around the event:

- its type, and how long the two units involved and their overlap are;
- how far it sits from the thresholds that decide its type, e.g. for a backchannel
  ``|duration - backchannel_max_s|``, for an interruption ``|holder's end - onset - grace_s|``,
  for a switch the gap (a short gap turns into an overlap with a little jitter);
- how much the two speakers speak in all (a speaker with a few seconds is often a split-off
  cluster) and how many speakers the recording has.

```
A  |=================|                     holder ends 1.6 s after B's onset (1.1 s past grace)
B          |===============|               -> interruption, margin 1.1 s: high confidence
A  |=============|
B            |=========|                   holder ends 0.55 s after B's onset (0.05 s past
                                              grace) -> interruption, margin 0.05 s: low
```

The coefficients below were fitted by ``benchmarks/fit_event_confidence.py`` on the diarizer's
output for the synthetic benchmark set (``benchmarks/synthetic_set.py``, seeds 1000-1019) and a
second synthetic set (seeds 3000-3019), and checked on a held-back synthetic set (seeds
2000-2009) and the real cases; the reliability tables are in
``docs/benchmarks-events.md``. They describe talkover's own diarizer with
:func:`talkover.cleanup.clean_timeline` applied; other timelines (per-channel VAD, other
diarizers) are not assessed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from talkover.config import EventConfig
from talkover.events.types import Event
from talkover.units import IPU, Units

__all__ = [
    "FEATURE_NAMES",
    "COEFFICIENTS",
    "INTERCEPT",
    "event_features",
    "assess_events",
]

#: The model's inputs, in order (seconds unless said; ``log`` is the natural log).
FEATURE_NAMES: tuple[str, ...] = (
    "is_switch",
    "is_interruption",
    "is_failed_interruption",
    "is_backchannel",
    "is_overlap",
    "log_unit_s",          # log of by's unit duration
    "log_holder_unit_s",   # log of of's unit (the one spoken over, or the one just finished)
    "log_overlap_s",       # log(overlap_s + 0.05)
    "backchannel_margin_s",  # backchannel / failed_interruption: |unit - backchannel_max|
    "grace_margin_s",      # interruption / overlap: |holder's end - onset - grace|
    "outlast_margin_s",    # overlap types: |holder's end - by's end|
    "gap_s",               # switch: the silence before the onset
    "log_min_talk_s",      # log of the smaller total talk time of by and of
    "num_speakers",        # speakers in the recording, capped at 6
    "onsets_nearby",       # units of anyone starting within 2 s of the onset (a busy stretch)
)

#: Fitted weights, one per :data:`FEATURE_NAMES` entry (benchmarks/fit_event_confidence.py).
COEFFICIENTS: tuple[float, ...] = (
    -0.0779, 0.1357, -0.3604, 0.4056, -0.1012, 0.1716, 0.1176, -0.2329,
    -0.2686, -0.3695, 0.0849, 0.5642, 0.3185, -0.4226, -0.4560,
)
#: Fitted intercept.
INTERCEPT: float = 0.2999

_MARGIN_CAP_S = 2.0


def assess_events(
    events: Sequence[Event], units: Units, config: EventConfig
) -> tuple[Event, ...]:
    """``events`` with ``confidence`` set by the fitted model (events of other types get None).

    Parameters
    ----------
    events
        Events detected on ``units`` (of a diarized, cleaned timeline).
    units
        The inter-pausal units the events were detected on.
    config
        The thresholds the events were detected with.
    """
    timeline = units.timeline
    talk = {s: timeline.speech_duration_s(s) for s in timeline.speakers}
    out = []
    for event in events:
        x = event_features(event, units, talk, config, num_speakers=len(timeline.speakers))
        if x is None:
            out.append(replace(event, confidence=None))
            continue
        z = INTERCEPT + sum(w * v for w, v in zip(COEFFICIENTS, x, strict=True))
        out.append(replace(event, confidence=round(1.0 / (1.0 + math.exp(-z)), 3)))
    return tuple(out)


def event_features(
    event: Event,
    units: Units,
    talk_s: dict[str, float],
    config: EventConfig,
    *,
    num_speakers: int,
) -> list[float] | None:
    """The model's inputs for one event (:data:`FEATURE_NAMES`), or None for a type it does
    not cover (``silent_interruption``, found only from a transcript).

    The event's own units (``by_unit``, ``of_unit``) are its two units; ``units`` counts the
    onsets nearby; ``talk_s`` maps each speaker to their talk time.
    """
    kinds = ("switch", "interruption", "failed_interruption", "backchannel", "overlap")
    if event.type not in kinds:
        return None
    t = event.start_s
    unit = event.by_unit or IPU(t, t, event.by)
    holder = event.of_unit
    unit_s, holder_s = unit.duration_s, holder.duration_s if holder else 0.0
    bc = abs(unit_s - config.backchannel_max_s) if event.type in kinds[2:4] else 0.0
    grace = (
        abs(holder.end_s - t - config.grace_s)
        if holder and event.type in ("interruption", "overlap") else 0.0
    )
    outlast = abs(holder.end_s - unit.end_s) if holder and event.type != "switch" else 0.0
    gap = (event.gap_s or 0.0) if event.type == "switch" else 0.0
    return [
        *(float(event.type == k) for k in kinds),
        math.log(max(unit_s, 0.01)),
        math.log(max(holder_s, 0.01)),
        math.log(event.overlap_s + 0.05),
        min(bc, _MARGIN_CAP_S),
        min(grace, _MARGIN_CAP_S),
        min(outlast, _MARGIN_CAP_S),
        min(gap, _MARGIN_CAP_S),
        math.log(max(min(talk_s.get(event.by, 0.0), talk_s.get(event.of, 0.0)), 0.1)),
        float(min(num_speakers, 6)),
        float(units.starting_near(t) - 1),
    ]
