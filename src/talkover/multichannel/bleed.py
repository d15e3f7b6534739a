"""Cross-talk (bleed) suppression: a voice heard faintly in another speaker's microphone.

With one microphone per speaker, every microphone also picks up the other speakers, attenuated
and delayed by the distance between them. A VAD, being level-independent, calls that bleed
speech. A window of channel ``c`` is **bleed** when both hold:

1. **energy**: some other channel ``L`` is at least ``margin_db`` louder than ``c`` in that
   window (whatever ``L``'s VAD says: a laugh or cough leaks as well as speech), and
2. **explained**: ``c``'s window is explained by ``L``'s: their normalised cross-correlation,
   maximised over lags within ``max_lag_s`` (the acoustic delay between microphones), reaches
   ``min_correlation``.

Condition 2 keeps a genuinely overlapping quiet speaker (a soft backchannel into a low-gain
microphone during someone's loud speech): ``c`` then carries its own voice, which the loud
channel does not explain, so the correlation stays low. A window that fails either condition
counts for its own channel.

Energies are the mean square of each 512-sample (32 ms) window, in dB re full scale.

Window decisions are noisy (a soft syllable of ``L`` leaks below the margin), so the pipeline
decides per VAD run: :func:`talkover.multichannel.pipeline.speech_masks` drops a run of ``c``
whose windows are mostly bleed and removes the bleed windows from the runs it keeps.
"""

from __future__ import annotations

import numpy as np

__all__ = ["window_energy_db", "window_correlation", "bleed_mask"]

_FLOOR = 1e-10  # -100 dBFS: energy of digital silence


def _windows(samples: np.ndarray, window: int) -> np.ndarray:
    """``(C, num_samples)`` -> ``(C, num_windows, window)``, zero-padding the last window."""
    num_channels, num_samples = samples.shape
    num_windows = -(-num_samples // window)
    padded = np.zeros((num_channels, num_windows * window), dtype=np.float32)
    padded[:, :num_samples] = samples
    return padded.reshape(num_channels, num_windows, window)


def window_energy_db(samples: np.ndarray, *, window: int = 512) -> np.ndarray:
    """Mean-square energy of each window of each channel in dBFS.

    Parameters
    ----------
    samples
        Shape ``(num_channels, num_samples)``, float32.
    window
        Window length in samples (512 = 32 ms at 16 kHz).

    Returns
    -------
    numpy.ndarray
        Shape ``(num_channels, num_windows)``, dB; silence is -100 dB.
    """
    frames = _windows(samples, window)
    return 10.0 * np.log10(np.mean(frames.astype(np.float64) ** 2, axis=-1) + _FLOOR)


def window_correlation(a: np.ndarray, b: np.ndarray, *, max_lag: int) -> np.ndarray:
    """Peak normalised cross-correlation of paired windows over lags ``-max_lag..max_lag``.

    Parameters
    ----------
    a, b
        Shape ``(num_windows, window)``: the windows of two channels at the same times.
    max_lag
        Largest lag in samples either way.

    Returns
    -------
    numpy.ndarray
        Shape ``(num_windows,)``, in [0, 1]; 1 when one window is a scaled, shifted copy of the
        other, 0 for a silent window.

    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((1, 512))
    >>> float(window_correlation(x, 0.05 * np.roll(x, 3, axis=1), max_lag=8)[0]) > 0.98
    True
    """
    n = 1 << int(np.ceil(np.log2(2 * a.shape[-1])))
    spectrum = np.fft.rfft(a, n=n) * np.conj(np.fft.rfft(b, n=n))
    xcorr = np.fft.irfft(spectrum, n=n)
    lags = np.concatenate([xcorr[:, : max_lag + 1], xcorr[:, n - max_lag :]], axis=1)
    norm = np.sqrt(np.sum(a * a, axis=-1) * np.sum(b * b, axis=-1))
    peak = np.max(np.abs(lags), axis=1)
    return np.where(norm > 0, peak / np.maximum(norm, 1e-20), 0.0)


def bleed_mask(
    samples: np.ndarray,
    speech: np.ndarray,
    *,
    window: int = 512,
    margin_db: float,
    min_correlation: float,
    max_lag: int,
) -> np.ndarray:
    """Which speech windows of each channel are another channel's voice leaking in.

    Parameters
    ----------
    samples
        Shape ``(num_channels, num_samples)``, float32, all channels time-aligned.
    speech
        Shape ``(num_channels, num_windows)``, bool: the VAD's speech windows.
    window
        Window length in samples, the VAD's.
    margin_db
        How much louder (dB) another channel must be for a window to be a bleed candidate.
    min_correlation
        Peak normalised cross-correlation with the louder channel from which the window is
        taken as explained by it (0 makes the energy test alone decide).
    max_lag
        Largest inter-microphone delay in samples searched by the correlation.

    Returns
    -------
    numpy.ndarray
        Shape ``(num_channels, num_windows)``, bool: True where a speech window is bleed.
    """
    energy = window_energy_db(samples, window=window)[:, : speech.shape[1]]
    frames = _windows(samples, window)[:, : speech.shape[1]]
    bleed = np.zeros_like(speech, dtype=bool)
    for c in range(speech.shape[0]):
        for other in range(speech.shape[0]):
            if other == c:
                continue
            candidate = speech[c] & (energy[other] >= energy[c] + margin_db)
            idx = np.flatnonzero(candidate & ~bleed[c])
            if idx.size == 0:
                continue
            if min_correlation <= 0.0:
                bleed[c, idx] = True
                continue
            corr = window_correlation(frames[c, idx], frames[other, idx], max_lag=max_lag)
            bleed[c, idx[corr >= min_correlation]] = True
    return bleed
