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

Importing this package loads no model and does not import torch.
"""

from talkover.live.clock import Clock, RealClock, SimulatedClock

__all__ = ["Clock", "RealClock", "SimulatedClock"]
