"""Cross-talk rules on planted signals (no model)."""

from __future__ import annotations

import numpy as np

from talkover.multichannel.bleed import bleed_mask, window_correlation, window_energy_db


def _noise(seconds: float, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(int(seconds * 16000)).astype(np.float32)


def test_energy_of_silence_is_floor_and_of_full_scale_square_is_zero_db() -> None:
    x = np.stack([np.zeros(1024, np.float32), np.ones(1024, np.float32)])
    assert np.allclose(window_energy_db(x), [[-100.0, -100.0], [0.0, 0.0]], atol=1e-6)


def test_correlation_finds_a_delayed_scaled_copy_and_not_independent_noise() -> None:
    a = _noise(1.0, 0)[: 31 * 512].reshape(31, 512)
    copy = 0.05 * np.roll(a, 40, axis=1)
    other = _noise(1.0, 1)[: 31 * 512].reshape(31, 512)
    assert window_correlation(a, copy, max_lag=80).min() > 0.85  # 40 of 512 samples wrap
    assert window_correlation(a, other, max_lag=80).max() < 0.3
    assert window_correlation(a, np.zeros_like(a), max_lag=80).max() == 0.0


def test_attenuated_copy_is_bleed_but_quiet_independent_speech_is_not() -> None:
    loud = _noise(2.0, 2) * 0.3
    leak = np.zeros_like(loud)
    leak[80:] = loud[:-80] * 10 ** (-25 / 20)  # 5 ms later, 25 dB down
    quiet_own = _noise(2.0, 3) * 0.3 * 10 ** (-25 / 20)  # as quiet, but its own signal
    samples = np.stack([loud, leak, quiet_own])
    speech = np.ones((3, len(loud) // 512), dtype=bool)
    bleed = bleed_mask(samples, speech, margin_db=15.0, min_correlation=0.6, max_lag=160)
    assert not bleed[0].any()  # the loudest channel is never bleed
    assert bleed[1, 1:].all()  # every window after the first (whose lag window is partial)
    assert not bleed[2].any()  # quiet but not explained by the loud channel
    # windows the VAD did not call speech are never marked
    assert not bleed_mask(
        samples, np.zeros_like(speech), margin_db=15.0, min_correlation=0.6, max_lag=160
    ).any()
