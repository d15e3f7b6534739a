"""The recordings of the store as the app shows them: adding an upload as a job, the history
rows (status, progress, duration, speakers, headline counts, dates), deleting.

Every function taking a ``store`` runs on the store thread (:class:`~talkover.web.service.
StoreService.call`). Uploads live in ``STORE/media/``:

```
media/<uri><ext>          the upload (recording or annotation), as the manifest's path
media/listen/<uri><ext>   a recording uploaded with an annotation, to listen to it
media/play/<uri>.webm     a copy the browser can play, made on first listen when needed
```

(A uri may contain dots, so files of one recording are found by exact name, never by a
pattern that another uri could also match.)
"""

from __future__ import annotations

import errno
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from talkover.batch import AnalysisOptions, Request, Runner
from talkover.events.types import EVENT_TYPES
from talkover.review.session import CORRECTED_NAME, LOG_NAME
from talkover.store import RecordingRow, Store, unique_uri, uri_from_stem
from talkover.store.media import LISTEN, companion, play_copy
from talkover.store.media import media_files as store_media_files
from talkover.web.errors import ApiError
from talkover.web.sniff import Sniffed

__all__ = ["NewRecording", "add_recording", "recording_row", "delete_recording", "Summaries",
           "media_files", "companion", "play_copy", "upload_stem", "public_text",
           "MAX_ID_BYTES"]

HEADLINE_TYPES = ("interruption", "failed_interruption", "backchannel", "overlap", "switch")
#: Most UTF-8 bytes of an upload's id. Its files are named after it (``<id>.json``,
#: ``<id>.parquet`` and their temporary names), and file systems allow 255 bytes a name: an id
#: of 120 accented or CJK characters would not fit.
MAX_ID_BYTES = 100
#: Bytes of the stem an upload's id starts from: room for what makes it unique (the extension,
#: ``-`` and 8 hex digits, ``-N``) within :data:`MAX_ID_BYTES`.
STEM_BYTES = 80


@dataclass(frozen=True, slots=True)
class NewRecording:
    """An upload received and sniffed: its temporary file(s), what they are, the options."""

    upload: Path
    sniffed: Sniffed
    client_name: str
    options: AnalysisOptions
    media: Path | None = None
    media_sniffed: Sniffed | None = None


def client_stem(name: str) -> str:
    """The last component of a client's file name without its extension, whatever the
    separators (``..\\a/b.wav`` -> ``b``): text for a uri, never a path."""
    last = PurePosixPath(name.replace("\\", "/")).name
    return last.rsplit(".", 1)[0] if "." in last.strip(".") else last


def upload_stem(name: str) -> str:
    """The stem an upload's id is made from: the client's file name as a uri, cut to
    :data:`STEM_BYTES` UTF-8 bytes (whole characters).

    >>> len(upload_stem("\u00e9" * 120 + ".rttm").encode())
    80
    """
    stem = uri_from_stem(client_stem(name) or "recording")
    cut = stem.encode("utf-8")[:STEM_BYTES].decode("utf-8", "ignore")
    return uri_from_stem(cut.rstrip("_.-")) if cut != stem else stem


def add_recording(store: Store, runner: Runner, new: NewRecording) -> str:
    """Give the upload a uri, move it into ``media/`` and queue its job; the uri.

    Raises
    ------
    ApiError
        422 when the upload cannot be stored (the file system refused its name), 507 when
        the disk is full; nothing of the upload is left in ``media/``.
    """
    taken = {u.lower() for u in store.manifest.uris()}
    uri = unique_uri(upload_stem(new.client_name), f"upload:{secrets.token_hex(8)}",
                     suffix=new.sniffed.extension, taken=taken)
    if len(uri.encode("utf-8")) > MAX_ID_BYTES:  # cannot happen with STEM_BYTES; said if it does
        uri = unique_uri("recording", f"upload:{secrets.token_hex(8)}", suffix="", taken=taken)
    target = store.media_dir / f"{uri}{new.sniffed.extension}"
    moved: list[Path] = []
    try:
        os.replace(new.upload, target)
        moved.append(target)
        if new.media is not None and new.media_sniffed is not None:
            listen = store.media_dir / LISTEN
            listen.mkdir(exist_ok=True)
            companion_path = listen / f"{uri}{new.media_sniffed.extension}"
            os.replace(new.media, companion_path)
            moved.append(companion_path)
        runner.add(Request(str(target.resolve()), new.sniffed.kind, new.options, uri=uri))
    except OSError as exc:
        for path in moved:
            path.unlink(missing_ok=True)
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        raise ApiError(507 if full else 422,
                       f"the upload could not be stored as {uri!r}: "
                       f"{exc.strerror or type(exc).__name__}") from None
    return uri


