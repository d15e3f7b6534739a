"""Local speaker segmentation with pyannote segmentation-3.0, run over sliding windows.

The network (SincNet -> 4-layer BiLSTM -> 2 linear layers -> 7-class powerset) is rebuilt
here in plain PyTorch and loads the original checkpoint's ``state_dict``; pyannote.audio itself
is not needed. The model reads a 10 s window and says, every 16.875 ms, which of up to three
*local* speakers speak (at most two at once). Local speaker 1 of one window need not be local
speaker 1 of the next: :mod:`talkover.diarize.clustering` links them.

Frame ``j`` of a window starting at sample ``s`` covers samples ``[s + 270 j, s + 270 j + 991)``.
"""

from __future__ import annotations

import math
import pickle
import types
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from talkover.errors import ModelError

__all__ = [
    "FRAME_STEP_SAMPLES",
    "FRAME_SIZE_SAMPLES",
    "WINDOW_SAMPLES",
    "NUM_LOCAL_SPEAKERS",
    "POWERSET",
    "SegmentationModel",
    "WindowActivity",
    "load_segmentation_model",
    "segment_windows",
    "num_frames",
    "window_starts",
]

#: Hop between output frames, in samples at 16 kHz (16.875 ms).
FRAME_STEP_SAMPLES = 270
#: Receptive field of one output frame, in samples (61.9 ms).
FRAME_SIZE_SAMPLES = 991
#: The 10 s window the model was trained on, in samples.
WINDOW_SAMPLES = 160_000
#: Local speakers per window.
NUM_LOCAL_SPEAKERS = 3
#: Powerset class -> local speakers active: {}, {1}, {2}, {3}, {1,2}, {1,3}, {2,3}.
POWERSET = np.array(
    [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1]],
    dtype=np.float32,
)


def num_frames(num_samples: int) -> int:
    """Output frames for a window of ``num_samples`` samples (589 for 10 s)."""
    n = (num_samples - 251) // 10 + 1
    for kernel in (3, 5, 3, 5, 3):
        n = n // 3 if kernel == 3 else n - 4
    return n


