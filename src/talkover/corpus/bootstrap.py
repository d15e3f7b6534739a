"""Cluster bootstrap of ratio estimates over recordings.

A corpus rate is a ratio of sums over recordings, ``R = sum_r x_r / sum_r e_r`` (events over
exposure). Events within one recording are not independent (a heated stretch brings a burst),
so the interval resamples **whole recordings**: each of ``draws`` resamples picks ``n``
recordings with replacement (multinomial weights ``w_r``), the ratio is re-estimated as
``sum_r w_r x_r / sum_r w_r e_r``, and the interval is the ``(1 - level)/2`` and
``(1 + level)/2`` percentiles of the re-estimates (resamples whose exposure is 0 are left out).
The seed is fixed, so the same corpus gives the same interval.

A unit seen in a single recording has no interval (resampling one recording cannot show how
the rate varies between recordings): ``None``.

>>> import numpy as np
>>> x = np.array([[2.0], [4.0], [1.0], [3.0]])  # events in each of 4 recordings
>>> e = np.array([[1.0], [1.0], [1.0], [1.0]])  # a minute of exposure each: rate 2.5
>>> low, high = cluster_bootstrap(x, e, draws=2000, seed=0)
>>> float(low[0]), float(high[0])
(1.5, 3.5)
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["cluster_bootstrap", "DRAWS", "SEED", "LEVEL"]

DRAWS = 2000
SEED = 0
LEVEL = 0.95
_CHUNK = 200


def cluster_bootstrap(
    counts: np.ndarray,
    exposures: np.ndarray,
    *,
    draws: int = DRAWS,
    seed: int = SEED,
    level: float = LEVEL,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of ``counts.sum(0) / exposures.sum(0)`` per column, resampling rows.

    Parameters
    ----------
    counts, exposures
        ``(recordings, units)``: each unit's events and exposure in each recording.

    Returns
    -------
    low, high
        ``(units,)`` interval ends of the ratio (NaN where no resample had exposure, and for
        units present in fewer than two recordings).
    """
    n, units = counts.shape
    low = np.full(units, np.nan)
    high = np.full(units, np.nan)
    present = (exposures > 0).sum(axis=0) >= 2
    if n < 2 or not present.any():
        return low, high
    x, e = counts[:, present], exposures[:, present]
    rng = np.random.default_rng(seed)
    ratios = []
    for start in range(0, draws, _CHUNK):
        weights = rng.multinomial(n, np.full(n, 1.0 / n), size=min(_CHUNK, draws - start))
        num, den = weights @ x, weights @ e  # (chunk, units)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratios.append(np.where(den > 0, num / den, np.nan))
    sample = np.concatenate(ratios)  # (draws, units)
    alpha = (1.0 - level) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a unit no resample gave exposure
        low[present] = np.nanquantile(sample, alpha, axis=0, method="inverted_cdf")
        high[present] = np.nanquantile(sample, 1 - alpha, axis=0, method="inverted_cdf")
    return low, high