def media_files(store: Store, row: RecordingRow) -> list[Path]:
    """The files of the store's ``media/`` that belong to ``row``
    (:func:`talkover.store.media.media_files`)."""
    return store_media_files(store.media_dir, row)


def delete_recording(store: Store, uri: str) -> None:
    """Remove ``uri`` from the manifest, then its files (analysis, tables, uploads, review):
    :meth:`Store.remove`."""
    if store.get(uri) is None:
        raise KeyError(uri)
    store.remove(uri)


def _tables() -> tuple[str, ...]:
    from talkover.store import TABLES

    return TABLES


def public_text(text: str | None, store_path: Path) -> str | None:
    """``text`` (an error message) with every path inside the store replaced by its file
    name: the page and the API name the upload, never the server's folders.

    >>> public_text("/srv/st/media/x.bin: not a readable audio file", Path("/srv/st"))
    'x.bin: not a readable audio file'
    """
    if not text:
        return text
    roots = {str(store_path), str(store_path.resolve())}
    for root in sorted(roots, key=len, reverse=True):
        pattern = re.escape(root.rstrip("/")) + r"(?:/[^\s'\":]*)?"
        text = re.sub(pattern, lambda m: PurePosixPath(m.group(0)).name, text)
    return text


def recording_row(row: RecordingRow, summary: dict[str, Any] | None,
                  progress: float | None, *, store_path: Path) -> dict[str, Any]:
    """One recording as the API lists it (errors name files, not the server's folders)."""
    out: dict[str, Any] = {
        "id": row.uri,
        "status": row.status,
        "progress": round(progress if progress is not None else row.progress, 3),
        "error": public_text(row.error, store_path),
        "warnings": [public_text(w, store_path) for w in row.warnings],
        "kind": row.kind,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "duration_s": row.duration_s,
        "speakers": None,
        "speaker_names": [],
        "counts": None,
        "reviewed": False,
    }
    if row.status == "done":
        out["progress"] = 1.0
    if summary is not None:
        out.update(summary)
    return out


class Summaries:
    """The figures of each done recording for the history, read from its analysis JSON (or
    the review's corrected version) and cached by file state."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[tuple[int, int], dict[str, Any]]] = {}

    def of(self, store: Store, row: RecordingRow) -> dict[str, Any] | None:
        if row.status != "done":
            return None
        folder = store.reviews_dir / row.uri
        corrected = folder / CORRECTED_NAME
        # a corrected version counts only with the log it was made from (a version written
        # after its recording was deleted, or left by one, is not this recording's review)
        reviewed = corrected.is_file() and (folder / LOG_NAME).is_file()
        path = corrected if reviewed else store.analysis_path(row.uri)
        try:
            st = path.stat()
        except FileNotFoundError:
            return None
        key = (st.st_mtime_ns, st.st_size)
        cached = self._cache.get(path)
        if cached is None or cached[0] != key:
            cached = (key, _summary(path, reviewed=path == corrected))
            self._cache[path] = cached
        return cached[1]


def _summary(path: Path, *, reviewed: bool) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    counts = {t: 0 for t in HEADLINE_TYPES}
    for event in data.get("events") or []:
        if event.get("type") in EVENT_TYPES:
            counts[event["type"]] = counts.get(event["type"], 0) + 1
    return {
        "duration_s": (data.get("input") or {}).get("duration_s"),
        "speakers": len(data.get("speakers") or []),
        "speaker_names": [s.get("name") or s.get("id") for s in data.get("speakers") or []],
        "counts": counts,
        "reviewed": reviewed,
    }
