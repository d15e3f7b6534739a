"""The decoded-audio value type handed from decoding to diarization."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Waveform", "SAMPLE_RATE_HZ"]

#: The rate every model in talkover expects.
SAMPLE_RATE_HZ = 16_000


@dataclass(frozen=True, slots=True, eq=False)
class Waveform:
    """Mono audio samples in [-1, 1].

    Parameters
    ----------
    samples
        Shape ``(num_samples,)``, dtype float32 (float16 for recordings decoded past
        :data:`talkover.io.decode.COMPACT_AFTER_S`: convert slices, not the whole, to float32).
    sample_rate_hz
        Samples per second (16 000 after :func:`decode_audio`).
    path
        The file it was decoded from, if any.
    source_channels
        How many channels were averaged into it (2 for a stereo file decoded as mono).
    """

    samples: np.ndarray
    sample_rate_hz: int = SAMPLE_RATE_HZ
    path: str | None = None
    source_channels: int = 1

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate_hz
