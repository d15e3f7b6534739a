"""The turn-taking stages in order, for one configuration: units -> events -> turns.

```
timeline --build units--> IPUs --detect--> events --refine (words)--> --assess (confidence)-->
                                                                       events --floor--> turns
```

:func:`detect_turn_taking` is the one place these stages run in sequence: the analysis and the
threshold-sensitivity grid (:mod:`talkover.metrics.sensitivity`) both call it.
"""

from __future__ import annotations

from dataclasses import dataclass

from talkover.config import EventConfig
from talkover.events import Event, detect_events, refine_events
from talkover.events.confidence import assess_events
from talkover.turns import Turn, build_turns
from talkover.units import Units

__all__ = ["TurnTaking", "detect_turn_taking"]


@dataclass(frozen=True, slots=True, eq=False)
class TurnTaking:
    """What the stages found: the units, the events on them and the turns (who held the
    floor)."""

    units: Units
    events: tuple[Event, ...]
    turns: tuple[Turn, ...]


def detect_turn_taking(units: Units, config: EventConfig, *, assess: bool) -> TurnTaking:
    """Events and turns on ``units`` under ``config``.

    Parameters
    ----------
    units
        The timeline's units, built with ``config.min_pause_s``
        (:meth:`~talkover.units.Units.build`).
    config
        The thresholds.
    assess
        Give each event a calibrated ``confidence`` (talkover's diarization only:
        :mod:`talkover.events.confidence`).

    Raises
    ------
    ValueError
        ``units`` were built with another ``min_pause_s`` than ``config``'s.
    """
    if units.min_pause_s != config.min_pause_s:
        raise ValueError(
            f"units built with min_pause_s={units.min_pause_s}, config has {config.min_pause_s}"
        )
    events = refine_events(detect_events(units, config), units, config)  # text: words.py
    if assess:
        events = assess_events(events, units, config)
    return TurnTaking(units, events, build_turns(units.ipus, events))
