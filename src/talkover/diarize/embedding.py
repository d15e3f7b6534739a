"""CAM++ speaker embeddings of each local speaker of each window, from their clean speech.

For local speaker ``k`` of a window, the embedding is computed on the fbank frames where ``k``
speaks *alone* (overlapped frames are skipped, they mix two voices). When a speaker never
speaks alone long enough, its overlapped frames are used instead; shorter than
``min_frames`` even then, it gets no embedding (NaN) and is linked to a global speaker later by
its neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import kaldi_native_fbank as knf
import numpy as np
import torch

from talkover.diarize.campplus import CAMPPlus
from talkover.diarize.segmentation import FRAME_SIZE_SAMPLES, FRAME_STEP_SAMPLES
from talkover.errors import ModelError

__all__ = ["FBANK_HOP_SAMPLES", "compute_fbank", "load_embedding_model", "WindowEmbedder"]

#: Hop of the fbank frames (10 ms at 16 kHz).
FBANK_HOP_SAMPLES = 160
_FBANK_WIN_SAMPLES = 400
#: Embedding length buckets: sequences are trimmed to a multiple of this many frames so that
#: equal lengths batch together without padding (which would change CAM++'s pooling).
_LENGTH_QUANTUM = 25


def compute_fbank(samples: np.ndarray, *, sample_rate_hz: int = 16_000) -> np.ndarray:
    """Kaldi-compatible 80-bin log-mel fbank (25 ms Povey window, 10 ms hop, no dither).

    Returns
    -------
    numpy.ndarray
        Shape ``(frames, 80)``, float32; frame ``i`` covers samples ``[160 i, 160 i + 400)``.
    """
    opts = knf.FbankOptions()
    opts.frame_opts.dither = 0.0
    opts.frame_opts.samp_freq = float(sample_rate_hz)
    opts.mel_opts.num_bins = 80
    fbank = knf.OnlineFbank(opts)
    fbank.accept_waveform(float(sample_rate_hz), np.ascontiguousarray(samples, np.float32))
    fbank.input_finished()
    count = fbank.num_frames_ready
    out = np.empty((count, 80), np.float32)
    for i in range(count):
        out[i] = fbank.get_frame(i)
    return out


def load_embedding_model(path: Path) -> CAMPPlus:
    """CAM++ with the (already sha256-verified) state dict at ``path`` loaded, in eval mode."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        model = CAMPPlus()
        model.load_state_dict(state, strict=True)
    except (RuntimeError, KeyError, EOFError) as exc:
        raise ModelError(f"{path}: cannot load the CAM++ checkpoint: {exc}") from exc
    return model.eval()


@dataclass(frozen=True, slots=True)
class WindowEmbedder:
    """Embeds every active local speaker of every window.

    Parameters
    ----------
    model
        Loaded CAM++.
    min_frames
        Fewest fbank frames (10 ms each) an embedding is computed from.
    max_frames
        Most fbank frames used per embedding: the clean frames nearest the window centre.
    batch_size
        Sequences per CAM++ call.
    """

    model: CAMPPlus
    min_frames: int = 30
    max_frames: int = 500
    batch_size: int = 32

    def frames_of(
        self, fbank: np.ndarray, activity: np.ndarray, start_sample: int
    ) -> list[tuple[np.ndarray, bool] | None]:
        """Per local speaker: (its fbank frames, whether they are overlap-free), or None."""
        first, count = _fbank_span(len(fbank), start_sample, activity.shape[0])
        if count <= 0:
            return [None] * activity.shape[1]
        seg_index = _seg_index(start_sample, first, count, activity.shape[0])
        act = activity[seg_index]  # (count, 3)
        alone = act * (act.sum(1, keepdims=True) == 1)
        feats = fbank[first : first + count]
        result: list[tuple[np.ndarray, bool] | None] = []
        for k in range(activity.shape[1]):
            clean = np.flatnonzero(alone[:, k])
            is_clean = len(clean) >= self.min_frames
            picked = clean if is_clean else np.flatnonzero(act[:, k])
            if len(picked) < self.min_frames:
                result.append(None)
                continue
            if len(picked) > self.max_frames:
                centre = count / 2
                picked = np.sort(picked[np.argsort(np.abs(picked - centre))[: self.max_frames]])
            result.append((feats[picked], is_clean))
        return result

    def embed(self, sequences: list[np.ndarray]) -> np.ndarray:
        """Unit-norm embeddings ``(len(sequences), 192)`` of fbank sequences, batched by length."""
        out = np.zeros((len(sequences), 192), np.float32)
        lengths = np.array([len(s) // _LENGTH_QUANTUM * _LENGTH_QUANTUM for s in sequences])
        lengths = np.where(lengths == 0, [len(s) for s in sequences], lengths)
        for length in np.unique(lengths):
            rows = np.flatnonzero(lengths == length)
            for first in range(0, len(rows), self.batch_size):
                batch_rows = rows[first : first + self.batch_size]
                feats = np.stack([sequences[r][:length] for r in batch_rows])
                feats -= feats.mean(axis=1, keepdims=True)
                emb = self.model(torch.from_numpy(feats)).numpy()
                out[batch_rows] = emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-8)
        return out


def _fbank_span(num_fbank: int, start_sample: int, num_seg: int) -> tuple[int, int]:
    """First fbank frame inside the window and how many fbank frames the window holds."""
    first = -(-start_sample // FBANK_HOP_SAMPLES)
    end_sample = start_sample + (num_seg - 1) * FRAME_STEP_SAMPLES + FRAME_SIZE_SAMPLES
    last = (end_sample - _FBANK_WIN_SAMPLES) // FBANK_HOP_SAMPLES
    return first, max(0, min(last, num_fbank - 1) - first + 1)


def _seg_index(start_sample: int, first: int, count: int, num_seg: int) -> np.ndarray:
    """Segmentation frame whose centre is nearest each fbank frame's centre."""
    centres = (first + np.arange(count)) * FBANK_HOP_SAMPLES + _FBANK_WIN_SAMPLES // 2
    seg = np.rint((centres - start_sample - FRAME_SIZE_SAMPLES // 2) / FRAME_STEP_SAMPLES)
    return np.clip(seg, 0, num_seg - 1).astype(np.int64)
