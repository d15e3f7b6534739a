from __future__ import annotations

import base64
from pathlib import Path

import av
import numpy as np
import pytest

from talkover.errors import DecodeError
from talkover.report.media import MAX_EMBED_BYTES, _bitrate_for, prepare_media
from tests.report.conftest import planted_timeline, write_tone_wav


def decoded_seconds(data: bytes, tmp_path: Path) -> float:
    path = tmp_path / "back.webm"
    path.write_bytes(data)
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name == "opus"
        n = sum(frame.samples for frame in container.decode(stream))
        return n / stream.codec_context.sample_rate


def test_embeds_opus_that_decodes_to_the_same_length(tmp_path: Path) -> None:
    timeline = planted_timeline()
    wav = write_tone_wav(timeline, tmp_path / "tones.wav")
    media = prepare_media(str(wav), tmp_path / "r.html", duration_s=timeline.end_s)
    assert media.mode == "embedded" and media.mime == "audio/webm"
    head, payload = media.src.split(",", 1)
    assert head == "data:audio/webm;base64"
    data = base64.b64decode(payload)
    assert data[:4] == b"\x1a\x45\xdf\xa3"  # EBML: a WebM file
    assert len(data) == media.size_bytes
    assert decoded_seconds(data, tmp_path) == pytest.approx(timeline.end_s, abs=0.1)
    # about 24 kbit/s: far smaller than the 16-bit PCM source
    assert media.size_bytes < 0.15 * wav.stat().st_size


def test_links_by_relative_path_on_request(tmp_path: Path) -> None:
    wav = write_tone_wav(planted_timeline(), tmp_path / "my call #1.wav")
    media = prepare_media(str(wav), tmp_path / "out" / "r.html", duration_s=30, link=True)
    assert media.mode == "linked"
    assert media.src == "../my%20call%20%231.wav"
    assert "my call #1.wav" in media.note


def test_hour_long_audio_gets_a_bitrate_that_fits() -> None:
    assert _bitrate_for(30) == 24_000
    assert _bitrate_for(3600) * 3600 / 8 <= 0.9 * MAX_EMBED_BYTES
    assert _bitrate_for(10 * 3600) == 12_000  # floor; too large then, so the report links


def test_no_media_and_bad_media(tmp_path: Path) -> None:
    assert prepare_media(None, tmp_path / "r.html", duration_s=1).mode == "none"
    with pytest.raises(DecodeError, match="not found"):
        prepare_media(str(tmp_path / "missing.wav"), tmp_path / "r.html", duration_s=1)
    junk = tmp_path / "junk.wav"
    junk.write_bytes(np.arange(1000, dtype=np.uint8).tobytes())
    with pytest.raises(DecodeError, match="junk.wav"):
        prepare_media(str(junk), tmp_path / "r.html", duration_s=1)


def test_too_long_to_embed_is_decided_before_encoding(tmp_path: Path, monkeypatch) -> None:
    """Two hours cannot fit even at 12 kbit/s: linked from the header's duration at once (it
    took two minutes of decoding and encoding to find that out)."""
    from talkover.report import media as report_media

    def never(*args, **kwargs):
        raise AssertionError("decoded a recording it could never embed")

    monkeypatch.setattr(report_media, "_decode_mono", never)
    wav = write_tone_wav(planted_timeline(), tmp_path / "call.wav")
    media = prepare_media(str(wav), tmp_path / "r.html", duration_s=2 * 3600)
    assert media.mode == "linked"
    assert "too large to embed (about 10.8 MB at the lowest bitrate, 12 kbit/s)" in media.note
