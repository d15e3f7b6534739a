"""Which file the page's ``<audio>`` plays for a recording.

The upload itself when browsers play it as it is (WAV, FLAC, MP3, Ogg, WebM, MP4/M4A with
common codecs: :func:`talkover.web.sniff.probe_media`); otherwise a copy re-encoded once as
mono Opus in WebM (the static report's encoder, at 32 kbit/s) kept as
``media/play/<uri>.webm``. For an annotation, the recording uploaded with it (field
``media``), if any. A store made by ``talkover batch`` names recordings where they are; those
are played from there. Files: :mod:`talkover.web.catalog`.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from talkover.errors import InputError
from talkover.io.decode import decode_audio
from talkover.report.media import encode_speech_audio
from talkover.store import RecordingRow
from talkover.web.catalog import companion, play_copy
from talkover.web.sniff import probe_media

__all__ = ["playable_audio", "NotPlayable"]

PLAY_RATE_HZ = 16_000
PLAY_BITRATE = 32_000

_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()
_probed: dict[tuple[str, int, int], tuple[bool, str | None]] = {}
#: Recordings the decoder refused, by (path, size, mtime): the reason, so that a page asking
#: again is answered at once instead of decoding the file again.
_refused: dict[tuple[str, int, int], str] = {}


class NotPlayable(Exception):
    """The recording cannot be decoded (a corrupt or unsupported file): the decoder's reason."""


def playable_audio(media_dir: Path, row: RecordingRow) -> tuple[Path, str] | None:
    """``(file, mime type)`` to play for ``row``, re-encoding once when needed; ``None`` when
    the recording has no audio to play.

    Raises
    ------
    NotPlayable
        The recording cannot be decoded (remembered until the file changes).
    """
    source = _source(media_dir, row)
    if source is None:
        return None
    key = _key(source)
    if key in _refused:
        raise NotPlayable(_refused[key])
    playable, mime = _probe(source)
    if playable and mime is not None:
        return source, mime
    copy = play_copy(media_dir, row.uri)
    copy.parent.mkdir(exist_ok=True)
    with _lock(row.uri):
        if not copy.is_file() or copy.stat().st_mtime < source.stat().st_mtime:
            try:
                wave = decode_audio(source, sample_rate_hz=PLAY_RATE_HZ)
            except InputError as exc:  # DecodeError: corrupt, unsupported, no audio stream
                _refused[key] = str(exc)
                raise NotPlayable(str(exc)) from None
            samples = (np.clip(wave.samples, -1.0, 1.0) * 32767).astype(np.int16)
            data = encode_speech_audio(samples, sample_rate_hz=PLAY_RATE_HZ,
                                       bitrate=PLAY_BITRATE)
            tmp = copy.with_name(f".{copy.name}.tmp-playback")
            tmp.write_bytes(data)
            tmp.replace(copy)
    return copy, "audio/webm"


def _key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns)


def _source(media_dir: Path, row: RecordingRow) -> Path | None:
    if row.kind == "audio":
        path = Path(row.path)
        return path if path.is_file() else None
    return companion(media_dir, row.uri)


def _probe(path: Path) -> tuple[bool, str | None]:
    key = _key(path)
    if key not in _probed:
        found = probe_media(path)
        _probed[key] = (found.playable, found.mime)
    return _probed[key]


def _lock(uri: str) -> threading.Lock:
    with _guard:
        return _locks.setdefault(uri, threading.Lock())
