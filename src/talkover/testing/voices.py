"""A voice bank: real speakers' utterances cut from annotated recordings, for synthetic
conversations.

Each :class:`VoiceClip` is one inter-pausal unit of one real speaker: its speech has no pause of
``max_pause_s`` (0.25 s) or more, so it stays a single unit under the default ``min_pause_s``
(0.3 s). Clips come from

- clean per-speaker tracks (a case folder with ``sources/source*.wav``, e.g.
  ``pyannote_seriously_ami_1min``): each track is matched to the reference speaker whose RTTM
  activity it follows, and Silero VAD finds the speech inside that speaker's segments;
- mixed recordings with a reference RTTM: Silero VAD inside the stretches where exactly one
  reference speaker talks, at least ``clearance_s`` away from anyone else's speech.

The voice of a speaker is keyed by the RTTM label, so the same AMI participant in two clips is
one voice.

```
RTTM      A |==========|     |====|          B      |==|
VAD       A |=====| |==|    |=====|     (gaps < 0.25 s closed; >= 0.25 s split)
clips     A |=====| |==|    (|====| dropped: overlaps B, unless from A's clean track)
```
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from talkover.errors import DecodeError, InputError
from talkover.formats.rttm import read_rttm
from talkover.io.waveform import SAMPLE_RATE_HZ
from talkover.timeline import Span, SpeakerTimeline, merge_spans

__all__ = ["VoiceClip", "Voice", "VoiceBank", "load_voice_bank", "read_wav"]

#: Audio kept before and after the speech of a clip (seconds), faded in and out.
PAD_S = 0.05


@dataclass(frozen=True, slots=True, eq=False)
class VoiceClip:
    """One utterance of one real speaker.

    Parameters
    ----------
    samples
        Shape ``(num_samples,)``, float32 at 16 kHz: the speech with ``PAD_S`` of context
        before and after, faded in and out.
    speech
        Speech stretches inside the clip, in seconds from the clip's first sample; the first
        starts at ``PAD_S``. Gaps between them are shorter than the bank's ``max_pause_s``.
    source
        ``case:speaker@start_s`` of the recording it was cut from.
    """

    samples: np.ndarray
    speech: tuple[Span, ...]
    source: str

    @property
    def speech_start_s(self) -> float:
        return self.speech[0].start_s

    @property
    def speech_end_s(self) -> float:
        return self.speech[-1].end_s

    @property
    def duration_s(self) -> float:
        """Length of the speech, first onset to last offset (seconds)."""
        return self.speech_end_s - self.speech_start_s

    @property
    def max_pause_s(self) -> float:
        """Longest pause inside the speech (0 for one stretch)."""
        pairs = zip(self.speech, self.speech[1:], strict=False)
        return max((b.start_s - a.end_s for a, b in pairs), default=0.0)

    def speaking_at(self, t_s: float) -> bool:
        """Whether ``t_s`` (seconds from the clip's first sample) falls in its speech."""
        return any(span.start_s <= t_s < span.end_s for span in self.speech)


@dataclass(frozen=True, slots=True)
class Voice:
    """All clips of one speaker, shortest first."""

    name: str
    clips: tuple[VoiceClip, ...]

    def clips_between(self, min_s: float, max_s: float) -> tuple[VoiceClip, ...]:
        """Clips whose speech lasts from ``min_s`` to ``max_s`` seconds."""
        return tuple(c for c in self.clips if min_s <= c.duration_s <= max_s)


@dataclass(frozen=True, slots=True)
class VoiceBank:
    """Voices available to the conversation builder, sorted by name."""

    voices: tuple[Voice, ...]
    max_pause_s: float
    sample_rate_hz: int = SAMPLE_RATE_HZ

    def voice(self, name: str) -> Voice:
        for v in self.voices:
            if v.name == name:
                return v
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.voices)


