"""Per-channel voice activity with Silero VAD, from the weights shipped in its wheel.

The ``silero-vad`` package (MIT, Silero Team) ships a TorchScript model
(``silero_vad/data/silero_vad.jit``). talkover downloads nothing: the file is located as package
data, checked against the sha256 below, and loaded with :func:`torch.jit.load`. The model is run
window by window (512 samples = 32 ms at 16 kHz) with its recurrent state carried across windows,
all channels of a recording as one batch, giving one speech probability per channel and window.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from talkover.diarize.weights import WeightFile, locate
from talkover.errors import ModelError

if TYPE_CHECKING:  # torch is imported on first use, not when talkover is imported
    import torch

__all__ = [
    "VAD_SAMPLE_RATE_HZ",
    "VAD_WINDOW_SAMPLES",
    "VAD_HOP_S",
    "VadWeights",
    "SILERO_VAD_WEIGHTS",
    "locate_vad_weights",
    "load_vad",
    "speech_probabilities",
]

#: The rate the model runs at (Hz).
VAD_SAMPLE_RATE_HZ = 16_000
#: Samples per model window at 16 kHz (the only window size Silero VAD v5+ accepts).
VAD_WINDOW_SAMPLES = 512
#: Seconds between successive probabilities (one window).
VAD_HOP_S = VAD_WINDOW_SAMPLES / VAD_SAMPLE_RATE_HZ


#: A packaged weight file: package, path inside it, sha256 digest and licence.
VadWeights = WeightFile


SILERO_VAD_WEIGHTS = VadWeights(
    "silero_vad",
    "data/silero_vad.jit",
    "e1122837f4154c511485fe0b9c64455f7b929c96fbb8d79fbdb336383ebd3720",
    "MIT",
)

_FIX = "reinstall the pinned wheel: pip install --force-reinstall 'silero-vad==6.2.3'"


def locate_vad_weights(weights: VadWeights = SILERO_VAD_WEIGHTS) -> Path:
    """Path of the packaged Silero VAD model, verified against its sha256.

    Raises
    ------
    ModelError
        The package is not installed, or the file is missing or does not hash as expected.
    """
    return locate(weights, fix=_FIX)


@functools.lru_cache(maxsize=1)
def load_vad() -> Any:
    """The verified Silero VAD TorchScript model, in eval mode (loaded once per process).

    Raises
    ------
    ModelError
        The weights are missing or corrupt, or TorchScript cannot load them.
    """
    import torch

    path = locate_vad_weights()
    try:
        with warnings.catch_warnings():  # torch 2.13 deprecates TorchScript; the wheel ships it
            warnings.simplefilter("ignore", DeprecationWarning)
            model = torch.jit.load(str(path), map_location="cpu")
    except (RuntimeError, ValueError) as exc:
        raise ModelError(f"{path}: Silero VAD model failed to load: {exc}") from exc
    model.eval()
    return model


def speech_probabilities(samples: np.ndarray) -> np.ndarray:
    """Speech probability of every 32 ms window of every channel.

    Parameters
    ----------
    samples
        Shape ``(num_channels, num_samples)``, float32 at 16 kHz, roughly in [-1, 1].

    Returns
    -------
    numpy.ndarray
        Shape ``(num_channels, num_windows)``, float32 in [0, 1], with
        ``num_windows = ceil(num_samples / 512)``; window ``k`` covers
        ``[k * VAD_HOP_S, (k + 1) * VAD_HOP_S)`` seconds (the last one zero-padded).

    Raises
    ------
    ModelError
        As :func:`load_vad`.
    """
    import torch

    num_channels, num_samples = samples.shape
    num_windows = -(-num_samples // VAD_WINDOW_SAMPLES)
    probs = np.zeros((num_channels, num_windows), dtype=np.float32)
    if num_channels == 0 or num_windows == 0:
        return probs
    padded = np.zeros((num_channels, num_windows * VAD_WINDOW_SAMPLES), dtype=np.float32)
    padded[:, :num_samples] = samples
    model = load_vad()
    batch: torch.Tensor = torch.from_numpy(padded)
    with torch.inference_mode():
        model.reset_states()
        for k in range(num_windows):
            window = batch[:, k * VAD_WINDOW_SAMPLES : (k + 1) * VAD_WINDOW_SAMPLES]
            probs[:, k] = model(window, VAD_SAMPLE_RATE_HZ).reshape(num_channels).numpy()
    model.reset_states()
    return probs
