"""Multichannel recordings (one microphone per speaker) -> a speaker timeline.

Per-channel Silero VAD (:mod:`.vad`), cross-talk suppression (:mod:`.bleed`) and the pipeline
that turns them into speaker segments (:mod:`.pipeline`). See ``docs/multichannel.md``.
"""

from talkover.multichannel.bleed import bleed_mask
from talkover.multichannel.pipeline import MultichannelConfig, align_channels, diarize_channels
from talkover.multichannel.vad import locate_vad_weights, speech_probabilities

__all__ = [
    "MultichannelConfig",
    "align_channels",
    "bleed_mask",
    "diarize_channels",
    "locate_vad_weights",
    "speech_probabilities",
]
