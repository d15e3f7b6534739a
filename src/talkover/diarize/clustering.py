"""Global speakers from per-window local-speaker embeddings.

1. Agglomerative clustering (centroid linkage, Euclidean distance between unit embeddings) of
   the *reliable* embeddings, cut at ``threshold``, or at exactly ``num_speakers`` clusters; the
   count is clamped to ``[min_speakers, max_speakers]``.
2. Clusters smaller than ``min_cluster_size`` join their nearest large cluster.
3. Every local speaker (reliable or not) of every window goes to a cluster centroid by a
   per-window optimal assignment, so two local speakers of one window never share a global
   speaker while there are clusters enough.
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.optimize import linear_sum_assignment

__all__ = ["cluster_speakers"]


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
        Centroid-linkage cut, in Euclidean distance between unit vectors (``sqrt(2 - 2 cos)``).

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
    labels = _agglomerate(
        train, threshold=threshold, num_speakers=num_speakers,
        min_speakers=min_speakers, max_speakers=max_speakers,
    )
    if num_speakers is None:
        labels = _absorb_small(train, labels, min_cluster_size=min_cluster_size,
                               min_speakers=min_speakers)
    centroids = _centroids(train, labels)  # (K, dim)
    return _assign(embeddings, present, centroids)


def _agglomerate(
    train: np.ndarray,
    *,
    threshold: float,
    num_speakers: int | None,
    min_speakers: int,
    max_speakers: int | None,
) -> np.ndarray:
    if len(train) == 1:
        return np.zeros(1, dtype=np.int64)
    tree = linkage(train, method="centroid", metric="euclidean")
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
