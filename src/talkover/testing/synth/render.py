"""Mixing placed clips into one recording: levels, cut-offs, light noise, no clipping."""

from __future__ import annotations

import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from talkover.io.waveform import SAMPLE_RATE_HZ
from talkover.testing.synth.plan import Placement

__all__ = ["render", "write_wav", "CUT_FADE_S", "SPEECH_LEVEL_DBFS"]

#: Fade applied before the point where a clip is cut off (seconds).
CUT_FADE_S = 0.02
#: Speech level of a clip before its gain (RMS over its speech, dB full scale).
SPEECH_LEVEL_DBFS = -24.0
#: Peak the mix is scaled down to when it would exceed it (about -1 dBFS).
PEAK_LIMIT = 0.89


def render(
    placements: Sequence[Placement],
    *,
    num_samples: int,
    rng: np.random.Generator,
    noise_dbfs: float | None,
) -> np.ndarray:
    """The conversation's samples, shape ``(num_samples,)`` float32 in [-1, 1].

    Each clip is brought to ``SPEECH_LEVEL_DBFS + gain_db`` and placed so that its speech starts
    at the placement's ``start_s``; a cut-off clip ends at ``end_s`` after a ``CUT_FADE_S`` fade.
    ``noise_dbfs`` adds white noise of that RMS level (``None``: none).
    """
    mix = np.zeros(num_samples, dtype=np.float64)
    sr = SAMPLE_RATE_HZ
    for p in placements:
        clip = p.clip
        audio = clip.samples.astype(np.float64)
        if p.truncated:
            stop = int(round((clip.speech_start_s + p.kept_s) * sr))
            audio = audio[:stop].copy()
            n = int(CUT_FADE_S * sr)
            audio[-n:] *= np.linspace(1.0, 0.0, n)
        level = _speech_rms_db(clip.samples, clip.speech)
        audio *= 10 ** ((SPEECH_LEVEL_DBFS + p.gain_db - level) / 20)
        offset = int(round(p.start_s * sr)) - int(round(clip.speech_start_s * sr))
        end = min(num_samples, offset + len(audio))
        mix[offset:end] += audio[: end - offset]
    if noise_dbfs is not None:
        mix += rng.standard_normal(num_samples) * 10 ** (noise_dbfs / 20)
    peak = float(np.abs(mix).max(initial=0.0))
    if peak > PEAK_LIMIT:
        mix *= PEAK_LIMIT / peak
    return mix.astype(np.float32)


def _speech_rms_db(samples: np.ndarray, speech: Sequence) -> float:
    sr = SAMPLE_RATE_HZ
    parts = [samples[int(s.start_s * sr) : int(s.end_s * sr)] for s in speech]
    x = np.concatenate(parts).astype(np.float64)
    return 10 * np.log10(float(np.mean(x**2)) + 1e-12)


def write_wav(samples: np.ndarray, path: str | Path) -> None:
    """Write mono 16-bit PCM WAV at 16 kHz."""
    pcm = np.round(np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(SAMPLE_RATE_HZ)
        fh.writeframes(pcm.tobytes())
