"""diarize_channels(): one microphone per speaker -> a :class:`SpeakerTimeline`.

Steps (per 32 ms window, all channels at once)::

    waveforms --align--> (C, n) at 16 kHz --Silero VAD--> (C, W) speech probability
      --hysteresis (onset/offset)--> (C, W) VAD runs
      --bleed--> drop runs that are mostly another channel's voice leaking in, and the
                 bleed windows of the runs kept
      --drop blips < min_burst_s--> --close pauses < min_pause_s--> --drop < min_segment_s-->
      --pad--> segments

The thresholds live in one frozen :class:`MultichannelConfig`; their defaults were tuned on the
AMI excerpt in ``benchmarks/multichannel.py`` (see ``docs/multichannel.md``).
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from math import gcd
from pathlib import Path

import numpy as np

from talkover.errors import ConfigError, InputError
from talkover.files import sha256_file
from talkover.io.waveform import Waveform
from talkover.multichannel.bleed import bleed_mask
from talkover.multichannel.vad import (
    SILERO_VAD_WEIGHTS,
    VAD_HOP_S,
    VAD_SAMPLE_RATE_HZ,
    VAD_WINDOW_SAMPLES,
    speech_probabilities,
)
from talkover.provenance import InputFile, Provenance
from talkover.timeline import Segment, SpeakerTimeline

__all__ = [
    "MultichannelConfig",
    "align_channels",
    "check_names",
    "speech_masks",
    "diarize_channels",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class MultichannelConfig:
    """Every threshold of multichannel voice activity (probabilities, dB, seconds).

    Parameters
    ----------
    onset
        VAD probability at which a channel's speech starts.
    offset
        Probability below which it ends (hysteresis; ``offset <= onset``).
    bleed_margin_db
        A speech window is a bleed candidate when another channel is this much louder.
    bleed_min_correlation
        ...and is bleed when its peak normalised cross-correlation with that louder channel
        reaches this (0: the energy test alone decides).
    bleed_max_lag_s
        Largest inter-microphone delay searched by the correlation (0.01 s ~ 3.4 m).
    bleed_run_fraction
        A VAD run whose share of bleed windows reaches this is dropped whole.
    min_burst_s
        VAD runs shorter than this are dropped before gaps are closed (blips and bleed
        leftovers would otherwise be joined into long false segments).
    min_pause_s
        Pauses shorter than this inside one speaker's speech are closed (segment-level speech,
        as human annotators mark it). (Was ``min_gap_s``; that name is still
        accepted by :meth:`updated` and read as a property, for one release.)
    min_segment_s
        Speech segments shorter than this (after closing gaps) are dropped; short enough that a
        0.25 s "mm" backchannel survives. (Was ``min_speech_s``; that name is still accepted
        by :meth:`updated` and read as a property, for one release.)
    pad_s
        Speech is widened by this much on each side (the VAD's windows start late, end early).
    """

    onset: float = 0.6
    offset: float = 0.4
    bleed_margin_db: float = 15.0
    bleed_min_correlation: float = 0.6
    bleed_max_lag_s: float = 0.01
    bleed_run_fraction: float = 0.5
    min_burst_s: float = 0.16
    min_pause_s: float = 1.0
    min_segment_s: float = 0.2
    pad_s: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 < self.offset <= self.onset < 1.0:
            raise ConfigError(
                f"VAD thresholds must satisfy 0 < offset <= onset < 1, got "
                f"onset={self.onset}, offset={self.offset}"
            )
        for name in ("bleed_min_correlation", "bleed_run_fraction"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{name} must be in [0, 1], got {getattr(self, name)}")
        for name in (
            "bleed_margin_db",
            "bleed_max_lag_s",
            "min_burst_s",
            "min_pause_s",
            "min_segment_s",
            "pad_s",
        ):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must be >= 0, got {getattr(self, name)}")

    @property
    def min_speech_s(self) -> float:
        """Deprecated name of :attr:`min_segment_s`."""
        return self.min_segment_s

    @property
    def min_gap_s(self) -> float:
        """Deprecated name of :attr:`min_pause_s`."""
        return self.min_pause_s

    def updated(self, **overrides: float | None) -> MultichannelConfig:
        """A copy with the given non-``None`` values replaced."""
        for old, new in (("min_speech_s", "min_segment_s"), ("min_gap_s", "min_pause_s")):
            if old in overrides:
                warnings.warn(
                    f"MultichannelConfig {old} is deprecated; use {new}",
                    DeprecationWarning, stacklevel=2,
                )
                overrides[new] = overrides.pop(old)
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ConfigError(
                f"unknown multichannel setting(s) {unknown}; expected {sorted(known)}"
            )
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def check_names(
    names: Sequence[str],
    count: int | None = None,
    *,
    per: str = "channel",
    kind: str = "speaker",
    where: str | os.PathLike[str] | None = None,
    hint: str | None = None,
) -> None:
    """Refuse names that are empty or repeated or, given ``count``, not one per ``per``.

    Parameters
    ----------
    names
        The speaker names (already stripped of surrounding spaces).
    count
        How many there must be (``None``: any number).
    per
        What each name stands for, in the messages: ``"channel"``, ``"track"``...
    kind
        What the messages call the names: ``"speaker"``, or ``"track"`` for ``--track-names``.
    where
        The file or flag the names are for; the messages then start with it.
    hint
        How to fix it, added in parentheses to the messages.

    Raises
    ------
    InputError
        Saying what was given and what was expected.

    >>> check_names(["Agent", "Customer"], 2)
    >>> check_names(["Agent", ""])
    Traceback (most recent call last):
    ...
    talkover.errors.InputError: speaker names must be non-empty and unique, got 'Agent', ''
    """
    start = f"{where}: " if where is not None else ""
    end = f" ({hint})" if hint is not None else ""
    if count is not None and len(names) != count:
        raise InputError(
            f"{start}{count} {per}(s) but {len(names)} {kind} name(s) ({', '.join(names)}); "
            f"expected one name per {per}{end}"
        )
    if any(not n for n in names) or len(set(names)) != len(names):
        given = ", ".join(repr(n) for n in names)
        raise InputError(f"{start}{kind} names must be non-empty and unique, got {given}{end}")


def align_channels(waveforms: Sequence[Waveform]) -> np.ndarray:
    """Resample every waveform to 16 kHz and zero-pad them to the longest.

    Returns
    -------
    numpy.ndarray
        Shape ``(num_channels, num_samples)``, float32.
    """
    resampled = []
    for wav in waveforms:
        x = np.asarray(wav.samples, dtype=np.float32)
        if x.ndim != 1:
            raise InputError(
                f"{wav.path or 'waveform'}: expected mono samples, got shape {x.shape}"
            )
        if wav.sample_rate_hz != VAD_SAMPLE_RATE_HZ:
            from scipy.signal import resample_poly  # only when a rate differs

            g = gcd(VAD_SAMPLE_RATE_HZ, wav.sample_rate_hz)
            x = resample_poly(x, VAD_SAMPLE_RATE_HZ // g, wav.sample_rate_hz // g).astype(
                np.float32
            )
        resampled.append(x)
    length = max((len(x) for x in resampled), default=0)
    if any(len(x) != length for x in resampled):
        logger.info(
            "channels differ in length; padded with silence to %.2f s", length / VAD_SAMPLE_RATE_HZ
        )
    out = np.zeros((len(resampled), length), dtype=np.float32)
    for row, x in zip(out, resampled, strict=True):
        row[: len(x)] = x
    return out


def _hysteresis(probs: np.ndarray, onset: float, offset: float) -> np.ndarray:
    """``(C, W)`` probabilities -> bool: on at ``>= onset``, off again below ``offset``."""
    mask = np.zeros(probs.shape, dtype=bool)
    for c, row in enumerate(probs):
        active = False
        for k, p in enumerate(row):
            active = p >= offset if active else p >= onset
            mask[c, k] = active
    return mask


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[start, end)`` window indices of the True runs of a 1-D mask."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True))


def _drop_short(mask: np.ndarray, min_windows: int) -> np.ndarray:
    """Remove the True runs of a 1-D mask shorter than ``min_windows``."""
    out = mask.copy()
    for start, end in _runs(mask):
        if end - start < min_windows:
            out[start:end] = False
    return out


def _close_pauses(mask: np.ndarray, min_pause: int) -> np.ndarray:
    """Fill the inner False runs of a 1-D mask shorter than ``min_pause`` windows."""
    out = mask.copy()
    for start, end in _runs(~mask):
        if start > 0 and end < len(mask) and end - start < min_pause:
            out[start:end] = True
    return out


def _remove_bleed(vad: np.ndarray, bleed: np.ndarray, run_fraction: float) -> np.ndarray:
    """Drop VAD runs that are mostly bleed; strip the bleed windows of the others."""
    out = vad & ~bleed
    for c in range(vad.shape[0]):
        for start, end in _runs(vad[c]):
            if bleed[c, start:end].mean() >= run_fraction:
                out[c, start:end] = False
    return out


def speech_masks(
    samples: np.ndarray, *, config: MultichannelConfig, suppress_bleed: bool = True
) -> np.ndarray:
    """Per-window speech of each channel after bleed suppression and smoothing.

    Parameters
    ----------
    samples
        Shape ``(num_channels, num_samples)``, float32 at 16 kHz, time-aligned.
    config
        The thresholds.
    suppress_bleed
        ``False`` skips the bleed step (the plain-VAD anchor of the benchmark).

    Returns
    -------
    numpy.ndarray
        Shape ``(num_channels, num_windows)``, bool; window ``k`` starts at ``k * VAD_HOP_S`` s.
    """
    probs = speech_probabilities(samples)  # (C, W)
    vad = _hysteresis(probs, config.onset, config.offset)  # (C, W)
    if suppress_bleed and samples.shape[0] > 1:
        bleed = bleed_mask(
            samples,
            vad,
            window=VAD_WINDOW_SAMPLES,
            margin_db=config.bleed_margin_db,
            min_correlation=config.bleed_min_correlation,
            max_lag=round(config.bleed_max_lag_s * VAD_SAMPLE_RATE_HZ),
        )  # (C, W)
        vad = _remove_bleed(vad, bleed, config.bleed_run_fraction)
    min_burst = round(config.min_burst_s / VAD_HOP_S)
    min_pause = round(config.min_pause_s / VAD_HOP_S)
    min_segment = round(config.min_segment_s / VAD_HOP_S)
    out = np.zeros_like(vad)
    for c, row in enumerate(vad):
        out[c] = _drop_short(_close_pauses(_drop_short(row, min_burst), min_pause), min_segment)
    return out  # (C, W)


def diarize_channels(
    waveforms: Sequence[Waveform],
    names: Sequence[str],
    *,
    config: MultichannelConfig | None = None,
    suppress_bleed: bool = True,
    uri: str = "recording",
) -> SpeakerTimeline:
    """Who speaks when, from one microphone (channel or file) per speaker.

    Parameters
    ----------
    waveforms
        One mono waveform per speaker; any sample rates (resampled to 16 kHz), any lengths
        (shorter ones are padded with silence).
    names
        The speaker of each waveform, same order; unique and non-empty.
    config
        Thresholds (defaults: :class:`MultichannelConfig`).
    suppress_bleed
        Remove cross-talk before deciding speech (``False`` only for comparisons).
    uri
        Recording name for the timeline.

    Returns
    -------
    SpeakerTimeline
        One segment per speech stretch of each channel; overlaps kept; ``duration_s`` the
        longest waveform's length. Silent channels contribute nothing.

    Raises
    ------
    InputError
        The number of names differs from the number of waveforms, or names repeat or are empty.
    ModelError
        The packaged Silero VAD weights are missing or corrupt.
    """
    config = config or MultichannelConfig()
    names = [n.strip() for n in names]
    check_names(names, len(waveforms))
    stamp = _provenance(waveforms, config, suppress_bleed=suppress_bleed, uri=uri)
    samples = align_channels(waveforms)  # (C, n)
    duration_s = samples.shape[1] / VAD_SAMPLE_RATE_HZ
    if samples.shape[1] == 0:
        return SpeakerTimeline((), duration_s=0.0, uri=uri, provenance=stamp)
    masks = speech_masks(samples, config=config, suppress_bleed=suppress_bleed)  # (C, W)
    segments = [
        Segment(
            max(0.0, round(start * VAD_HOP_S - config.pad_s, 3)),
            min(duration_s, round(end * VAD_HOP_S + config.pad_s, 3)),
            name,
        )
        for name, mask in zip(names, masks, strict=True)
        for start, end in _runs(mask)
    ]
    return SpeakerTimeline(tuple(segments), duration_s=duration_s, uri=uri, provenance=stamp)


def _provenance(
    waveforms: Sequence[Waveform], config: MultichannelConfig, *, suppress_bleed: bool, uri: str
) -> Provenance:
    """Kind ``multichannel``: the files (each once, hashed), the settings and the VAD model."""
    paths = list(dict.fromkeys(str(w.path) for w in waveforms if w.path is not None))
    inputs = []
    for path in paths:
        try:
            digest = sha256_file(path)
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
        inputs.append(InputFile(path, digest, Path(path).suffix.lstrip(".").lower()))
    settings = {**asdict(config), "suppress_bleed": suppress_bleed}
    return Provenance.with_settings(
        "multichannel", settings, uri=uri, inputs=tuple(inputs),
        models=(("snakers4/silero-vad", SILERO_VAD_WEIGHTS.sha256),),
    )
