"""One speaker's speech, decided frame by frame with the offline clean-up rules, causally.

Offline, a speaker's frame activity becomes segments in three steps: runs shorter than
``min_burst`` frames are dropped (multichannel only), gaps shorter than ``bridge`` frames are
closed, and runs shorter than ``min_speech`` frames are dropped (the diarizer's
``min_duration_on_s`` and :func:`talkover.cleanup.clean_timeline`). :class:`SpeechTrack` applies
the same rules as frames arrive, and says at each moment what is already certain:

```
frames     ..####..#########......
run             |=|  gap < bridge: one run once the second part is accepted
visible         |==============   run >= min_speech: it is kept whatever comes next
closed          |===============|  bridge frames of silence: nothing can join it any more
```

A run becomes *visible* once it has lasted ``min_speech`` frames (it can only grow from then
on), and *closed* once no later speech could be bridged to it. Everything is in frame indices;
:class:`Smoothing` turns the offline thresholds (seconds) into frame counts exactly as the
offline code compares them.

>>> track = SpeechTrack(Smoothing(min_burst=0, bridge=2, min_speech=3))
>>> out = track.push(np.array([1, 1, 1, 1, 0, 0, 0], bool), first_frame=0)
>>> out.closed, out.open_run, out.earliest_new
([(0, 4)], None, 7)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from talkover.cleanup import MIN_ISLAND_S
from talkover.live.activity import FrameGrid

__all__ = ["Smoothing", "SpeechTrack", "SpeechUpdate"]


@dataclass(frozen=True, slots=True)
class Smoothing:
    """Clean-up rules in frames: drop raw runs shorter than ``min_burst``, bridge gaps shorter
    than ``bridge``, drop runs shorter than ``min_speech``."""

    min_burst: int
    bridge: int
    min_speech: int

    @classmethod
    def for_diarizer(
        cls,
        grid: FrameGrid,
        *,
        min_duration_off_s: float = 0.1,
        min_duration_on_s: float = 0.1,
        min_island_s: float = MIN_ISLAND_S,
    ) -> Smoothing:
        """The diarizer's reconstruction (bridge gaps < ``min_duration_off_s``, drop segments
        < ``min_duration_on_s``) followed by :func:`talkover.cleanup.clean_timeline` (drop
        islands < ``min_island_s``), in frames of ``grid``."""
        bridge = _frames_at_least(min_duration_off_s, grid.step_s)
        keep = _frames_at_least(max(min_duration_on_s, min_island_s), grid.step_s)
        return cls(min_burst=0, bridge=bridge, min_speech=keep)

    @classmethod
    def for_channels(
        cls, *, min_burst_s: float, min_pause_s: float, min_segment_s: float, hop_s: float
    ) -> Smoothing:
        """:func:`talkover.multichannel.pipeline.speech_masks`' rules (rounded to windows as
        it rounds them)."""
        return cls(min_burst=round(min_burst_s / hop_s), bridge=round(min_pause_s / hop_s),
                   min_speech=round(min_segment_s / hop_s))


def _frames_at_least(seconds: float, step_s: float) -> int:
    """Fewest frames whose length is at least ``seconds``: a gap (run) of ``n`` frames is
    shorter than ``seconds`` exactly when ``n`` is below this."""
    n = max(0, math.floor(seconds / step_s) - 1)
    while n * step_s < seconds:
        n += 1
    return n


@dataclass(slots=True)
class SpeechUpdate:
    """What a :meth:`SpeechTrack.push` made certain, in frame indices (ends exclusive).

    ``closed``: runs that ended for good since the last push (visible ones only; those too
    short were dropped). ``open_run``: the visible run still going (or still bridgeable), or
    ``None``. ``earliest_new``: the earliest frame at which speech that is not yet certain
    (not part of ``open_run``) could still begin.
    """

    closed: list[tuple[int, int]]
    open_run: tuple[int, int] | None
    earliest_new: int


class SpeechTrack:
    """One speaker's frames in, certain speech runs out (see the module docstring)."""

    def __init__(self, smoothing: Smoothing) -> None:
        self.smoothing = smoothing
        self.next_frame = 0
        self._raw_start: int | None = None  # current raw run, while its frames are active
        self._raw_accepted = False
        self._run: list[int] | None = None  # [start, end) of the current (bridged) run

    def push(self, active: np.ndarray, *, first_frame: int) -> SpeechUpdate:
        """Feed consecutive frames starting at ``first_frame`` (frames skipped since the last
        push count as silence)."""
        closed: list[tuple[int, int]] = []
        if first_frame > self.next_frame:
            self._silence_until(first_frame, closed)
        for offset, on in enumerate(np.asarray(active, dtype=bool)):
            frame = first_frame + offset
            if frame < self.next_frame:
                continue
            if on:
                self._speech_at(frame, closed)
            else:
                self._silence_at(frame, closed)
            self.next_frame = frame + 1
        return self._update(closed)

    def finish(self) -> list[tuple[int, int]]:
        """End of the stream: the visible run still going, if any, is closed."""
        closed: list[tuple[int, int]] = []
        self._raw_start = None
        self._close_run(closed)
        return closed

    # -- per frame --------------------------------------------------------------------------
    def _speech_at(self, frame: int, closed: list[tuple[int, int]]) -> None:
        if self._raw_start is None:
            self._raw_start, self._raw_accepted = frame, False
        if not self._raw_accepted and frame + 1 - self._raw_start >= self.smoothing.min_burst:
            self._raw_accepted = True
            self._accept(self._raw_start, closed)
        if self._raw_accepted and self._run is not None:
            self._run[1] = frame + 1

    def _silence_at(self, frame: int, closed: list[tuple[int, int]]) -> None:
        self._raw_start = None  # a raw run that was not accepted is dropped
        if self._run is not None and frame + 1 - self._run[1] >= self.smoothing.bridge:
            self._close_run(closed)

    def _silence_until(self, frame: int, closed: list[tuple[int, int]]) -> None:
        self._raw_start = None
        if self._run is not None and frame - self._run[1] >= self.smoothing.bridge:
            self._close_run(closed)
        self.next_frame = frame

    def _accept(self, start: int, closed: list[tuple[int, int]]) -> None:
        """A raw run starting at ``start`` is speech: bridge it to the current run or begin
        a new one."""
        if self._run is not None and start - self._run[1] < self.smoothing.bridge:
            return  # bridged: the caller extends the run
        self._close_run(closed)
        self._run = [start, start]

    def _close_run(self, closed: list[tuple[int, int]]) -> None:
        if self._run is not None and self._run[1] - self._run[0] >= self.smoothing.min_speech:
            closed.append((self._run[0], self._run[1]))
        self._run = None

    # -- what is certain --------------------------------------------------------------------
    def _update(self, closed: list[tuple[int, int]]) -> SpeechUpdate:
        run = self._run
        visible = run is not None and run[1] - run[0] >= self.smoothing.min_speech
        earliest = self.next_frame
        if run is not None and not visible:
            earliest = min(earliest, run[0])
        if self._raw_start is not None and not self._raw_accepted:
            earliest = min(earliest, self._raw_start)
        open_run = (run[0], run[1]) if visible and run is not None else None
        return SpeechUpdate(closed, open_run, earliest)
