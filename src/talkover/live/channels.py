"""One microphone per person (``--channels``): per-channel streaming voice activity.

Silero VAD (the packaged model :mod:`talkover.multichannel.vad` verifies and loads) runs on each
512-sample window of every channel as it arrives, its recurrent state carried from window to
window, all channels as one batch: exactly the probabilities the offline
:func:`~talkover.multichannel.vad.speech_probabilities` computes on the whole recording. The
same hysteresis (``onset``/``offset``) decides each window, and the tracker applies the same
smoothing (:meth:`~talkover.live.speech.Smoothing.for_channels`), so live speech equals what
``talkover analyze --channels`` finds without bleed suppression (cross-talk removal needs a
whole run of speech, so it is left to the offline record). One window costs well under a
millisecond per channel.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from talkover.live.activity import VAD_GRID, ActivityChunk
from talkover.live.speech import Smoothing
from talkover.multichannel import MultichannelConfig
from talkover.multichannel.pipeline import check_names
from talkover.multichannel.vad import (
    VAD_HOP_S,
    VAD_SAMPLE_RATE_HZ,
    VAD_WINDOW_SAMPLES,
    load_vad,
)

__all__ = ["ChannelActivity"]


class ChannelActivity:
    """Push ``(channels, n)`` audio, get per-channel speech frames (32 ms windows).

    Parameters
    ----------
    names
        One speaker name per channel.
    config
        The VAD thresholds and smoothing (:class:`~talkover.multichannel.MultichannelConfig`).

    Raises
    ------
    InputError
        Names empty or repeated.
    ModelError
        The packaged Silero VAD weights are missing or corrupt.
    """

    grid = VAD_GRID

    def __init__(self, names: Sequence[str], *, config: MultichannelConfig | None = None) -> None:
        import torch

        self._torch = torch
        check_names(list(names))
        self.names = tuple(names)
        self.config = config or MultichannelConfig()
        self.smoothing = Smoothing.for_channels(
            min_burst_s=self.config.min_burst_s, min_pause_s=self.config.min_pause_s,
            min_segment_s=self.config.min_segment_s, hop_s=VAD_HOP_S,
        )
        self._model = load_vad()
        self._model.reset_states()
        self._pending = np.zeros((len(self.names), 0), np.float32)
        self._active = np.zeros(len(self.names), bool)
        self._next_window = 0
        self._received = 0

    def push(self, samples: np.ndarray) -> list[ActivityChunk]:
        block = np.atleast_2d(np.asarray(samples, dtype=np.float32))
        self._received += block.shape[1]
        self._pending = np.concatenate([self._pending, block], axis=1)
        whole = self._pending.shape[1] // VAD_WINDOW_SAMPLES
        if whole == 0:
            return []
        windows = self._pending[:, : whole * VAD_WINDOW_SAMPLES]
        self._pending = self._pending[:, whole * VAD_WINDOW_SAMPLES :]
        return [self._decide(windows)]

    def flush(self) -> list[ActivityChunk]:
        if self._pending.shape[1] == 0:
            return []
        padded = np.zeros((len(self.names), VAD_WINDOW_SAMPLES), np.float32)
        padded[:, : self._pending.shape[1]] = self._pending
        self._pending = self._pending[:, :0]
        return [self._decide(padded)]

    def close(self) -> None:
        self._model.reset_states()

    def _decide(self, windows: np.ndarray) -> ActivityChunk:
        """Probabilities and hysteresis for whole windows ``(channels, k * 512)``."""
        count = windows.shape[1] // VAD_WINDOW_SAMPLES
        activity = np.zeros((count, len(self.names)), bool)
        batch = self._torch.from_numpy(np.ascontiguousarray(windows))
        with self._torch.inference_mode():
            for k in range(count):
                window = batch[:, k * VAD_WINDOW_SAMPLES : (k + 1) * VAD_WINDOW_SAMPLES]
                p = self._model(window, VAD_SAMPLE_RATE_HZ).reshape(len(self.names)).numpy()
                self._active = np.where(self._active, p >= self.config.offset,
                                        p >= self.config.onset)
                activity[k] = self._active
        chunk = ActivityChunk(self._next_window, activity, self.names, self.grid,
                              self._received / VAD_SAMPLE_RATE_HZ)
        self._next_window += count
        return chunk
