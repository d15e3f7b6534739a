"""Clocks: the simulated one never waits; the real one paces at its speed."""

from __future__ import annotations

import time

import pytest

from talkover.live import RealClock, SimulatedClock


def test_simulated_clock_jumps_and_never_goes_back() -> None:
    clock = SimulatedClock()
    start = time.monotonic()
    clock.sleep_until(3600.0)
    assert time.monotonic() - start < 0.1
    assert clock.now_s() == clock.wall_s() == 3600.0
    clock.sleep_until(10.0)
    assert clock.now_s() == 3600.0


@pytest.mark.parametrize("speed", [1.0, 4.0])
def test_real_clock_paces_at_its_speed(speed: float) -> None:
    clock = RealClock(speed=speed)
    clock.sleep_until(0.4)
    wall = clock.wall_s()
    assert clock.now_s() >= 0.4
    assert 0.4 / speed <= wall < 0.4 / speed + 0.15


def test_speed_must_be_positive() -> None:
    with pytest.raises(ValueError, match="speed must be > 0"):
        RealClock(speed=0)
