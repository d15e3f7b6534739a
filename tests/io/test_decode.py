from __future__ import annotations

import re
import wave
from pathlib import Path

import numpy as np
import pytest

from talkover.errors import DecodeError, InputError
from talkover.io import Waveform, decode_audio, decode_channels, probe_duration_s
from tests.io.media import peak_frequency_hz, tone, write_media

DURATION_S = 1.5

# (file name, audio codec, video codec, source rate): every container the CLI promises to read
CASES = [
    ("tone.wav", "pcm_s16le", None, 44_100),
    ("tone.flac", "flac", None, 44_100),
    ("tone.mp3", "mp3", None, 44_100),
    ("tone.m4a", "aac", None, 44_100),
    ("tone.ogg", "libopus", None, 48_000),
    ("clip.mp4", "aac", "libx264", 44_100),
    ("clip.mkv", "libopus", "mpeg4", 48_000),
    ("clip.webm", "libopus", "libvpx", 48_000),
    ("clip.mov", "aac", "mpeg4", 48_000),
]


def _tone_file(
    path: Path, hz: tuple[float, ...], *, duration_s: float, rate_hz: int, audio_codec: str,
    video_codec: str | None = None, amp: float = 0.5,
) -> Path:
    """A file at ``path`` holding one sine per channel."""
    samples = np.clip(tone(hz, duration_s=duration_s, rate_hz=rate_hz, amp=amp), -1.0, 1.0)
    return write_media(path, samples, rate_hz=rate_hz, audio_codec=audio_codec,
                       video_codec=video_codec)


@pytest.mark.parametrize(("name", "acodec", "vcodec", "rate"), CASES, ids=[c[0] for c in CASES])
def test_decodes_each_format_to_16k_mono_float32(tmp_path, name, acodec, vcodec, rate):
    path = write_media(
        tmp_path / name,
        tone((440.0,), duration_s=DURATION_S, rate_hz=rate),
        rate_hz=rate,
        audio_codec=acodec,
        video_codec=vcodec,
        video_frames=15,
    )
    wav = decode_audio(path)
    assert isinstance(wav, Waveform)
    assert wav.sample_rate_hz == 16_000 and wav.path == str(path)
    assert wav.samples.dtype == np.float32 and wav.samples.ndim == 1
    # lossy codecs add encoder delay/padding of a few tens of ms at most
    assert wav.duration_s == pytest.approx(DURATION_S, abs=0.08)
    assert 0.4 < np.abs(wav.samples).max() <= 1.0
    assert peak_frequency_hz(wav.samples, 16_000) == pytest.approx(440.0, abs=3.0)
    assert probe_duration_s(path) == pytest.approx(DURATION_S, abs=0.1)


def test_resamples_44k1_stereo_and_keeps_channels_apart(tmp_path):
    path = _tone_file(tmp_path / "stereo.wav", (440.0, 1000.0), duration_s=2.0, rate_hz=44_100,
                      audio_codec="pcm_s16le")
    left, right = decode_channels(path)
    assert len(left.samples) == len(right.samples) == pytest.approx(32_000, abs=16)
    assert peak_frequency_hz(left.samples, 16_000) == pytest.approx(440.0, abs=2.0)
    assert peak_frequency_hz(right.samples, 16_000) == pytest.approx(1000.0, abs=2.0)
    mono = decode_audio(path)
    # the mix holds both tones, each at about half level
    assert np.allclose(
        mono.samples[100:-100], (left.samples + right.samples)[100:-100] / 2, atol=0.02
    )


def test_custom_rate(tmp_path):
    path = _tone_file(tmp_path / "t.flac", (300.0,), duration_s=1.0, rate_hz=44_100,
                      audio_codec="flac")
    wav = decode_audio(path, sample_rate_hz=8_000)
    assert wav.sample_rate_hz == 8_000 and len(wav.samples) == pytest.approx(8_000, abs=8)