class _SincFilterbank(nn.Module):
    """Parametrised sinc band-pass filters (Ravanelli & Bengio), frozen for inference.

    Holds the checkpoint's learnt cut-offs; :meth:`filters` turns them into 80 real kernels
    (40 cosine + 40 sine) of 251 taps.
    """

    def __init__(self, num_bands: int = 40, taps: int = 251, sample_rate_hz: int = 16_000) -> None:
        super().__init__()
        self.sample_rate_hz = sample_rate_hz
        self.min_low_hz = 50.0
        self.min_band_hz = 50.0
        self.low_hz_ = nn.Parameter(torch.zeros(num_bands, 1))
        self.band_hz_ = nn.Parameter(torch.zeros(num_bands, 1))
        half = taps // 2
        n_lin = torch.linspace(0, taps / 2 - 1, steps=taps // 2)
        self.register_buffer("window_", 0.54 - 0.46 * torch.cos(2 * math.pi * n_lin / taps))
        n = (taps - 1) / 2.0
        self.register_buffer("n_", 2 * math.pi * torch.arange(-n, 0).view(1, -1) / sample_rate_hz)
        self.half = half

    def filters(self) -> torch.Tensor:
        """Kernels, shape ``(80, 1, 251)``."""
        low = self.min_low_hz + torch.abs(self.low_hz_)
        high = torch.clamp(
            low + self.min_band_hz + torch.abs(self.band_hz_), self.min_low_hz,
            self.sample_rate_hz / 2,
        )
        band = (high - low)[:, 0]
        ft_low, ft_high = low @ self.n_, high @ self.n_
        cos_left = (torch.sin(ft_high) - torch.sin(ft_low)) / (self.n_ / 2) * self.window_
        cos = torch.cat([cos_left, 2 * band.view(-1, 1), cos_left.flip(1)], dim=1)
        sin_left = (torch.cos(ft_low) - torch.cos(ft_high)) / (self.n_ / 2) * self.window_
        sin = torch.cat([sin_left, torch.zeros_like(band.view(-1, 1)), -sin_left.flip(1)], dim=1)
        kernels = torch.cat([cos, sin], dim=0) / (2 * torch.cat([band, band])[:, None])
        return kernels.unsqueeze(1)


class _SincConv(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.filterbank = _SincFilterbank()


class _SincNet(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.wav_norm1d = nn.InstanceNorm1d(1, affine=True)
        self.conv1d = nn.ModuleList([_SincConv(), nn.Conv1d(80, 60, 5), nn.Conv1d(60, 60, 5)])
        self.norm1d = nn.ModuleList(
            [nn.InstanceNorm1d(80, affine=True)]
            + [nn.InstanceNorm1d(60, affine=True) for _ in range(2)]
        )
        self._kernels: torch.Tensor | None = None

    def freeze(self) -> None:
        """Compute the sinc kernels once (they are constant at inference)."""
        with torch.no_grad():
            self._kernels = self.conv1d[0].filterbank.filters().contiguous()

    def forward(self, waveforms: torch.Tensor) -> torch.Tensor:
        x = self.wav_norm1d(waveforms)
        kernels = self._kernels
        if kernels is None:
            kernels = self.conv1d[0].filterbank.filters()
        x = torch.abs(F.conv1d(x, kernels, stride=10))
        x = F.leaky_relu(self.norm1d[0](F.max_pool1d(x, 3)))
        for conv, norm in zip(self.conv1d[1:], self.norm1d[1:], strict=True):
            x = F.leaky_relu(norm(F.max_pool1d(conv(x), 3)))
        return x  # (batch, 60, frames)


class SegmentationModel(nn.Module):
    """PyanNet as configured for segmentation-3.0: SincNet, 4 x BiLSTM(128), 2 x Linear(128).

    ``forward`` maps waveforms ``(batch, 1, samples)`` at 16 kHz to powerset log-probabilities
    ``(batch, frames, 7)``.
    """

    def __init__(self) -> None:
        super().__init__()
        self.sincnet = _SincNet()
        self.lstm = nn.LSTM(60, 128, num_layers=4, bidirectional=True, batch_first=True)
        self.linear = nn.ModuleList([nn.Linear(256, 128), nn.Linear(128, 128)])
        self.classifier = nn.Linear(128, len(POWERSET))

    def forward(self, waveforms: torch.Tensor) -> torch.Tensor:
        x, _ = self.lstm(self.sincnet(waveforms).transpose(1, 2))
        for linear in self.linear:
            x = F.leaky_relu(linear(x))
        return F.log_softmax(self.classifier(x), dim=-1)


class _StubObject:
    """Stands in for pyannote.audio objects pickled next to the weights (never used)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def __setstate__(self, state: object) -> None:
        pass


class _CheckpointUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if module.startswith(("pyannote", "pytorch_lightning", "lightning")):
            return _StubObject
        return super().find_class(module, name)


_PICKLE = types.ModuleType("_talkover_checkpoint_pickle")
_PICKLE.Unpickler = _CheckpointUnpickler  # type: ignore[attr-defined]
_PICKLE.load = pickle.load  # type: ignore[attr-defined]


def load_segmentation_model(path: Path) -> SegmentationModel:
    """Build the model and load the (already sha256-verified) Lightning checkpoint at ``path``."""
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=False, pickle_module=_PICKLE)
        model = SegmentationModel()
        model.load_state_dict(checkpoint["state_dict"], strict=True)
    except (RuntimeError, KeyError, pickle.UnpicklingError, EOFError) as exc:
        raise ModelError(f"{path}: cannot load the segmentation checkpoint: {exc}") from exc
    model.eval()
    model.sincnet.freeze()
    return model


@dataclass(frozen=True, slots=True, eq=False)
class WindowActivity:
    """Local speaker activity of a batch of consecutive windows.

    Attributes
    ----------
    activity
        Binary activity (most likely powerset class), shape ``(windows, frames, 3)``, float32.
    probability
        Marginal probability that each local speaker speaks, same shape, float32 in [0, 1].
    """

    activity: np.ndarray
    probability: np.ndarray


def window_starts(num_samples: int, *, step_samples: int) -> np.ndarray:
    """Start sample of every window; the last window reaches the end (zero-padded)."""
    if num_samples <= WINDOW_SAMPLES:
        return np.zeros(1, dtype=np.int64)
    count = int(math.ceil((num_samples - WINDOW_SAMPLES) / step_samples)) + 1
    return np.arange(count, dtype=np.int64) * step_samples


def segment_windows(
    model: SegmentationModel,
    samples: np.ndarray,
    starts: np.ndarray,
    *,
    window_samples: int = WINDOW_SAMPLES,
) -> WindowActivity:
    """Run the model on the windows starting at ``starts`` (zero-padded past the end).

    Parameters
    ----------
    samples
        Mono 16 kHz audio, shape ``(num_samples,)``.
    starts
        Start sample of each window to run, shape ``(windows,)``.
    window_samples
        Window length: the 10 s the model was trained on, or shorter (live diarization reads
        5 s); ``num_frames(window_samples)`` frames each.
    """
    chunk = np.zeros((len(starts), 1, window_samples), np.float32)
    for row, start in enumerate(starts):
        piece = samples[start : start + window_samples]
        chunk[row, 0, : len(piece)] = piece
    log_probs = model(torch.from_numpy(chunk))  # (windows, 589, 7)
    powerset = torch.from_numpy(POWERSET)
    hard = F.one_hot(log_probs.argmax(-1), len(POWERSET)).float() @ powerset
    soft = log_probs.exp() @ powerset
    return WindowActivity(hard.numpy(), soft.numpy())  # (windows, 589, 3) each

