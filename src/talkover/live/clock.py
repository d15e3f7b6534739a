"""Clocks: what paces a live session, injected so that tests run faster than real time.

A clock counts seconds from its start. :class:`RealClock` follows the wall clock (a microphone,
or a file replayed at ``--speed 1``; ``speed`` 4 makes its seconds four times shorter when a
file is paced by it). :class:`SimulatedClock` jumps to whatever time it is asked to wait for,
so a file replayed against it runs as fast as the computer can and gives the same result every
time (``--speed 0``).

>>> clock = SimulatedClock()
>>> clock.sleep_until(2.5)
>>> clock.now_s()
2.5
>>> clock.sleep_until(1.0)  # never goes back
>>> clock.now_s()
2.5
"""

from __future__ import annotations

import time
from typing import Protocol

__all__ = ["Clock", "RealClock", "SimulatedClock"]


class Clock(Protocol):
    """Seconds since the session started; waits until a given time."""

    def now_s(self) -> float:
        """Seconds since the clock started."""
        ...

    def wall_s(self) -> float:
        """Wall-clock seconds since the start (simulated seconds for a simulated clock)."""
        ...

    def sleep_until(self, t_s: float) -> None:
        """Return once :meth:`now_s` has reached ``t_s`` (at once when it has)."""
        ...


class RealClock:
    """The wall clock (``time.monotonic``), counted from construction.

    Parameters
    ----------
    speed
        How many clock seconds pass per wall-clock second (1: real time; 4: a file paced by it
        plays four times faster). Must be positive.
    """

    def __init__(self, *, speed: float = 1.0) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be > 0, got {speed}")
        self.speed = float(speed)
        self._start = time.monotonic()

    def now_s(self) -> float:
        return (time.monotonic() - self._start) * self.speed

    def wall_s(self) -> float:
        """Wall-clock seconds since the start (``now_s() / speed``)."""
        return time.monotonic() - self._start

    def sleep_until(self, t_s: float) -> None:
        while (left := (t_s - self.now_s()) / self.speed) > 0:
            time.sleep(min(left, 0.5))


class SimulatedClock:
    """A clock that is never waited for: :meth:`sleep_until` moves it forward at once."""

    def __init__(self) -> None:
        self._now = 0.0

    def now_s(self) -> float:
        return self._now

    def wall_s(self) -> float:
        """The simulated seconds (what ``wall_s`` means in a simulated session)."""
        return self._now

    def sleep_until(self, t_s: float) -> None:
        self._now = max(self._now, float(t_s))