def test_valid_file_without_samples_gives_empty_waveform(tmp_path):
    path = tmp_path / "empty.wav"
    with wave.open(str(path), "wb") as out:  # a well-formed header and no frames
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
    wav = decode_audio(path)
    assert wav.samples.shape == (0,) and wav.duration_s == 0.0


def test_truncated_wav_keeps_what_is_there(tmp_path, caplog):
    path = _tone_file(tmp_path / "t.wav", (440.0,), duration_s=2.0, rate_hz=16_000,
                      audio_codec="pcm_s16le")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert decode_audio(path).duration_s == pytest.approx(1.0, abs=0.01)
    assert "decoded 1.0 s of the 2.0 s its header declares (the file looks truncated)" in (
        caplog.text)


@pytest.mark.parametrize(("name", "codec"), [("t.wav", "pcm_s16le"), ("t.mp3", "libmp3lame")])
def test_a_file_cut_short_is_said_to_be(tmp_path, caplog, name, codec):
    path = _tone_file(tmp_path / name, (440.0,), duration_s=20.0, rate_hz=16_000,
                      audio_codec=codec)
    decode_audio(path)
    assert "truncated" not in caplog.text  # whole: nothing said
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    decode_audio(path)
    assert re.search(r"decoded \d+\.\d s of the 20\.\d s its header declares", caplog.text)


def test_clipped_audio_is_said_to_be(tmp_path, caplog):
    path = _tone_file(tmp_path / "c.wav", (440.0,), duration_s=2.0, rate_hz=16_000,
                      audio_codec="pcm_s16le", amp=4.0)
    decode_audio(path)
    assert re.search(r"c\.wav: \d+% of the samples are at full scale \(clipped audio\)",
                     caplog.text)


def _error(path: Path) -> str:
    with pytest.raises(DecodeError) as info:
        decode_audio(path)
    assert isinstance(info.value, InputError)
    assert info.value.path == str(path) and str(path) in str(info.value)
    return str(info.value)


def test_missing_file(tmp_path):
    assert "no such file" in _error(tmp_path / "nope.wav")


def test_directory(tmp_path):
    assert "directory" in _error(tmp_path)


def test_empty_file(tmp_path):
    (tmp_path / "zero.mp3").write_bytes(b"")
    assert "empty" in _error(tmp_path / "zero.mp3")


def test_text_file_named_mp3(tmp_path):
    (tmp_path / "notes.mp3").write_text("this is not audio\n" * 50)
    assert "not a readable audio or video file" in _error(tmp_path / "notes.mp3")


def test_random_bytes(tmp_path):
    (tmp_path / "noise.wav").write_bytes(np.random.default_rng(0).bytes(4096))
    assert "not a readable audio or video file" in _error(tmp_path / "noise.wav")


def test_unreadable_file_message_is_plain(tmp_path):
    path = tmp_path / "notes.mp3"
    path.write_text("this is not audio\n" * 50)
    assert _error(path) == (
        f"{path}: not a readable audio or video file (corrupt or unsupported format: "
        "Invalid data found when processing input)"
    )  # not "[Errno 1094995529] ...: '<the path again>'"


def test_truncated_mp4_without_index(tmp_path):
    path = _tone_file(tmp_path / "cut.mp4", (440.0,), duration_s=1.0, rate_hz=44_100,
                      audio_codec="aac", video_codec="libx264")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])  # the moov index sits at the end
    assert "not a readable audio or video file" in _error(path)


def test_video_without_audio(tmp_path):
    path = write_media(tmp_path / "silent.mp4", None, rate_hz=16_000, video_codec="libx264")
    message = _error(path)
    assert "no audio stream" in message and "video" in message
    with pytest.raises(DecodeError, match="no audio stream"):
        probe_duration_s(path)
    with pytest.raises(DecodeError, match="no audio stream"):
        decode_channels(path)
