"""Media -> Waveform: decode any common audio or video file with PyAV (FFmpeg).

The first (best) audio stream of the container is decoded frame by frame, resampled with
:class:`av.AudioResampler` to float32 at ``sample_rate_hz`` and appended to a preallocated,
growing buffer, so memory stays about one copy of the output (no list of per-frame arrays).
A recording longer than :data:`COMPACT_AFTER_S` (2 hours, by its header) is kept as float16:
half the memory (a 6-hour recording takes 0.66 GiB instead of 1.3 GiB), at a precision (11
significant bits, about -66 dB) far below what the models hear; the diarizer converts each
window to float32 as it runs it.

Failures at the boundary are :class:`~talkover.errors.DecodeError` naming the file and why:
missing file, a directory, an empty (0-byte) file, a file FFmpeg cannot read (corrupt or not
media at all), a video without an audio stream, or a stream whose every packet fails to decode.
A valid file with no samples gives an empty :class:`Waveform` (empty input, empty result).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from talkover.errors import DecodeError
from talkover.files import path_kind
from talkover.io.waveform import SAMPLE_RATE_HZ, Waveform

__all__ = ["decode_audio", "decode_channels", "probe_duration_s", "COMPACT_AFTER_S"]

#: Recordings longer than this (seconds, by the container's header) are kept as float16.
COMPACT_AFTER_S = 7200.0
#: A recording whose decoded audio falls this much short of what its header declares (share,
#: and at least half a second) is said to be truncated.
SHORT_OF_HEADER = 0.02
#: A recording with more than this share of samples at full scale is said to be clipped: the
#: models were trained on unclipped speech.
CLIPPED_SHARE = 0.01

logger = logging.getLogger(__name__)

_FFMPEG_ERRORS: tuple[type[BaseException], ...] = (av.FFmpegError, OSError, ValueError)


class _GrowingBuffer:
    """A ``(channels, capacity)`` array (float32, or float16 for long recordings) that doubles
    when full."""

    def __init__(self, num_channels: int, capacity: int, dtype: type = np.float32) -> None:
        self._data = np.zeros((num_channels, max(capacity, 1024)), dtype=dtype)
        self.size = 0

    def append(self, block: np.ndarray) -> None:
        """Append a ``(channels, n)`` block."""
        n = block.shape[1]
        if self.size + n > self._data.shape[1]:
            grown = np.zeros(
                (self._data.shape[0], max(2 * self._data.shape[1], self.size + n)),
                dtype=self._data.dtype,
            )
            grown[:, : self.size] = self._data[:, : self.size]
            self._data = grown
        self._data[:, self.size : self.size + n] = block
        self.size += n

    def channels(self) -> list[np.ndarray]:
        """One contiguous ``(size,)`` array per channel (trimmed copies)."""
        return [np.ascontiguousarray(row[: self.size]) for row in self._data]


def _check_path(path: Path) -> None:
    kind = path_kind(path, error=DecodeError)
    if kind == "missing":
        raise DecodeError(path, "no such file")
    if kind == "directory":
        raise DecodeError(path, "is a directory, expected an audio or video file")
    if path.stat().st_size == 0:
        raise DecodeError(path, "file is empty (0 bytes)")


def _reason(exc: BaseException) -> str:
    """FFmpeg's words for a failure, without the errno and the path ``str(exc)`` repeats
    (``Invalid data found when processing input``)."""
    return getattr(exc, "strerror", None) or str(exc)


def _open(path: Path) -> av.container.InputContainer:
    try:
        return av.open(str(path), mode="r")
    except _FFMPEG_ERRORS as exc:
        raise DecodeError(
            path, f"not a readable audio or video file (corrupt or unsupported format: "
            f"{_reason(exc)})"
        ) from exc


def _audio_stream(container: av.container.InputContainer, path: Path) -> av.audio.AudioStream:
    if not container.streams.audio:
        kinds = sorted({s.type for s in container.streams}) or ["none"]
        raise DecodeError(path, f"contains no audio stream (streams found: {', '.join(kinds)})")
    return container.streams.best("audio") or container.streams.audio[0]


def _duration_hint_s(container: av.container.InputContainer, stream: av.audio.AudioStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def _iter_frames(
    container: av.container.InputContainer, stream: av.audio.AudioStream, path: Path
) -> Iterator[av.AudioFrame]:
    """Decoded frames of ``stream``; damaged packets are skipped and counted."""
    damaged = decoded = 0
    try:
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.FFmpegError:
                damaged += 1
                continue
            for frame in frames:
                decoded += 1
                yield frame
    except av.FFmpegError as exc:  # demuxing stopped early: a truncated or damaged container
        if decoded == 0:
            raise DecodeError(path, f"audio stream could not be read: {_reason(exc)}") from exc
        logger.warning(
            "%s: container damaged after %d frames (%s); kept the rest", path, decoded,
            _reason(exc),
        )
    if damaged and decoded == 0:
        raise DecodeError(path, f"all {damaged} audio packets failed to decode (corrupt stream)")
    if damaged:
        logger.warning("%s: skipped %d undecodable audio packet(s)", path, damaged)


def _channels_of(frame: av.AudioFrame, *, mono: bool) -> np.ndarray:
    block = frame.to_ndarray()  # (channels, n) float32, planar
    return block.mean(axis=0, keepdims=True, dtype=np.float32) if mono else block


def _decode(path: Path, sample_rate_hz: int, *, mono: bool) -> tuple[list[np.ndarray], int]:
    """Decode to float32 arrays (one per channel, or one mix) at ``sample_rate_hz``; also the
    number of channels the stream has."""
    if sample_rate_hz <= 0:
        raise ValueError(f"sample_rate_hz must be positive, got {sample_rate_hz}")
    _check_path(path)
    with _open(path) as container:
        stream = _audio_stream(container, path)
        stream_channels = max(stream.codec_context.channels, 1)
        num_channels = 1 if mono else stream_channels
        hint_s = _duration_hint_s(container, stream)
        capacity = int(hint_s * sample_rate_hz * 1.02) + sample_rate_hz
        dtype = np.float16 if hint_s > COMPACT_AFTER_S else np.float32
        buffer = _GrowingBuffer(num_channels, capacity, dtype)
        # keep the input layout (no FFmpeg downmix matrix, which is not a plain average)
        resampler = av.AudioResampler(format="fltp", layout=None, rate=sample_rate_hz)
        try:
            for frame in _iter_frames(container, stream, path):
                for out in resampler.resample(frame):
                    buffer.append(_channels_of(out, mono=mono))
            for out in resampler.resample(None):
                buffer.append(_channels_of(out, mono=mono))
        except (ValueError, av.FFmpegError) as exc:
            raise DecodeError(path, f"audio could not be resampled: {_reason(exc)}") from exc
    channels = buffer.channels()
    declared_s = max(hint_s, _wav_declared_s(path))
    _warn_damage(path, channels, hint_s=declared_s, sample_rate_hz=sample_rate_hz)
    return channels, stream_channels


def _wav_declared_s(path: Path) -> float:
    """The duration a WAV file's header declares (its data chunk's size), 0 when it is no WAV
    or declares none: FFmpeg takes a cut WAV's length from the file's size, so only the header
    tells what is missing."""
    import struct

    with open(path, "rb") as f:
        head = f.read(4096)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return 0.0
    at, byte_rate = 12, 0
    while at + 8 <= len(head):
        chunk, size = head[at:at + 4], struct.unpack("<I", head[at + 4:at + 8])[0]
        if chunk == b"fmt " and at + 16 <= len(head):
            byte_rate = struct.unpack("<I", head[at + 16:at + 20])[0]
        if chunk == b"data":
            streaming = size in (0, 0xFFFFFFFF)  # written as a stream: no size known
            return 0.0 if streaming or not byte_rate else size / byte_rate
        at += 8 + size + (size & 1)
    return 0.0


def _warn_damage(
    path: Path, channels: list[np.ndarray], *, hint_s: float, sample_rate_hz: int
) -> None:
    """Say so when the audio is shorter than its header declares (a file cut short: a copy
    interrupted, a download that stopped) or heavily clipped; both are analysed, not refused."""
    decoded_s = len(channels[0]) / sample_rate_hz if channels else 0.0
    if hint_s > 0 and decoded_s < hint_s - max(0.5, SHORT_OF_HEADER * hint_s):
        logger.warning("%s: decoded %.1f s of the %.1f s its header declares (the file looks "
                       "truncated); analysing what there is", path, decoded_s, hint_s)
    total = sum(len(c) for c in channels)
    if total:
        clipped = sum(int(np.count_nonzero(np.abs(c) >= 0.999)) for c in channels)
        if clipped > CLIPPED_SHARE * total:
            logger.warning("%s: %.0f%% of the samples are at full scale (clipped audio); "
                           "diarization and events may suffer", path, 100 * clipped / total)


def decode_audio(path: str | os.PathLike[str], *, sample_rate_hz: int = SAMPLE_RATE_HZ) -> Waveform:
    """Decode the audio of a media file to mono float32 (float16 past
    :data:`COMPACT_AFTER_S`).

    Parameters
    ----------
    path
        Any audio or video file FFmpeg reads (wav, flac, mp3, m4a/aac, ogg/opus, mp4, mkv,
        webm, mov, ...). The best audio stream is used; channels are averaged.
    sample_rate_hz
        Output rate in Hz (16 000, what talkover's models expect).

    Returns
    -------
    Waveform
        ``samples`` of shape ``(num_samples,)``, float32 (float16 for a recording longer than
        :data:`COMPACT_AFTER_S`), roughly in [-1, 1];
        ``source_channels`` the number of channels averaged into it.

    Raises
    ------
    DecodeError
        The file is missing, a directory, empty, unreadable/corrupt, or has no audio stream.
    """
    path = Path(path)
    (samples,), channels = _decode(path, sample_rate_hz, mono=True)
    return Waveform(
        samples=samples, sample_rate_hz=sample_rate_hz, path=str(path), source_channels=channels
    )


def decode_channels(
    path: str | os.PathLike[str], *, sample_rate_hz: int = SAMPLE_RATE_HZ
) -> tuple[Waveform, ...]:
    """Decode each channel of a media file's audio separately (one microphone per speaker).

    Parameters
    ----------
    path
        Any audio or video file FFmpeg reads.
    sample_rate_hz
        Output rate in Hz.

    Returns
    -------
    tuple of Waveform
        One mono waveform per channel, in the stream's channel order, all the same length.

    Raises
    ------
    DecodeError
        As :func:`decode_audio`.
    """
    path = Path(path)
    channels, _ = _decode(path, sample_rate_hz, mono=False)
    return tuple(
        Waveform(samples=c, sample_rate_hz=sample_rate_hz, path=str(path)) for c in channels
    )


def probe_duration_s(path: str | os.PathLike[str]) -> float:
    """Duration of a media file's audio in seconds, from its headers when they say.

    Falls back to counting decoded samples when the container does not record a duration.

    Raises
    ------
    DecodeError
        As :func:`decode_audio`.
    """
    path = Path(path)
    _check_path(path)
    with _open(path) as container:
        stream = _audio_stream(container, path)
        hint = _duration_hint_s(container, stream)
        if hint > 0:
            return hint
        total = 0.0
        for frame in _iter_frames(container, stream, path):
            total += frame.samples / frame.sample_rate
        return total
