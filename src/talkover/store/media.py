"""The store's media folder: what the web app keeps beside the recordings it analyses.

```
STORE/media/<uri><ext>          an upload, under the name the store gives it
STORE/media/listen/<uri><ext>   a recording uploaded with an annotation, to listen to it
STORE/media/play/<uri>.webm     a copy the browser can play, made on first listen
```

A store made by ``talkover batch`` names recordings where they are; only files in ``media/``
belong to the store (and go when their recording is removed).
"""

from __future__ import annotations

from pathlib import Path

from talkover.store.manifest import RecordingRow

__all__ = ["LISTEN", "PLAY", "companion", "play_copy", "media_files"]

LISTEN = "listen"
PLAY = "play"


def companion(media_dir: Path, uri: str) -> Path | None:
    """The recording uploaded with the annotation ``uri``, if any."""
    folder = media_dir / LISTEN
    if not folder.is_dir():
        return None
    return next((p for p in sorted(folder.iterdir()) if p.stem == uri), None)


def play_copy(media_dir: Path, uri: str) -> Path:
    """Where the browser-playable copy of ``uri``'s recording is kept."""
    return media_dir / PLAY / f"{uri}.webm"


def media_files(media_dir: Path, row: RecordingRow) -> list[Path]:
    """The files of ``media_dir`` that belong to ``row``: its play copy, its upload (only when
    it is in ``media_dir``) and the recording uploaded with it."""
    media = media_dir.resolve()
    found = [play_copy(media, row.uri)]
    upload = Path(row.path).resolve()
    if upload.parent == media:
        found.append(upload)
    if (other := companion(media, row.uri)) is not None:
        found.append(other)
    return found
