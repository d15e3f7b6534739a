"""Streaming, overlap-aware, causal diarization: 16 kHz audio in, per-frame speakers out.

Every ``step_s`` of audio, the segmentation model reads the last ``window_s`` seconds (silence
before the stream began), CAM++ embeds each local speaker it hears from their clean speech in
the window, and :class:`~talkover.live.speakers.SpeakerTracker` names them. Only past audio is
ever used. The frames at the window's end are then decided, ``latency_s`` back from it: each
global speaker's score is the average, over the windows that saw the frame so far, of the
probability of the local speaker mapped to them, and the frame keeps as many top speakers as
the windows heard on average, as the offline reconstruction does
(:func:`~talkover.diarize.reconstruct.aggregate_activity`,
:func:`~talkover.diarize.reconstruct.binarize`).

```
audio  ...|----------- window_s -----------|      (now)
                                  |- step -|      frames decided at this step
                              |- step -| <-latency->   with latency_s > 0
```

The models are the :class:`~talkover.diarize.Diarizer` 's own (loaded once, shared with the
offline analysis at the end of a session); they run on one worker thread with one torch
thread, as the offline diarizer's workers do, leaving the caller's torch settings alone.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment

from talkover.diarize import Diarizer
from talkover.diarize.embedding import WindowEmbedder, compute_fbank
from talkover.diarize.reconstruct import aggregate_activity, binarize
from talkover.diarize.segmentation import FRAME_STEP_SAMPLES, num_frames, segment_windows
from talkover.errors import ConfigError
from talkover.io.waveform import SAMPLE_RATE_HZ
from talkover.live.activity import SEGMENTATION_GRID, ActivityChunk
from talkover.live.speakers import SpeakerTracker, TrackingConfig
from talkover.live.speech import Smoothing
from talkover.voices import VoiceProfile

__all__ = ["StreamConfig", "StreamingDiarizer"]


@dataclass(frozen=True, slots=True)
class StreamConfig:
    """Tunables of streaming diarization (seconds, rounded to 16.875 ms frames).

    Attributes
    ----------
    window_s
        Audio the segmentation model reads at each step (diart: 5 s).
    step_s
        Audio between two runs of the models; frames are decided this often.
    latency_s
        How far behind the newest audio frames are decided (0: as soon as one window saw
        them; more: averaged over more windows, later).
    min_embedding_s, max_embedding_s
        Least and most speech an embedding is computed from.
    run_gap_s
        A local speaker's pause at least this long ends its run: its embedding is computed
        from its current run only, and a new run is not assumed to be the same voice (the
        segmentation model can give two voices taking turns one local speaker).
    count_offset
        Added to the mean number of speakers a frame's windows heard before rounding
        (> 0 favours overlap).
    tracking
        Speaker matching (:class:`~talkover.live.speakers.TrackingConfig`).
    """

    window_s: float = 5.0
    step_s: float = 0.5
    latency_s: float = 0.0
    min_embedding_s: float = 0.3
    max_embedding_s: float = 2.0
    run_gap_s: float = 0.25
    count_offset: float = 0.0
    tracking: TrackingConfig = field(default_factory=TrackingConfig)

    def __post_init__(self) -> None:
        if not 2.0 <= self.window_s <= 10.0:
            raise ConfigError(f"window_s must be in [2, 10], got {self.window_s}")
        if not 0.1 <= self.step_s <= self.window_s / 2:
            raise ConfigError(f"step_s must be in [0.1, window_s / 2], got {self.step_s}")
        if not 0.0 <= self.latency_s <= self.window_s - 2 * self.step_s:
            raise ConfigError(
                f"latency_s must be in [0, window_s - 2 step_s], got {self.latency_s}")

    @property
    def window_samples(self) -> int:
        return _frames(self.window_s) * FRAME_STEP_SAMPLES

    @property
    def step_samples(self) -> int:
        return _frames(self.step_s) * FRAME_STEP_SAMPLES


def _frames(seconds: float) -> int:
    return max(1, round(seconds * SAMPLE_RATE_HZ / FRAME_STEP_SAMPLES))


@dataclass(frozen=True, slots=True, eq=False)
class _Window:
    """One window's output: first frame, local speaker probability and activity
    ``(frames, 3)``, and the global speaker of each local speaker ``(3,)``."""

    first_frame: int
    probability: np.ndarray
    activity: np.ndarray
    assignment: np.ndarray


class StreamingDiarizer:
    """Push audio, get :class:`~talkover.live.activity.ActivityChunk` s of decided frames.

    Parameters
    ----------
    diarizer
        Whose loaded models to run (and whose clean-up the frames get).
    config
        The streaming tunables.
    profiles
        Enrolled voices: speakers named from the first word.
    """

    grid = SEGMENTATION_GRID

    def __init__(
        self,
        diarizer: Diarizer,
        *,
        config: StreamConfig | None = None,
        profiles: Sequence[VoiceProfile] = (),
    ) -> None:
        self.config = config or StreamConfig()
        self.smoothing = Smoothing.for_diarizer(
            self.grid, min_duration_off_s=diarizer.config.min_duration_off_s,
            min_duration_on_s=diarizer.config.min_duration_on_s,
        )
        self.speakers = SpeakerTracker(profiles, config=self.config.tracking)
        self._segmentation = diarizer.segmentation_model
        self._embedder = WindowEmbedder(
            diarizer.embedding_model,
            min_frames=max(1, round(self.config.min_embedding_s * 100)),
            max_frames=max(1, round(self.config.max_embedding_s * 100)),
            batch_size=4,
        )
        self._window = self.config.window_samples
        self._step = self.config.step_samples
        self._frames = num_frames(self._window)
        self._latency = _frames(self.config.latency_s) if self.config.latency_s > 0 else 0
        self._recent_frames = _frames(self.config.max_embedding_s)
        self._run_gap = _frames(self.config.run_gap_s)
        self._min_run_frames = _frames(self.config.min_embedding_s)
        self._audio = np.zeros(self._window, np.float32)  # the last window of audio
        self._received = 0
        self._next_end = self._step
        self._history: deque[_Window] = deque()
        self._committed = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="talkover-live")

    @property
    def received_s(self) -> float:
        """Seconds of audio pushed so far."""
        return self._received / SAMPLE_RATE_HZ

    def push(self, samples: np.ndarray) -> list[ActivityChunk]:
        """Take audio ``(channels, n)`` or ``(n,)`` (channels are averaged); return the frames
        this decided."""
        mono = np.asarray(samples, dtype=np.float32)
        if mono.ndim == 2:
            mono = mono.mean(axis=0)
        return self._pool.submit(self._push, mono).result()

    def flush(self) -> list[ActivityChunk]:
        """The stream ended: decide every frame left."""
        return self._pool.submit(self._flush).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    # -- on the worker thread ---------------------------------------------------------------
    def _push(self, mono: np.ndarray) -> list[ActivityChunk]:
        torch.set_num_threads(1)  # this worker thread only
        chunks = []
        while len(mono):
            take = min(len(mono), self._next_end - self._received)
            self._append(mono[:take])
            mono = mono[take:]
            if self._received == self._next_end:
                chunks += self._step_at(self._next_end)
                self._next_end += self._step
        return chunks

    def _flush(self) -> list[ActivityChunk]:
        if self._received == 0:
            return []
        if self._received > self._next_end - self._step:  # a partial step is left
            end = self._received
            self._append(np.zeros(self._next_end - self._received, np.float32))
            self._received = end
            return self._step_at(self._next_end, final=True)
        last = min(self._history[-1].first_frame + self._frames,
                   _first_frame_after(self._received))
        return self._commit(last, self._received / SAMPLE_RATE_HZ)

    def _append(self, piece: np.ndarray) -> None:
        n = len(piece)
        if n:
            self._audio = np.concatenate([self._audio[n:], piece]) if n < self._window else (
                piece[-self._window :].copy())
            self._received += n

    def _step_at(self, end_sample: int, *, final: bool = False) -> list[ActivityChunk]:
        """Run the models on the window ending at ``end_sample`` and decide frames."""
        first_frame = (end_sample - self._window) // FRAME_STEP_SAMPLES
        with torch.inference_mode():
            window = self._analyse(first_frame)
        self._history.append(window)
        decided_s = min(end_sample, self._received) / SAMPLE_RATE_HZ
        last = first_frame + self._frames - (0 if final else self._latency)
        if final:  # frames that start after the audio's end are not decided
            last = min(last, _first_frame_after(self._received))
        return self._commit(last, decided_s)

    def _analyse(self, first_frame: int) -> _Window:
        """Segment, embed and name the speakers of the current window."""
        result = segment_windows(self._segmentation, self._audio, np.zeros(1, np.int64),
                                 window_samples=self._window)
        probability, activity = result.probability[0], result.activity[0]  # (frames, 3) each
        runs = _current_runs(activity, self._run_gap)  # (3,) first frame of each current run
        previous = self._continued(first_frame, activity, runs)  # (3,)
        recent = activity[-(2 * _frames(self.config.step_s) + self._latency):]
        active = activity.sum(axis=0) > 0
        wanted = active & (recent.sum(axis=0) > 0)
        embeddings, clean_s = self._embed(activity, runs, wanted)  # (3, 192), (3,)
        assignment = self.speakers.assign(embeddings, clean_s, active, previous)
        return _Window(first_frame, probability, activity, assignment)

    def _embed(
        self, activity: np.ndarray, runs: np.ndarray, wanted: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """An embedding of each wanted local speaker from its current run's speech (the most
        recent ``max_embedding_s`` of it), and how much of it was overlap-free."""
        embeddings = np.full((activity.shape[1], 192), np.nan, np.float32)
        clean_s = np.zeros(activity.shape[1])
        if not wanted.any():
            return embeddings, clean_s
        fbank = compute_fbank(self._audio)  # (frames, 80)
        current = np.zeros_like(activity)
        for k in np.flatnonzero(wanted):
            current[runs[k]:, k] = activity[runs[k]:, k]
        current = _most_recent(current, self._recent_frames)
        sequences, rows = [], []
        for k, item in enumerate(self._embedder.frames_of(fbank, current, 0)):
            if item is not None and wanted[k]:
                sequences.append(item[0])
                rows.append(k)
                clean_s[k] = len(item[0]) / 100 if item[1] else 0.0
        if sequences:
            embeddings[rows] = self._embedder.embed(sequences)
        return embeddings, clean_s

    def _continued(self, first_frame: int, activity: np.ndarray, runs: np.ndarray) -> np.ndarray:
        """For each local speaker, the global speaker of the previous window's local speaker
        whose activity agrees with it where the two windows overlap (``-1``: none), provided
        its current run was already under way there (a new run after a pause may be another
        voice under the same local speaker)."""
        out = np.full(activity.shape[1], -1, dtype=np.int64)
        if not self._history:
            return out
        prev = self._history[-1]
        shift = first_frame - prev.first_frame
        overlap = self._frames - shift
        if overlap <= 0:
            return out
        now, before = activity[:overlap], prev.activity[shift:]  # (overlap, 3) each
        agree = now.T @ before  # (3, 3): frames both active
        rows, cols = linear_sum_assignment(agree, maximize=True)
        for k, j in zip(rows, cols, strict=True):
            smaller = min(now[:, k].sum(), before[:, j].sum())
            under_way = runs[k] + self._min_run_frames <= overlap
            if agree[k, j] >= 6 and agree[k, j] >= 0.5 * smaller and under_way:
                out[k] = prev.assignment[j]
        return out

    def _commit(self, last_frame: int, decided_s: float) -> list[ActivityChunk]:
        """Decide frames ``[committed, last_frame)`` from the windows that saw them."""
        if last_frame <= self._committed:
            return []
        windows = list(self._history)
        origin = windows[0].first_frame
        num_speakers = max(1, len(self.speakers.names))
        scores, count = aggregate_activity(
            np.stack([w.probability for w in windows]),
            np.array([(w.first_frame - origin) * FRAME_STEP_SAMPLES for w in windows]),
            np.stack([w.assignment for w in windows]),
            num_speakers=num_speakers, edge_weighting=False,
            count_offset=self.config.count_offset,
        )  # (frames, K), (frames,)
        lo, hi = self._committed - origin, last_frame - origin
        active = binarize(scores[lo:hi], count[lo:hi])[:, : len(self.speakers.names)]
        chunk = ActivityChunk(self._committed, active, tuple(self.speakers.names), self.grid,
                              decided_s)
        self._committed = last_frame
        while (len(self._history) > 1  # the newest stays, to continue its speakers
               and self._history[0].first_frame + self._frames <= self._committed):
            self._history.popleft()
        return [chunk]


def _current_runs(activity: np.ndarray, gap: int) -> np.ndarray:
    """First frame of each local speaker's current run: its speech since the last pause of at
    least ``gap`` frames (0 when it has none; the window's length when it is silent)."""
    starts = np.full(activity.shape[1], activity.shape[0], dtype=np.int64)
    for k in range(activity.shape[1]):
        on = np.flatnonzero(activity[:, k] > 0)
        if len(on) == 0:
            continue
        breaks = np.flatnonzero(np.diff(on) > gap)
        starts[k] = on[breaks[-1] + 1] if len(breaks) else on[0]
    return starts


def _most_recent(activity: np.ndarray, frames: int) -> np.ndarray:
    """``activity`` with each local speaker's speech kept only in its last ``frames`` frames
    of overlap-free speech (and the overlapped frames among them), so that an embedding
    describes who that local speaker is *now*: the segmentation model can follow one voice
    with another under the same local speaker when they take turns."""
    out = np.zeros_like(activity)
    alone = activity.sum(axis=1) == 1
    for k in range(activity.shape[1]):
        clean = np.flatnonzero((activity[:, k] > 0) & alone)
        since = clean[-frames] if len(clean) >= frames else 0
        out[since:, k] = activity[since:, k]
    return out


def _first_frame_after(num_samples: int) -> int:
    """The first frame that starts at or after the audio's end."""
    end_s = num_samples / SAMPLE_RATE_HZ
    grid = SEGMENTATION_GRID
    frame = max(0, int((end_s - grid.origin_s) / grid.step_s) - 1)
    while grid.start_s(frame) < end_s:
        frame += 1
    return frame
