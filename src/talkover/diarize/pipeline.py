"""The diarizer: Waveform -> overlap-aware SpeakerTimeline.

Steps, each in its own module::

    segmentation   10 s windows -> local activity        (windows, 589, 3)
    embedding      clean speech of each local speaker     (windows, 3, 192)
    clustering     local speakers -> global speakers      (windows, 3)
    reconstruct    windows -> per-frame speakers -> segments

>>> DiarizationConfig().window_step_s
2.5
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from talkover.diarize import weights
from talkover.diarize.clustering import cluster_speakers
from talkover.diarize.embedding import WindowEmbedder, compute_fbank, load_embedding_model
from talkover.diarize.reconstruct import aggregate_activity, binarize, to_timeline
from talkover.diarize.segmentation import (
    FRAME_STEP_SAMPLES,
    NUM_LOCAL_SPEAKERS,
    iter_windows,
    load_segmentation_model,
    window_starts,
)
from talkover.errors import ConfigError
from talkover.io.waveform import SAMPLE_RATE_HZ, Waveform
from talkover.timeline import SpeakerTimeline

__all__ = ["DiarizationConfig", "Diarizer", "ProgressCallback"]

#: Called as ``progress(done, total)`` with seconds of audio processed so far and in all.
ProgressCallback = Callable[[float, float], None]


@dataclass(frozen=True, slots=True)
class DiarizationConfig:
    """Every tunable of the diarizer (defaults tuned on the shared real cases).

    Attributes
    ----------
    window_step_s
        Hop between the 10 s segmentation windows, seconds (rounded to 16.875 ms frames).
    segmentation_batch_size
        Windows per segmentation forward pass.
    embedding_batch_size
        Sequences per CAM++ forward pass.
    min_embedding_s
        Least speech (seconds) an embedding is computed from.
    max_embedding_s
        Most speech per embedding (the frames nearest the window centre), seconds.
    min_reliable_s
        Least overlap-free speech for an embedding to found clusters, seconds.
    threshold
        Clustering cut: Euclidean distance between unit CAM++ embeddings.
    min_cluster_size
        Smaller clusters join their nearest larger one (when the count is not fixed).
    edge_weighting
        Down-weight window edges when averaging overlapping windows.
    min_duration_on_s
        Shortest speech segment kept, seconds.
    min_duration_off_s
        Shortest pause kept inside one speaker's speech, seconds.
    num_threads
        Torch intra-op threads; 0 keeps torch's choice.
    """

    window_step_s: float = 2.5
    segmentation_batch_size: int = 16
    embedding_batch_size: int = 32
    min_embedding_s: float = 0.3
    max_embedding_s: float = 5.0
    min_reliable_s: float = 1.0
    threshold: float = 0.9
    min_cluster_size: int = 3
    edge_weighting: bool = True
    min_duration_on_s: float = 0.1
    min_duration_off_s: float = 0.1
    num_threads: int = 0

    def __post_init__(self) -> None:
        if not 0.5 <= self.window_step_s <= 10.0:
            raise ConfigError(f"window_step_s must be in [0.5, 10], got {self.window_step_s}")
        for name in ("segmentation_batch_size", "embedding_batch_size", "min_cluster_size"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be >= 1, got {getattr(self, name)}")
        if not 0.0 < self.threshold < 2.0:
            raise ConfigError(f"threshold must be in (0, 2), got {self.threshold}")
        if self.min_embedding_s <= 0 or self.max_embedding_s < self.min_embedding_s:
            raise ConfigError("need 0 < min_embedding_s <= max_embedding_s")

    @property
    def step_samples(self) -> int:
        """Window hop in samples, a whole number of segmentation frames."""
        frames = max(1, round(self.window_step_s * SAMPLE_RATE_HZ / FRAME_STEP_SAMPLES))
        return frames * FRAME_STEP_SAMPLES


class Diarizer:
    """Overlap-aware speaker diarization on CPU; loads both models once.

    Parameters
    ----------
    config
        Tunables; the defaults are the tested ones.

    Raises
    ------
    ModelError
        When the packaged weights are missing or corrupt.
    """

    def __init__(self, config: DiarizationConfig | None = None) -> None:
        self.config = config or DiarizationConfig()
        if self.config.num_threads > 0:
            torch.set_num_threads(self.config.num_threads)
        self._segmentation = load_segmentation_model(
            weights.locate(weights.SEGMENTATION_CHECKPOINT)
        )
        weights.locate(weights.SEGMENTATION_CONFIG)
        self._embedder = WindowEmbedder(
            load_embedding_model(weights.locate(weights.EMBEDDING_CHECKPOINT)),
            min_frames=max(1, round(self.config.min_embedding_s * 100)),
            max_frames=max(1, round(self.config.max_embedding_s * 100)),
            batch_size=self.config.embedding_batch_size,
        )

    def diarize(
        self,
        waveform: Waveform,
        *,
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> SpeakerTimeline:
        """Who speaks when in ``waveform`` (16 kHz mono), overlaps kept.

        Parameters
        ----------
        num_speakers
            Exact number of speakers, when known.
        min_speakers, max_speakers
            Bounds on the estimated number of speakers.
        progress
            Called with (seconds processed, seconds in all) as windows are done.
        """
        _check_counts(num_speakers, min_speakers, max_speakers)
        if waveform.sample_rate_hz != SAMPLE_RATE_HZ:
            raise ConfigError(
                f"diarization needs {SAMPLE_RATE_HZ} Hz audio, got {waveform.sample_rate_hz} Hz"
            )
        samples = np.asarray(waveform.samples, dtype=np.float32)
        duration_s = len(samples) / SAMPLE_RATE_HZ
        uri = _uri(waveform)
        if len(samples) < SAMPLE_RATE_HZ // 10 or not np.any(np.abs(samples) > 1e-4):
            return SpeakerTimeline((), duration_s=duration_s, uri=uri)
        with torch.inference_mode():
            activity, embeddings, reliable = self._windows(samples, progress)
        # activity (windows, 589, 3); embeddings (windows, 3, 192); reliable (windows, 3)
        assignment = cluster_speakers(
            embeddings, reliable,
            threshold=self.config.threshold, min_cluster_size=self.config.min_cluster_size,
            num_speakers=num_speakers, min_speakers=min_speakers or 1, max_speakers=max_speakers,
        )  # (windows, 3)
        starts = window_starts(len(samples), step_samples=self.config.step_samples)
        scores, count = aggregate_activity(
            activity, starts, assignment,
            num_speakers=int(assignment.max()) + 1, edge_weighting=self.config.edge_weighting,
        )  # (frames, K), (frames,)
        return to_timeline(
            binarize(scores, count), duration_s=duration_s, uri=uri,
            min_duration_on_s=self.config.min_duration_on_s,
            min_duration_off_s=self.config.min_duration_off_s,
        )

    def _windows(
        self, samples: np.ndarray, progress: ProgressCallback | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Segment and embed window batches; memory is linear in the length."""
        step = self.config.step_samples
        starts = window_starts(len(samples), step_samples=step)
        total_s = len(samples) / SAMPLE_RATE_HZ
        activity = np.zeros((len(starts), 589, NUM_LOCAL_SPEAKERS), np.float32)
        embeddings = np.full((len(starts), NUM_LOCAL_SPEAKERS, 192), np.nan, np.float32)
        reliable = np.zeros((len(starts), NUM_LOCAL_SPEAKERS), bool)
        min_reliable = round(self.config.min_reliable_s * 100)
        for batch in iter_windows(
            self._segmentation, samples, step_samples=step,
            batch_size=self.config.segmentation_batch_size,
        ):
            rows = range(batch.first_window, batch.first_window + len(batch.activity))
            activity[rows.start : rows.stop] = batch.activity
            first_sample = int(starts[rows.start])
            last_sample = int(starts[rows.stop - 1]) + 160_000
            fbank = compute_fbank(samples[first_sample:last_sample])
            sequences, where = [], []
            for w in rows:
                frames = self._embedder.frames_of(
                    fbank, activity[w], int(starts[w]) - first_sample
                )
                for k, item in enumerate(frames):
                    if item is not None:
                        sequences.append(item[0])
                        where.append((w, k))
                        reliable[w, k] = item[1] and len(item[0]) >= min_reliable
            if sequences:
                vectors = self._embedder.embed(sequences)
                for (w, k), vector in zip(where, vectors, strict=True):
                    embeddings[w, k] = vector
            if progress is not None:
                progress(min(total_s, last_sample / SAMPLE_RATE_HZ), total_s)
        return activity, embeddings, reliable


def _check_counts(num: int | None, low: int | None, high: int | None) -> None:
    for name, value in (("num_speakers", num), ("min_speakers", low), ("max_speakers", high)):
        if value is not None and value < 1:
            raise ConfigError(f"{name} must be >= 1, got {value}")
    if low is not None and high is not None and low > high:
        raise ConfigError(f"min_speakers ({low}) > max_speakers ({high})")
    if num is not None and ((low is not None and num < low) or (high is not None and num > high)):
        raise ConfigError(f"num_speakers ({num}) outside [min_speakers, max_speakers]")


def _uri(waveform: Waveform) -> str:
    if waveform.path is None:
        return "recording"
    name = str(waveform.path).replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name or "recording"


