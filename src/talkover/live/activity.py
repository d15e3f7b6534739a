"""Who speaks in each frame, as the streaming stage hands it to the floor tracker.

A :class:`FrameGrid` says where frame ``j`` lies in stream time, with the conventions of the
offline stages: the segmentation model's 16.875 ms frames (as
:func:`talkover.diarize.reconstruct.to_timeline` places them) and Silero VAD's 32 ms windows
(as :func:`talkover.multichannel.diarize_channels` does).

>>> VAD_GRID.start_s(3), round(VAD_GRID.end_s(3), 3)
(0.096, 0.128)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from talkover.io.waveform import SAMPLE_RATE_HZ

__all__ = ["FrameGrid", "SEGMENTATION_GRID", "VAD_GRID", "ActivityChunk"]


@dataclass(frozen=True, slots=True)
class FrameGrid:
    """Frame ``j`` is centred at ``origin_s + j * step_s`` and covers one step around it."""

    step_s: float
    origin_s: float

    def start_s(self, frame: int) -> float:
        """Start of ``frame`` (seconds, never below 0)."""
        return max(0.0, self.origin_s + (frame - 0.5) * self.step_s)

    def end_s(self, frame: int) -> float:
        """End of ``frame`` (seconds)."""
        return self.origin_s + (frame + 0.5) * self.step_s

    def frames_in(self, seconds: float) -> int:
        """Whole frames in ``seconds`` (rounded)."""
        return max(0, round(seconds / self.step_s))


#: The segmentation model's frames: a 270-sample (16.875 ms) hop, each centred in its
#: 991-sample receptive field (``talkover.diarize.segmentation.FRAME_STEP_SAMPLES`` and
#: ``FRAME_SIZE_SAMPLES``, repeated here so that the tracker does not import torch; a test
#: checks they agree).
SEGMENTATION_GRID = FrameGrid(270 / SAMPLE_RATE_HZ, (991 // 2) / SAMPLE_RATE_HZ)
#: Silero VAD's 512-sample windows: window ``k`` covers ``[0.032 k, 0.032 (k + 1))``.
VAD_GRID = FrameGrid(512 / SAMPLE_RATE_HZ, 256 / SAMPLE_RATE_HZ)


@dataclass(frozen=True, slots=True, eq=False)
class ActivityChunk:
    """Decided speech of every speaker known so far, for consecutive frames.

    Attributes
    ----------
    first_frame
        Index of the first frame of ``activity`` on ``grid``.
    activity
        Shape ``(frames, len(speakers))``, bool: who speaks in each frame.
    speakers
        Names of the columns (the list grows as speakers appear; a name keeps its column).
    grid
        Where the frames lie in time.
    decided_s
        Stream time (seconds of audio received) when this was decided.
    """

    first_frame: int
    activity: np.ndarray
    speakers: tuple[str, ...]
    grid: FrameGrid
    decided_s: float

    @property
    def end_frame(self) -> int:
        """One past the last frame."""
        return self.first_frame + self.activity.shape[0]
