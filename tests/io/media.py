"""Write small real media files with PyAV's encoders (test helper)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def tone(
    freqs_hz: tuple[float, ...], *, duration_s: float, rate_hz: int, amp: float = 0.5
) -> np.ndarray:
    """One sine per channel, shape ``(channels, n)`` float32."""
    t = np.arange(int(duration_s * rate_hz)) / rate_hz
    return np.stack([amp * np.sin(2 * np.pi * f * t) for f in freqs_hz]).astype(np.float32)


def write_media(
    path: Path,
    samples: np.ndarray | None,
    *,
    rate_hz: int,
    audio_codec: str | None = None,
    video_codec: str | None = None,
    video_frames: int = 10,
) -> Path:
    """Encode ``samples`` ``(channels, n)`` (and/or a small black video) into ``path``."""
    with av.open(str(path), mode="w") as out:
        vstream = astream = None
        if video_codec is not None:
            vstream = out.add_stream(video_codec, rate=10)
            vstream.width, vstream.height, vstream.pix_fmt = 64, 48, "yuv420p"
        if samples is not None:
            layout = {1: "mono", 2: "stereo"}[samples.shape[0]]
            astream = out.add_stream(audio_codec, rate=rate_hz, layout=layout)
        if vstream is not None:
            for i in range(video_frames):
                frame = av.VideoFrame.from_ndarray(np.zeros((48, 64, 3), np.uint8), format="rgb24")
                frame.pts = i
                out.mux(vstream.encode(frame))
            out.mux(vstream.encode(None))
        if astream is not None:
            block = 1024
            for start in range(0, samples.shape[1], block):
                chunk = np.ascontiguousarray(samples[:, start : start + block])
                frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=astream.layout.name)
                frame.sample_rate = rate_hz
                frame.pts = start
                out.mux(astream.encode(frame))
            out.mux(astream.encode(None))
    return path


def peak_frequency_hz(samples: np.ndarray, rate_hz: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate_hz)[np.argmax(spectrum)])
