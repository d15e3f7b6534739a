"""Live mode: who holds the floor now, and "you're talking over Hilaria" within seconds.

The modules, in data-flow order::

    clock      RealClock / SimulatedClock: what paces a session (injected)
    source     MicrophoneSource (sounddevice) / FileSource (a recording, paced by a clock)
                 -> AudioBlock
    stream     StreamingDiarizer: rolling windows, segmentation + CAM++, causal
    speakers     incremental global speakers (enrolled voices seed named ones)
    channels   ChannelActivity: one microphone per person, streaming Silero VAD
                 -> ActivityChunk (activity.py)
    speech     SpeechTrack: the offline clean-up rules, causally
    tracker    FloorTracker: units, events (offline definitions), floor, alerts
                 -> Alert / FloorChange / LiveEvent
    view, log  observers: rich terminal view, JSON Lines log
    session    run_session(): the loop -> SessionResult
    record     the audio, the offline analysis of it, live vs offline counts

Importing this package loads no model and does not import torch: the names below load on
first use.

>>> from talkover.live import FileSource, StreamingDiarizer, run_session  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from talkover.live.clock import Clock, RealClock, SimulatedClock

_LAZY = {
    "FileSource": "source", "MicrophoneSource": "source", "list_input_devices": "source",
    "StreamingDiarizer": "stream", "StreamConfig": "stream", "TrackingConfig": "speakers",
    "ChannelActivity": "channels", "FloorTracker": "tracker", "Alert": "tracker",
    "FloorChange": "tracker", "LiveEvent": "tracker", "run_session": "session",
    "SessionResult": "session",
}

__all__ = ["Clock", "RealClock", "SimulatedClock", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f"talkover.live.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
