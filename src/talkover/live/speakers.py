"""Global speakers, tracked incrementally: each window's local speakers are matched to speaker
centroids of CAM++ embeddings, as diart's online clustering does, with two additions: a local
speaker that the previous window also heard (their activity agrees where the windows overlap)
keeps that window's speaker unless its voice says otherwise, and enrolled voices seed named
speakers, so that "you" is known from the first word.

For one window (at most three local speakers), with ``d`` the Euclidean distance between unit
vectors (``sqrt(2 - 2 cos)``, as the offline clustering measures):

1. cost of local ``k`` -> speaker ``g``: ``d(embedding_k, centroid_g)`` (less
   ``enrolled_slack`` for an enrolled voice), less ``stitch_bonus``
   when ``k`` continues ``g`` from the previous window; a local speaker without an embedding
   (too little speech yet) can only continue its previous speaker;
2. one-to-one assignment minimising the total cost (Hungarian; two local speakers of one window
   never become one speaker); a pair costing more than ``new_speaker_distance`` is refused;
3. a refused local speaker with at least ``min_new_speaker_s`` of clean speech founds a new
   speaker (up to ``max_speakers``); otherwise it keeps its previous speaker, or goes to the
   nearest free one within ``loose_distance``, or stays unassigned (its speech is not shown);
4. centroids are the running sums of the *reliable* embeddings (``min_reliable_s`` of clean
   speech, within ``update_distance``) assigned to them; an enrolled voice counts as
   ``enrolled_weight`` of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from talkover.errors import ConfigError
from talkover.voices import VoiceProfile

__all__ = ["TrackingConfig", "SpeakerTracker"]

_NEVER = 1e6


@dataclass(frozen=True, slots=True)
class TrackingConfig:
    """Tunables of incremental speaker tracking (distances between unit CAM++ vectors).

    Attributes
    ----------
    new_speaker_distance
        A local speaker farther than this from every speaker (after the stitch bonus) is not
        matched; with enough clean speech it founds a new speaker.
    loose_distance
        An unmatched local speaker that may not found a speaker goes to the nearest free
        speaker within this distance.
    stitch_bonus
        Subtracted from the distance to the speaker a local speaker continues from the
        previous window.
    min_new_speaker_s
        Least clean speech (seconds in the window) to found a speaker.
    min_reliable_s
        Least clean speech for an embedding to update its speaker's centroid.
    update_distance
        ...and at most this far from it (a local speaker that mixes two voices, as the
        segmentation model sometimes follows one voice with another, is kept out).
    max_speakers
        Most speakers tracked.
    enrolled_weight
        How many reliable embeddings an enrolled voice counts for in its centroid.
    enrolled_slack
        Subtracted from the distance to an enrolled voice (recorded elsewhere, with another
        microphone and room, it sits farther from the session's own embeddings).
    """

    new_speaker_distance: float = 1.0
    loose_distance: float = 1.25
    stitch_bonus: float = 0.3
    min_new_speaker_s: float = 1.0
    min_reliable_s: float = 1.0
    update_distance: float = 0.9
    max_speakers: int = 8
    enrolled_weight: float = 10.0
    enrolled_slack: float = 0.15

    def __post_init__(self) -> None:
        if not 0 < self.new_speaker_distance <= self.loose_distance < 2:
            raise ConfigError("need 0 < new_speaker_distance <= loose_distance < 2, got "
                              f"{self.new_speaker_distance}, {self.loose_distance}")
        if self.max_speakers < 1:
            raise ConfigError(f"max_speakers must be >= 1, got {self.max_speakers}")


class SpeakerTracker:
    """Named global speakers with CAM++ centroids, grown window by window.

    Parameters
    ----------
    profiles
        Enrolled voices: each seeds a speaker named after it.
    config
        The tunables.
    """

    def __init__(
        self, profiles: Sequence[VoiceProfile] = (), *, config: TrackingConfig | None = None
    ) -> None:
        self.config = config or TrackingConfig()
        self.names: list[str] = []
        self._sums: list[np.ndarray] = []
        self._enrolled = len(profiles)
        for profile in profiles:
            self.names.append(profile.name)
            self._sums.append(profile.embedding.astype(np.float64) * self.config.enrolled_weight)
        self._numbered = 0

    @property
    def centroids(self) -> np.ndarray:
        """Unit centroids, shape ``(speakers, 192)`` (``(0, 192)`` before any)."""
        if not self._sums:
            return np.zeros((0, 192))
        sums = np.stack(self._sums)
        return sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-8)

    def assign(
        self,
        embeddings: np.ndarray,
        clean_s: np.ndarray,
        active: np.ndarray,
        previous: np.ndarray,
    ) -> np.ndarray:
        """Global speaker of each local speaker of a window (``-1``: none).

        Parameters
        ----------
        embeddings
            Shape ``(local, 192)``, unit norm; NaN rows where none was computed.
        clean_s
            Shape ``(local,)``: seconds of overlap-free speech each embedding came from (0 when
            it came from overlapped speech).
        active
            Shape ``(local,)``, bool: local speakers that speak in the window.
        previous
            Shape ``(local,)``: the speaker each local speaker continues from the previous
            window (``-1``: none).
        """
        local = np.flatnonzero(active)
        out = np.full(len(active), -1, dtype=np.int64)
        if len(local) == 0:
            return out
        has = ~np.isnan(embeddings[:, 0])
        distance = self._distances(embeddings)  # (local speakers, speakers)
        cost = self._costs(distance, has, previous)
        refused = set(local.tolist())
        if cost.shape[1]:
            rows, cols = linear_sum_assignment(cost[local])
            for r, g in zip(rows, cols, strict=True):
                if cost[local[r], g] <= self.config.new_speaker_distance:
                    out[local[r]] = g
                    refused.discard(int(local[r]))
        for k in sorted(refused, key=lambda k: -clean_s[k]):
            out[k] = self._fallback(k, distance, has, clean_s, previous, out, embeddings)
        self._update(out, embeddings, has, clean_s, distance)
        return out

    def _distances(self, embeddings: np.ndarray) -> np.ndarray:
        """Distance of each local embedding to each speaker, enrolled ones ``enrolled_slack``
        nearer."""
        centroids = self.centroids
        safe = np.nan_to_num(embeddings)
        cosine = np.clip(safe @ centroids.T, -1.0, 1.0)
        distance = np.sqrt(np.maximum(0.0, 2.0 - 2.0 * cosine))  # (local, speakers)
        distance[:, : self._enrolled] -= self.config.enrolled_slack
        return distance

    def _costs(self, distance: np.ndarray, has: np.ndarray, previous: np.ndarray) -> np.ndarray:
        cost = np.where(has[:, None], distance, _NEVER)
        for k, g in enumerate(previous):
            if g >= 0:
                cost[k, g] = distance[k, g] - self.config.stitch_bonus if has[k] else 0.0
        return cost

    def _fallback(
        self,
        k: int,
        distance: np.ndarray,
        has: np.ndarray,
        clean_s: np.ndarray,
        previous: np.ndarray,
        out: np.ndarray,
        embeddings: np.ndarray,
    ) -> int:
        """A speaker for a local speaker the assignment refused (``-1``: none)."""
        taken = set(out[out >= 0].tolist())
        far = not distance.shape[1] or bool(np.all(distance[k] > self.config.new_speaker_distance))
        if (has[k] and far and clean_s[k] >= self.config.min_new_speaker_s
                and len(self.names) < self.config.max_speakers):
            return self._new_speaker(embeddings[k])
        if previous[k] >= 0 and previous[k] not in taken:
            return int(previous[k])
        if has[k] and distance.shape[1]:
            for g in np.argsort(distance[k]):
                if int(g) not in taken and distance[k, g] <= self.config.loose_distance:
                    return int(g)
        return -1

    def _new_speaker(self, embedding: np.ndarray) -> int:
        taken = set(self.names)
        while f"SPEAKER_{self._numbered:02d}" in taken:
            self._numbered += 1
        self.names.append(f"SPEAKER_{self._numbered:02d}")
        self._numbered += 1
        self._sums.append(np.zeros(embedding.shape, np.float64))
        return len(self.names) - 1

    def _update(
        self,
        out: np.ndarray,
        embeddings: np.ndarray,
        has: np.ndarray,
        clean_s: np.ndarray,
        distance: np.ndarray,
    ) -> None:
        for k, g in enumerate(out):
            if g < 0 or not has[k]:
                continue
            if not self._sums[g].any():  # a speaker founded just now
                self._sums[g] = embeddings[k].astype(np.float64)
            elif (clean_s[k] >= self.config.min_reliable_s
                  and distance[k, g] <= self.config.update_distance):
                self._sums[g] = self._sums[g] + embeddings[k]
