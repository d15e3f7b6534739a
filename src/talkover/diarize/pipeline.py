"""The diarizer: Waveform -> overlap-aware SpeakerTimeline.

Steps, each in its own module::

    segmentation   10 s windows -> local activity        (windows, 589, 3)
    embedding      clean speech of each local speaker     (windows, 3, 192)
    clustering     local speakers -> global speakers      (windows, 3)
    reconstruct    windows -> per-frame speakers -> segments

>>> DiarizationConfig().window_step_s
5.0
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from talkover.diarize import weights
from talkover.diarize.campplus import CAMPPlus
from talkover.diarize.clustering import check_speaker_counts, cluster_speakers
from talkover.diarize.embedding import WindowEmbedder, compute_fbank, load_embedding_model
from talkover.diarize.reconstruct import aggregate_activity, binarize, to_timeline
from talkover.diarize.segmentation import (
    FRAME_STEP_SAMPLES,
    NUM_LOCAL_SPEAKERS,
    SegmentationModel,
    load_segmentation_model,
    segment_windows,
    window_starts,
)
from talkover.errors import ConfigError
from talkover.files import sha256_file
from talkover.io.waveform import SAMPLE_RATE_HZ, Waveform
from talkover.provenance import InputFile, Provenance
from talkover.timeline import SpeakerTimeline

__all__ = ["DiarizationConfig", "Diarizer", "ProgressCallback", "MODELS"]

#: Settings that change how the work is spread, not its result (left out of the stamp, so that
#: the same recording gives the same JSON on any machine).
_EXECUTION_ONLY = frozenset({"num_workers"})

#: The models the diarizer runs, as ``(name, sha256)`` (their weights are checked against these).
MODELS: tuple[tuple[str, str], ...] = (
    ("pyannote/segmentation-3.0", weights.SEGMENTATION_CHECKPOINT.sha256),
    ("3D-Speaker/campplus_cn_en_common", weights.EMBEDDING_CHECKPOINT.sha256),
)

#: Called as ``progress(done, total)`` with seconds of audio processed so far and in all.
ProgressCallback = Callable[[float, float], None]


@dataclass(frozen=True, slots=True)
class DiarizationConfig:
    """Every tunable of the diarizer (defaults tuned on the shared real cases).

    Attributes
    ----------
    window_step_s
        Hop between the 10 s segmentation windows, seconds (rounded to 16.875 ms frames).
        5 s (each frame seen by two windows) is as accurate as 1 or 2.5 s on the shared
        cases and needs half the model time of 2.5 s.
    segmentation_batch_size
        Most windows per batch (one segmentation forward pass, then their embeddings). 8 gives
        the same output as 16 at the same speed, with a lower and steadier peak memory: on a
        1-hour file 1267-1355 MiB against 1590-2488 MiB for 16 (two runs each; the transient
        buffers of two worker threads fragment the heap).
    embedding_batch_size
        Sequences per CAM++ forward pass.
    min_embedding_s
        Least speech (seconds) an embedding is computed from.
    max_embedding_s
        Most speech per embedding (the frames nearest the window centre), seconds. Embeddings
        are most of the run time; 4 s scored as 5 s on both check sets, 3 s or 10 s did not.
    min_reliable_s
        Least overlap-free speech for an embedding to found clusters, seconds.
    threshold
        Clustering cut: Euclidean distance between unit CAM++ embeddings.
    min_cluster_size
        Smaller clusters join their nearest larger one (when the count is not fixed).
    edge_weighting
        Down-weight window edges when averaging overlapping windows.
    soft_activity
        Aggregate the model's speaker probabilities instead of its hard decisions.
    count_offset
        Added to the mean per-frame speaker count before rounding (> 0 favours overlap).
    min_duration_on_s
        Shortest speech segment kept, seconds.
    min_duration_off_s
        Shortest pause kept inside one speaker's speech, seconds.
    num_workers
        Batches of windows processed at once, each by one thread running torch with a single
        intra-op thread (several intra-op threads stall on a busy machine: each of the LSTM's
        thousands of small parallel steps waits for a descheduled thread); 0: one per CPU core,
        at most 4. The caller's torch thread settings are left alone.
    """

    window_step_s: float = 5.0
    segmentation_batch_size: int = 8
    embedding_batch_size: int = 32
    min_embedding_s: float = 0.3
    max_embedding_s: float = 4.0
    min_reliable_s: float = 1.0
    threshold: float = 1.1
    min_cluster_size: int = 2
    edge_weighting: bool = False
    soft_activity: bool = True
    count_offset: float = 0.0
    min_duration_on_s: float = 0.1
    min_duration_off_s: float = 0.1
    num_workers: int = 0

    def __post_init__(self) -> None:
        if not 0.5 <= self.window_step_s <= 10.0:
            raise ConfigError(f"window_step_s must be in [0.5, 10], got {self.window_step_s}")
        if self.num_workers < 0:
            raise ConfigError(f"num_workers must be >= 0, got {self.num_workers}")
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

    @property
    def workers(self) -> int:
        """Number of worker threads: ``num_workers``, or one per core (at most 4) when 0."""
        return self.num_workers or max(1, min(4, os.cpu_count() or 1))


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

    @property
    def embedding_model(self) -> CAMPPlus:
        """The loaded CAM++, for voice matching to share (``talkover.voices.VoiceEmbedder``)."""
        return self._embedder.model

    @property
    def segmentation_model(self) -> SegmentationModel:
        """The loaded segmentation model, for live diarization to share
        (:mod:`talkover.live.stream`)."""
        return self._segmentation

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

        Raises
        ------
        ConfigError
            Speaker counts no clustering can meet (see
            :func:`~talkover.diarize.clustering.check_speaker_counts`), or audio not at 16 kHz.
        """
        check_speaker_counts(num_speakers, min_speakers, max_speakers)
        if waveform.sample_rate_hz != SAMPLE_RATE_HZ:
            raise ConfigError(
                f"diarization needs {SAMPLE_RATE_HZ} Hz audio, got {waveform.sample_rate_hz} Hz"
            )
        samples = _samples_of(waveform)
        duration_s = len(samples) / SAMPLE_RATE_HZ
        stamp = self.provenance(
            waveform, num_speakers=num_speakers, min_speakers=min_speakers,
            max_speakers=max_speakers,
        )
        if len(samples) < SAMPLE_RATE_HZ // 10 or _is_silent(samples):
            return SpeakerTimeline((), duration_s=duration_s, uri=stamp.uri, provenance=stamp)
        activity, probability, embeddings, reliable = self._windows(samples, progress)
        # activity, probability (windows, 589, 3); embeddings (windows, 3, 192);
        # reliable (windows, 3)
        timeline = self._timeline(
            activity, probability, embeddings, reliable, len(samples), stamp.uri,
            num_speakers=num_speakers, min_speakers=min_speakers, max_speakers=max_speakers,
        )
        return timeline.stamped(stamp)

    def provenance(
        self,
        waveform: Waveform,
        *,
        num_speakers: int | None = None,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
    ) -> Provenance:
        """The stamp of a diarization of ``waveform``: kind ``audio``, its file (hashed) when
        it was decoded from one, the configuration and speaker counts, the models' sha256.

        A waveform whose file cannot be read (built in memory, naming a path) is recorded
        without a sha256.
        """
        inputs: tuple[InputFile, ...] = ()
        if waveform.path is not None:
            path = Path(waveform.path)
            try:
                digest: str | None = sha256_file(path)
            except OSError:
                digest = None
            inputs = (InputFile(str(waveform.path), digest, path.suffix.lstrip(".").lower()),)
        settings = {
            **{k: v for k, v in asdict(self.config).items() if k not in _EXECUTION_ONLY},
            "num_speakers": num_speakers,
            "min_speakers": min_speakers,
            "max_speakers": max_speakers,
        }
        return Provenance.with_settings(
            "audio", settings, uri=_uri(waveform), inputs=inputs, models=MODELS
        )

    def _timeline(
        self,
        activity: np.ndarray,
        probability: np.ndarray,
        embeddings: np.ndarray,
        reliable: np.ndarray,
        num_samples: int,
        uri: str,
        *,
        num_speakers: int | None,
        min_speakers: int | None,
        max_speakers: int | None,
    ) -> SpeakerTimeline:
        """Cluster local speakers and stitch the windows (no model runs here)."""
        duration_s = num_samples / SAMPLE_RATE_HZ
        assignment = cluster_speakers(
            embeddings, reliable,
            threshold=self.config.threshold, min_cluster_size=self.config.min_cluster_size,
            num_speakers=num_speakers, min_speakers=min_speakers or 1, max_speakers=max_speakers,
        )  # (windows, 3)
        if assignment.max() < 0:
            return SpeakerTimeline((), duration_s=duration_s, uri=uri)
        starts = window_starts(num_samples, step_samples=self.config.step_samples)
        scores, count = aggregate_activity(
            probability if self.config.soft_activity else activity, starts, assignment,
            num_speakers=int(assignment.max()) + 1, edge_weighting=self.config.edge_weighting,
            count_offset=self.config.count_offset,
        )  # (frames, K), (frames,)
        return to_timeline(
            binarize(scores, count), duration_s=duration_s, uri=uri,
            min_duration_on_s=self.config.min_duration_on_s,
            min_duration_off_s=self.config.min_duration_off_s,
        )

    def _windows(
        self, samples: np.ndarray, progress: ProgressCallback | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Segment and embed batches of windows on worker threads; memory is linear in length."""
        starts = window_starts(len(samples), step_samples=self.config.step_samples)
        total_s = len(samples) / SAMPLE_RATE_HZ
        activity = np.zeros((len(starts), 589, NUM_LOCAL_SPEAKERS), np.float32)
        probability = np.zeros_like(activity)
        embeddings = np.full((len(starts), NUM_LOCAL_SPEAKERS, 192), np.nan, np.float32)
        reliable = np.zeros((len(starts), NUM_LOCAL_SPEAKERS), bool)
        workers = self.config.workers
        size = min(self.config.segmentation_batch_size, -(-len(starts) // workers))
        batches = [range(a, min(a + size, len(starts))) for a in range(0, len(starts), size)]

        def work(rows: range) -> int:
            torch.set_num_threads(1)  # this worker thread only
            with torch.inference_mode():
                self._batch(samples, starts, rows, activity, probability, embeddings, reliable)
            return int(starts[rows.stop - 1]) + 160_000

        with ThreadPoolExecutor(max_workers=min(workers, len(batches))) as pool:
            for last_sample in pool.map(work, batches):  # in order, as each batch ends
                if progress is not None:
                    progress(min(total_s, last_sample / SAMPLE_RATE_HZ), total_s)
        return activity, probability, embeddings, reliable

    def _batch(
        self,
        samples: np.ndarray,
        starts: np.ndarray,
        rows: range,
        activity: np.ndarray,
        probability: np.ndarray,
        embeddings: np.ndarray,
        reliable: np.ndarray,
    ) -> None:
        """Segment windows ``rows`` and embed their local speakers, writing into the arrays."""
        batch = segment_windows(self._segmentation, samples, starts[rows.start : rows.stop])
        activity[rows.start : rows.stop] = batch.activity
        probability[rows.start : rows.stop] = batch.probability
        first_sample = int(starts[rows.start])
        fbank = compute_fbank(samples[first_sample : int(starts[rows.stop - 1]) + 160_000])
        min_reliable = round(self.config.min_reliable_s * 100)
        sequences, where = [], []
        for w in rows:
            frames = self._embedder.frames_of(fbank, activity[w], int(starts[w]) - first_sample)
            for k, item in enumerate(frames):
                if item is not None:
                    sequences.append(item[0])
                    where.append((w, k))
                    reliable[w, k] = item[1] and len(item[0]) >= min_reliable
        if sequences:
            vectors = self._embedder.embed(sequences)
            for (w, k), vector in zip(where, vectors, strict=True):
                embeddings[w, k] = vector


def _uri(waveform: Waveform) -> str:
    if waveform.path is None:
        return "recording"
    name = str(waveform.path).replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name or "recording"




def _samples_of(waveform: Waveform) -> np.ndarray:
    """The samples as they are when float32 or float16 (a long recording kept compact: each
    window is converted as it is run), else as float32."""
    samples = np.asarray(waveform.samples)
    return samples if samples.dtype in (np.float32, np.float16) else samples.astype(np.float32)


def _is_silent(samples: np.ndarray, *, block: int = 1 << 20) -> bool:
    """Whether no sample exceeds 1e-4 in magnitude, checked a block at a time (no full-size
    temporary: on a 6-hour recording one would be 1.3 GiB)."""
    return not any(
        np.any(np.abs(samples[i : i + block]) > 1e-4) for i in range(0, len(samples), block)
    )
