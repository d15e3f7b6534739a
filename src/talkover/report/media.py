"""The recording a report plays: compressed and embedded, or linked by relative path.

A report embeds its audio as a ``data:`` URI so that the single HTML file works anywhere; the
audio is re-encoded with PyAV to mono Opus in WebM at a speech bitrate (24 kbit/s, lower for
long recordings) so that an hour stays within :data:`MAX_EMBED_BYTES`. When the encoded audio
would still be larger, or when asked to, the report links the original file by a path relative
to the report instead.
"""

from __future__ import annotations

import base64
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote

import numpy as np

from talkover.errors import DecodeError

__all__ = ["ReportMedia", "MAX_EMBED_BYTES", "encode_speech_audio", "prepare_media"]

#: Largest encoded audio embedded in a report (bytes before base64, which adds a third):
#: 10.5 MB keeps a report of a one-hour meeting under 15 MB.
MAX_EMBED_BYTES = 10_500_000
#: Sample rate of embedded audio (Opus codes wideband speech natively at 16 kHz).
EMBED_RATE_HZ = 16_000
_MAX_BITRATE = 24_000
_MIN_BITRATE = 12_000


@dataclass(frozen=True, slots=True)
class ReportMedia:
    """How a report reaches its recording.

    ``mode`` is ``"embedded"`` (``src`` is a ``data:`` URI), ``"linked"`` (``src`` is a URL
    relative to the report) or ``"none"`` (no recording). ``note`` says why, for the page.
    """

    mode: Literal["embedded", "linked", "none"]
    src: str | None
    mime: str | None
    size_bytes: int
    note: str


def _bitrate_for(duration_s: float) -> int:
    """The highest bitrate up to 24 kbit/s whose output fits :data:`MAX_EMBED_BYTES` (90 %)."""
    if duration_s <= 0:
        return _MAX_BITRATE
    fitting = int(0.9 * MAX_EMBED_BYTES * 8 / duration_s)
    return max(_MIN_BITRATE, min(_MAX_BITRATE, fitting // 1000 * 1000))


def _decode_mono(path: Path, rate_hz: int) -> np.ndarray:
    """All audio of ``path`` as mono int16 at ``rate_hz``, shape ``(num_samples,)``."""
    import av

    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise DecodeError(path, f"cannot open as audio or video ({reason})") from None
    with container:
        if not container.streams.audio:
            raise DecodeError(path, "no audio stream; expected an audio or video file with sound")
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="s16", layout="mono", rate=rate_hz)
        chunks: list[np.ndarray] = []
        try:
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
        except av.error.FFmpegError as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise DecodeError(path, f"cannot decode audio ({reason})") from None
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


def encode_speech_audio(samples: np.ndarray, *, sample_rate_hz: int, bitrate: int) -> bytes:
    """Mono int16 samples -> Opus in WebM bytes.

    Parameters
    ----------
    samples
        Shape ``(num_samples,)``, int16.
    sample_rate_hz
        Rate of ``samples`` (8, 12, 16, 24 or 48 kHz: Opus rates).
    bitrate
        Target bits per second (variable bitrate).
    """
    import av

    fd, name = tempfile.mkstemp(suffix=".webm")
    os.close(fd)
    try:
        with av.open(name, "w", format="webm") as out:
            stream = out.add_stream("libopus", rate=sample_rate_hz, layout="mono")
            stream.bit_rate = bitrate
            step = sample_rate_hz  # one second per frame handed to the encoder
            for i in range(0, len(samples), step):
                block = np.ascontiguousarray(samples[i : i + step], dtype=np.int16)
                frame = av.AudioFrame.from_ndarray(
                    block.reshape(1, -1), format="s16", layout="mono"
                )
                frame.sample_rate = sample_rate_hz
                frame.pts = i
                out.mux(stream.encode(frame))
            out.mux(stream.encode(None))
        return Path(name).read_bytes()
    finally:
        os.unlink(name)


def _too_long(media: Path, duration_s: float) -> str | None:
    """Why ``media`` cannot be embedded, known from its header alone: even the lowest bitrate
    would exceed :data:`MAX_EMBED_BYTES`; ``None`` when it may fit (encoding tells)."""
    from talkover.io.decode import probe_duration_s

    smallest = _MIN_BITRATE / 8 * max(duration_s, probe_duration_s(media))  # bytes
    if smallest <= MAX_EMBED_BYTES:
        return None
    return (f"too large to embed (about {smallest / 1e6:.1f} MB at the lowest bitrate, "
            f"{_MIN_BITRATE // 1000} kbit/s)")


def prepare_media(
    media_path: str | None,
    report_path: Path,
    *,
    duration_s: float,
    link: bool = False,
) -> ReportMedia:
    """Decide how the report at ``report_path`` plays ``media_path``; encode when embedding.

    A recording too long to fit :data:`MAX_EMBED_BYTES` even at the lowest bitrate (over
    about 1.9 hours) is linked at once, from its header's duration, without decoding and
    encoding it first (a 2-hour recording took two minutes to find that out).
    """
    if not media_path:
        return ReportMedia("none", None, None, 0, "No recording is attached to this analysis.")
    media = Path(media_path)
    if not media.is_file():
        raise DecodeError(media, "media file not found")
    why = "linked on request" if link else _too_long(media, duration_s)
    if why is None:
        samples = _decode_mono(media, EMBED_RATE_HZ)
        seconds = max(duration_s, len(samples) / EMBED_RATE_HZ)
        bitrate = _bitrate_for(seconds)
        data = encode_speech_audio(samples, sample_rate_hz=EMBED_RATE_HZ, bitrate=bitrate)
        if len(data) <= MAX_EMBED_BYTES:
            uri = "data:audio/webm;base64," + base64.b64encode(data).decode("ascii")
            note = f"Recording embedded (Opus, {len(data) / 1e6:.1f} MB)."
            return ReportMedia("embedded", uri, "audio/webm", len(data), note)
        why = f"too large to embed ({len(data) / 1e6:.1f} MB)"
    try:
        rel = Path(os.path.relpath(media.resolve(), report_path.resolve().parent)).as_posix()
        src = quote(rel)
    except ValueError:  # another drive (Windows): no relative path exists
        rel = str(media.resolve())
        src = media.resolve().as_uri()
    note = f"Recording {why}: {rel} (keep it where it is, relative to this report)."
    return ReportMedia("linked", src, None, media.stat().st_size, note)
