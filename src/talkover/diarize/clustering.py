"""Global speakers from per-window local-speaker embeddings.

1. Agglomerative clustering (average linkage, Euclidean distance between unit embeddings) of
   the *reliable* embeddings, cut at ``threshold``, or at exactly ``num_speakers`` clusters; the
   count is clamped to ``[min_speakers, max_speakers]``. Two local speakers of one window are
   set ``2.0`` apart (the largest possible distance): the segmentation model heard two voices.
   Past :data:`MAX_CLUSTERED` reliable embeddings (about 3 hours of dense speech) an evenly
   spaced subset of that many is clustered, so that memory stays bounded (the pair distances of
   all the reliable embeddings of a 6-hour recording take over 0.5 GB, twice over in the
   linkage); every embedding still goes to a centroid in step 3.
2. Clusters smaller than ``min_cluster_size`` (at most a tenth of the embeddings, so a short
   clip keeps its speakers) join their nearest large cluster.
3. Every local speaker (reliable or not) of every window goes to a cluster centroid by a
   per-window optimal assignment, so two local speakers of one window never share a global
   speaker while there are clusters enough.
"""

from __future__ import annotations

import logging

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import pdist

from talkover.errors import ConfigError

_log = logging.getLogger(__name__)

__all__ = ["cluster_speakers", "check_speaker_counts", "MAX_CLUSTERED"]

#: Most reliable embeddings clustered (an evenly spaced subset past it): 4000 take 64 MB of
#: pair distances.
MAX_CLUSTERED = 4000

#: What :func:`check_speaker_counts` calls the three counts unless told otherwise.
COUNT_NAMES = ("num_speakers", "min_speakers", "max_speakers")


def check_speaker_counts(
    num_speakers: int | None,
    min_speakers: int | None,
    max_speakers: int | None,
    *,
    names: tuple[str, str, str] = COUNT_NAMES,
) -> None:
    """Refuse speaker counts that no clustering can meet (``None``: not given).

    Parameters
    ----------
    num_speakers, min_speakers, max_speakers
        The requested exact count and bounds.
    names
        What the messages call the three (the CLI passes its flags).

    Raises
    ------
    ConfigError
        A count below 1, ``min_speakers > max_speakers``, or ``num_speakers`` outside them.

    >>> check_speaker_counts(2, 1, 3)
    >>> check_speaker_counts(4, None, 3)
    Traceback (most recent call last):
    ...
    talkover.errors.ConfigError: num_speakers (4) must be <= max_speakers (3)
    """
    counts = (num_speakers, min_speakers, max_speakers)
    for name, value in zip(names, counts, strict=True):
        if value is not None and value < 1:
            raise ConfigError(f"{name} must be >= 1, got {value}")
    num_name, min_name, max_name = names
    for (low_name, low), (high_name, high) in (
        ((min_name, min_speakers), (max_name, max_speakers)),
        ((min_name, min_speakers), (num_name, num_speakers)),
        ((num_name, num_speakers), (max_name, max_speakers)),
    ):
        if low is not None and high is not None and low > high:
            raise ConfigError(f"{low_name} ({low}) must be <= {high_name} ({high})")


def cluster_speakers(
    embeddings: np.ndarray,
    reliable: np.ndarray,
    *,
    threshold: float,
    min_cluster_size: int,
    num_speakers: int | None = None,
    min_speakers: int = 1,
    max_speakers: int | None = None,
) -> np.ndarray:
    """Global speaker index of each local speaker of each window.

    Parameters
    ----------
    embeddings
        Shape ``(windows, local_speakers, dim)``, unit norm; NaN rows where none was computed.
    reliable
        Shape ``(windows, local_speakers)``, bool: embeddings good enough to found clusters.
    threshold
        Average-linkage cut, in Euclidean distance between unit vectors (``sqrt(2 - 2 cos)``).

    Returns
    -------
    numpy.ndarray
        Shape ``(windows, local_speakers)``, int; ``-1`` where there was no embedding. Global
        speakers are numbered ``0..K-1``.
    """
    present = ~np.isnan(embeddings[..., 0])
    train_mask = reliable & present
    if not train_mask.any():
        train_mask = present
    if not train_mask.any():
        return np.full(present.shape, -1, dtype=np.int64)
    train = embeddings[train_mask]
    windows = np.nonzero(train_mask)[0]
    if len(train) > MAX_CLUSTERED:  # evenly spaced, in window order
        keep = np.unique(np.linspace(0, len(train) - 1, MAX_CLUSTERED).round().astype(np.int64))
        train, windows = train[keep], windows[keep]
    labels = _agglomerate(
        train, windows, threshold=threshold, num_speakers=num_speakers,
        min_speakers=min_speakers, max_speakers=max_speakers,
    )
    _warn_fewer(int(labels.max()) + 1, num_speakers or min_speakers, len(train))
    if num_speakers is None:
        labels = _absorb_small(train, labels, min_cluster_size=min_cluster_size,
                               min_speakers=min_speakers)
    centroids = _centroids(train, labels)  # (K, dim)
    return _assign(embeddings, present, centroids)


