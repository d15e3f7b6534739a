"""A live session: source -> streaming stage -> floor tracker -> observers, until the audio ends
or the session is stopped (Ctrl-C sets ``stop``).

```
source.blocks() --AudioBlock--> pipeline.push() --ActivityChunk--> tracker.update()
                                                            --LiveUpdate--> observers
```

The session keeps the audio (16-bit, as it will be saved) for the record at the end
(:mod:`talkover.live.record`), and measures itself: CPU time spent, and how far the processing
fell behind the clock (``max_lag_s``; with a real clock, a session that keeps up stays within
a step or two).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from talkover.io.waveform import SAMPLE_RATE_HZ
from talkover.live.activity import ActivityChunk
from talkover.live.source import AudioBlock, AudioSource
from talkover.live.speech import Smoothing
from talkover.live.tracker import (
    Alert,
    Decision,
    FloorChange,
    FloorSnapshot,
    FloorTracker,
    LiveEvent,
)
from talkover.timeline import SpeakerTimeline

__all__ = ["ActivityPipeline", "LiveUpdate", "Observer", "SessionResult", "run_session"]


class ActivityPipeline(Protocol):
    """The streaming stage: audio in, decided frames out
    (:class:`~talkover.live.stream.StreamingDiarizer`,
    :class:`~talkover.live.channels.ChannelActivity`)."""

    smoothing: Smoothing

    def push(self, samples: np.ndarray) -> list[ActivityChunk]: ...

    def flush(self) -> list[ActivityChunk]: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class LiveUpdate:
    """What observers get after each decided chunk: the stream time decided so far, the
    clock's wall time, what was decided, and the state to show."""

    t_s: float
    wall_s: float
    decisions: tuple[Decision, ...]
    snapshot: FloorSnapshot


class Observer(Protocol):
    """Shows or records updates (terminal view, JSONL log, alerts)."""

    def on_update(self, update: LiveUpdate) -> None: ...


@dataclass(frozen=True, slots=True, eq=False)
class SessionResult:
    """What a session leaves.

    Attributes
    ----------
    samples
        The audio, shape ``(channels, num_samples)``, int16 (as saved).
    events, alerts, floor_changes
        The tracker's decisions, in the order made.
    timeline
        The live speaker timeline (the speech the decisions were made on).
    speakers
        The live speakers in order of first speech.
    dropped_blocks
        Blocks the source lost because processing fell behind.
    stopped
        Whether ``stop`` ended the session (rather than the end of the audio).
    compute_s
        Process CPU seconds used while the session ran.
    wall_s
        The clock's seconds from start to end.
    max_lag_s
        The most, in stream seconds, that processing fell behind the clock.
    """

    samples: np.ndarray
    events: tuple[LiveEvent, ...]
    alerts: tuple[Alert, ...]
    floor_changes: tuple[FloorChange, ...]
    timeline: SpeakerTimeline
    speakers: tuple[str, ...]
    dropped_blocks: int
    stopped: bool
    compute_s: float
    wall_s: float
    max_lag_s: float

    @property
    def duration_s(self) -> float:
        return self.samples.shape[1] / SAMPLE_RATE_HZ

    def waveforms(self) -> np.ndarray:
        """The audio as float32 in [-1, 1], shape ``(channels, num_samples)``."""
        return self.samples.astype(np.float32) / 32768.0


def to_int16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as 16-bit PCM (clipped)."""
    return np.round(np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)


def run_session(
    source: AudioSource,
    pipeline: ActivityPipeline,
    tracker: FloorTracker,
    *,
    observers: Sequence[Observer] = (),
    stop: threading.Event | None = None,
) -> SessionResult:
    """Run until the source's audio ends or ``stop`` is set; then decide what is left.

    ``stop`` is what Ctrl-C sets (the CLI installs the handler): the blocks already captured
    are processed, the tracker decides what the audio so far allows, and the result is
    returned for the record.
    """
    stop = stop or threading.Event()
    blocks: list[np.ndarray] = []
    cpu0 = time.process_time()
    max_lag = 0.0
    received = 0
    try:
        for block in source.blocks(stop):
            blocks.append(to_int16(block.samples))
            received += block.samples.shape[1]
            for chunk in pipeline.push(block.samples):
                _publish(tracker.update(chunk), tracker, chunk.decided_s, source, observers)
            max_lag = max(max_lag, _lag(source, block))
        end_s = received / SAMPLE_RATE_HZ
        for chunk in pipeline.flush():
            _publish(tracker.update(chunk), tracker, chunk.decided_s, source, observers)
        _publish(tracker.finish(end_s), tracker, end_s, source, observers)
    finally:
        pipeline.close()
    samples = (np.concatenate(blocks, axis=1) if blocks
               else np.zeros((source.num_channels, 0), np.int16))
    return SessionResult(
        samples=samples,
        events=tuple(tracker.events),
        alerts=tuple(tracker.alerts),
        floor_changes=tuple(tracker.floor_changes),
        timeline=tracker.timeline(uri="live", duration_s=end_s),
        speakers=tracker.speakers,
        dropped_blocks=source.dropped_blocks,
        stopped=stop.is_set(),
        compute_s=time.process_time() - cpu0,
        wall_s=source.clock.wall_s(),
        max_lag_s=max_lag,
    )


def _lag(source: AudioSource, block: AudioBlock) -> float:
    """How far behind the clock the block was processed, in stream seconds (a block is due
    when the clock reaches its end)."""
    return max(0.0, source.clock.now_s() - block.end_s)


def _publish(
    decisions: list[Decision],
    tracker: FloorTracker,
    t_s: float,
    source: AudioSource,
    observers: Sequence[Observer],
) -> None:
    update = LiveUpdate(t_s, source.clock.wall_s(), tuple(decisions), tracker.snapshot())
    for observer in observers:
        observer.on_update(update)