def read_wav(path: str | Path) -> np.ndarray:
    """Mono float32 samples at 16 kHz from a PCM or float WAV file (other rates resampled)."""
    from scipy.io import wavfile
    from scipy.signal import resample_poly

    try:
        rate, data = wavfile.read(str(path))
    except (OSError, ValueError) as exc:
        raise DecodeError(path, f"not a readable WAV file ({exc})") from exc
    if data.dtype.kind == "i":
        data = data.astype(np.float32) / float(np.iinfo(data.dtype).max + 1)
    elif data.dtype.kind == "u":
        data = (data.astype(np.float32) - 128.0) / 128.0
    data = np.asarray(data, dtype=np.float32)
    if data.ndim == 2:
        data = data.mean(axis=1)
    if rate != SAMPLE_RATE_HZ:
        g = np.gcd(int(rate), SAMPLE_RATE_HZ)
        data = resample_poly(data, SAMPLE_RATE_HZ // g, int(rate) // g).astype(np.float32)
    return np.nan_to_num(data)


def load_voice_bank(
    root: str | Path,
    *,
    cases: Sequence[str] | None = None,
    max_pause_s: float = 0.25,
    clearance_s: float = 0.3,
    min_clip_s: float = 0.2,
) -> VoiceBank:
    """Cut a voice bank out of a folder of annotated cases.

    Parameters
    ----------
    root
        A folder of cases laid out as ``<case>/<case>.wav`` + ``<case>/<case>.rttm`` (and
        optionally ``<case>/sources/source*.wav``, one clean track per reference speaker), like
        the team's ``shared/bench/real``.
    cases
        Case names to use; default every case with a WAV and an RTTM.
    max_pause_s
        Speech separated by a shorter pause stays in one clip (seconds).
    clearance_s
        In a mixed recording, a clip keeps this far from other speakers' reference speech.
    min_clip_s
        Shorter speech is not kept (seconds).

    Raises
    ------
    InputError
        ``root`` holds no usable case.
    """
    root = Path(root)
    if cases:
        folders = [root / c for c in cases]
    else:
        folders = sorted(p for p in root.glob("*") if p.is_dir())
    clips: dict[str, list[VoiceClip]] = {}
    for folder in folders:
        rttm, wav = folder / f"{folder.name}.rttm", folder / f"{folder.name}.wav"
        if not (rttm.is_file() and wav.is_file()):
            if cases:
                raise InputError(f"{folder}: expected {rttm.name} and {wav.name}")
            continue
        for speaker, clip in _case_clips(folder, max_pause_s, clearance_s, min_clip_s):
            clips.setdefault(speaker, []).append(clip)
    if not clips:
        raise InputError(f"{root}: no case folder with <case>.wav and <case>.rttm")
    voices = tuple(
        Voice(name, tuple(sorted(cs, key=lambda c: (c.duration_s, c.source))))
        for name, cs in sorted(clips.items())
    )
    return VoiceBank(voices, max_pause_s=max_pause_s)


def _case_clips(
    folder: Path, max_pause_s: float, clearance_s: float, min_clip_s: float
) -> Iterable[tuple[str, VoiceClip]]:
    reference = read_rttm(folder / f"{folder.name}.rttm")
    sources = sorted((folder / "sources").glob("source*.wav"))
    if len(sources) == len(reference.speakers) and sources:
        tracks = [read_wav(p) for p in sources]
        for speaker, track in zip(_match_tracks(tracks, reference), tracks, strict=True):
            # A clean track: the speaker's own segments, overlaps included (backchannels).
            allowed = merge_spans(
                Span(max(0.0, s.start_s - 0.15), s.end_s + 0.15)
                for s in reference if s.speaker == speaker
            )
            yield from _clips_of(
                track, _vad(track), speaker, allowed, folder.name, max_pause_s, min_clip_s
            )
        return
    mixture = read_wav(folder / f"{folder.name}.wav")
    regions = _vad(mixture)
    for speaker in reference.speakers:
        allowed = _alone(reference, speaker, clearance_s)
        yield from _clips_of(
            mixture, regions, speaker, allowed, folder.name, max_pause_s, min_clip_s
        )


def _match_tracks(tracks: list[np.ndarray], reference: SpeakerTimeline) -> list[str]:
    """The reference speaker each track follows best (correlation of 100 ms log energy with
    the speaker's RTTM activity), one speaker per track."""
    hop = SAMPLE_RATE_HZ // 10
    n = min(len(t) for t in tracks) // hop
    activity = np.zeros((len(reference.speakers), n))
    for i, speaker in enumerate(reference.speakers):
        for span in reference.speech_of(speaker):
            activity[i, int(span.start_s * 10) : int(np.ceil(span.end_s * 10))] = 1.0
    energy = np.stack(
        [10 * np.log10((t[: n * hop].reshape(n, hop).astype(np.float64) ** 2).mean(1) + 1e-10)
         for t in tracks]
    )
    corr = np.nan_to_num(np.corrcoef(np.vstack([energy, activity]))[: len(tracks), len(tracks) :])
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(-corr)
    names = [""] * len(tracks)
    for r, c in zip(rows, cols, strict=True):
        names[r] = reference.speakers[c]
    return names


def _alone(reference: SpeakerTimeline, speaker: str, clearance_s: float) -> tuple[Span, ...]:
    """Stretches of ``speaker``'s reference speech at least ``clearance_s`` from others'."""
    others = merge_spans(
        Span(s.start_s - clearance_s, s.end_s + clearance_s)
        for s in reference if s.speaker != speaker
    )
    kept: list[Span] = []
    for span in reference.speech_of(speaker):
        pieces = [span]
        for o in others:
            pieces = [p for q in pieces for p in _subtract(q, o)]
        kept += pieces
    return tuple(kept)


def _subtract(span: Span, hole: Span) -> list[Span]:
    if hole.end_s <= span.start_s or hole.start_s >= span.end_s:
        return [span]
    return [
        p for p in (Span(span.start_s, hole.start_s), Span(hole.end_s, span.end_s))
        if p.end_s > p.start_s
    ]


def _clips_of(
    audio: np.ndarray,
    regions: Sequence[Span],
    speaker: str,
    allowed: Sequence[Span],
    case: str,
    max_pause_s: float,
    min_clip_s: float,
) -> Iterable[tuple[str, VoiceClip]]:
    """Clips of the VAD speech inside ``allowed`` (regions are cut at its edges)."""
    inside = [
        Span(max(r.start_s, a.start_s), min(r.end_s, a.end_s))
        for r in regions
        for a in allowed
        if min(r.end_s, a.end_s) - max(r.start_s, a.start_s) > 0.05
    ]
    pad = int(PAD_S * SAMPLE_RATE_HZ)
    for unit in _units(sorted(inside), max_pause_s):
        start, end = unit[0].start_s, unit[-1].end_s
        a = int(round(start * SAMPLE_RATE_HZ)) - pad
        b = int(round(end * SAMPLE_RATE_HZ)) + pad
        if end - start < min_clip_s or a < 0 or b > len(audio):
            continue
        samples = _fade(audio[a:b].copy(), pad)
        offset = a / SAMPLE_RATE_HZ
        speech = tuple(
            Span(round(s.start_s - offset, 3), round(s.end_s - offset, 3)) for s in unit
        )
        yield speaker, VoiceClip(samples, speech, f"{case}:{speaker}@{start:.2f}")


def _units(regions: Sequence[Span], max_pause_s: float) -> list[list[Span]]:
    """Group VAD regions into units split at pauses of ``max_pause_s`` or more."""
    units: list[list[Span]] = []
    for region in regions:
        if units and region.start_s - units[-1][-1].end_s < max_pause_s:
            units[-1].append(region)
        else:
            units.append([region])
    return units


def _fade(samples: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(samples) // 2)
    ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
    samples[:n] *= ramp
    samples[len(samples) - n :] *= ramp[::-1]
    return samples


def _vad(audio: np.ndarray) -> tuple[Span, ...]:
    """Silero VAD speech regions of ``audio`` (seconds, to the millisecond)."""
    import torch
    from silero_vad import get_speech_timestamps

    with torch.inference_mode():
        stamps = get_speech_timestamps(
            torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float32)),
            _silero(),
            threshold=0.5,
            sampling_rate=SAMPLE_RATE_HZ,
            min_speech_duration_ms=100,
            min_silence_duration_ms=60,
            speech_pad_ms=20,
        )
    return tuple(
        Span(round(s["start"] / SAMPLE_RATE_HZ, 3), round(s["end"] / SAMPLE_RATE_HZ, 3))
        for s in stamps
    )


@cache
def _silero():  # noqa: ANN202 - torch module
    from silero_vad import load_silero_vad

    return load_silero_vad()