def _warn_fewer(found: int, asked: int, num_embeddings: int) -> None:
    """Say so when fewer speakers can be told apart than were asked for (a short recording
    gives few voice embeddings: 30 s cannot hold 1000 speakers)."""
    if found < asked:
        _log.warning(
            "%d speakers were asked for, but only %d can be told apart: the recording gives %d "
            "voice embedding(s) to cluster", asked, found, num_embeddings,
        )


def _agglomerate(
    train: np.ndarray,
    windows: np.ndarray,
    *,
    threshold: float,
    num_speakers: int | None,
    min_speakers: int,
    max_speakers: int | None,
) -> np.ndarray:
    if len(train) == 1:
        return np.zeros(1, dtype=np.int64)
    distances = pdist(train, metric="euclidean")
    distances[_same_window_pairs(windows)] = 2.0  # two speakers of one window are two people
    tree = linkage(distances, method="average")
    labels = fcluster(tree, threshold, criterion="distance")
    count = len(np.unique(labels))
    wanted = num_speakers if num_speakers is not None else count
    wanted = max(wanted, min_speakers)
    if max_speakers is not None:
        wanted = min(wanted, max_speakers)
    wanted = min(wanted, len(train))
    if wanted != count:
        labels = fcluster(tree, wanted, criterion="maxclust")
    return np.unique(labels, return_inverse=True)[1]


def _absorb_small(
    train: np.ndarray, labels: np.ndarray, *, min_cluster_size: int, min_speakers: int
) -> np.ndarray:
    min_cluster_size = min(min_cluster_size, max(1, len(train) // 10))
    sizes = np.bincount(labels)
    order = np.argsort(-sizes)
    keep = [c for c in order if sizes[c] >= min_cluster_size]
    keep = keep + [c for c in order if c not in keep][: max(0, min_speakers - len(keep))]
    if not keep or len(keep) == len(sizes):
        return np.unique(labels, return_inverse=True)[1]
    centroids = _centroids(train, labels)
    big = centroids[keep]
    for c in range(len(sizes)):
        if c not in keep:
            labels = np.where(labels == c, keep[int(np.argmax(big @ centroids[c]))], labels)
    return np.unique(labels, return_inverse=True)[1]


def _centroids(train: np.ndarray, labels: np.ndarray) -> np.ndarray:
    centroids = np.stack([train[labels == c].mean(0) for c in range(labels.max() + 1)])
    return centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-8)


def _assign(embeddings: np.ndarray, present: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Per window, match local speakers to centroids maximising total cosine similarity."""
    assignment = np.full(present.shape, -1, dtype=np.int64)
    for w in range(present.shape[0]):
        rows = np.flatnonzero(present[w])
        if len(rows) == 0:
            continue
        similarity = embeddings[w, rows] @ centroids.T  # (rows, K)
        matched_rows, matched_cols = linear_sum_assignment(similarity, maximize=True)
        assignment[w, rows[matched_rows]] = matched_cols
        for r in np.setdiff1d(np.arange(len(rows)), matched_rows):
            assignment[w, rows[r]] = int(np.argmax(similarity[r]))
    return assignment


def _same_window_pairs(windows: np.ndarray) -> np.ndarray:
    """Condensed-matrix indices (as :func:`scipy.spatial.distance.pdist` orders pairs) of the
    pairs of rows from the same window; ``windows`` is sorted. Computed from the few pairs
    themselves, not from a second full pair matrix (on a 6-hour recording that would be
    hundreds of MB).

    >>> _same_window_pairs(np.array([0, 0, 1, 2, 2, 2])).tolist()  # n = 6 rows
    [0, 12, 13, 14]
    """
    n = len(windows)
    first = np.flatnonzero(np.r_[True, windows[1:] != windows[:-1]])  # group starts
    sizes = np.diff(np.r_[first, n])
    pairs = [(a + i, a + j) for a, size in zip(first, sizes, strict=True) if size > 1
             for i in range(size) for j in range(i + 1, size)]
    if not pairs:
        return np.zeros(0, dtype=np.int64)
    i, j = np.array(pairs, dtype=np.int64).T
    return n * i - i * (i + 1) // 2 + (j - i - 1)
