"""Receiving an upload: the multipart body streamed into a temporary file in the store, with
the size limit enforced while it streams.

Nothing of the body is kept in memory or in the system's temporary folder (as a form parser
that spools would): each file part goes straight to ``STORE/media/.upload.tmp-...``, and the
moment it passes the limit the temporary file is deleted and the request answered 413. A
``Content-Length`` above the limit is refused before a byte is read. The browser's file name
is only returned as text (it names the recording, through
:func:`talkover.store.uri_from_stem`); it never becomes a path.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from talkover.store.atomic import TMP_MARK

__all__ = ["UploadError", "ReceivedUpload", "receive_upload", "TEMP_PREFIX", "remove_leftovers",
           "drain"]

#: Text fields (speaker names, counts) are short; a bigger one is refused.
MAX_FIELD_BYTES = 64 * 1024
#: Multipart framing and text fields allowed on top of the files' own limit.
OVERHEAD_BYTES = 1024 * 1024
#: After refusing a body that grew too large, this much more of it is read and dropped (never
#: written) so that the client, still sending, receives the 413 instead of a reset connection.
DRAIN_BYTES = 16 * 1024 * 1024
TEMP_PREFIX = ".upload"


class UploadError(Exception):
    """An upload refused with an HTTP ``status`` (400, 411, 413, 415) and a reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class ReceivedUpload:
    """The files (field name -> temporary path and the client's file name) and text fields."""

    files: dict[str, tuple[Path, str]] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        """Delete the temporary files."""
        for path, _ in self.files.values():
            path.unlink(missing_ok=True)
        self.files.clear()


def remove_leftovers(folder: Path) -> int:
    """Delete temporary upload files a killed server left in ``folder``; how many."""
    removed = 0
    for entry in folder.glob(f"{TEMP_PREFIX}{TMP_MARK}*"):
        entry.unlink(missing_ok=True)
        removed += 1
    return removed


async def receive_upload(
    request: Request, *, folder: Path, max_bytes: int, file_fields: tuple[str, ...]
) -> ReceivedUpload:
    """Stream the multipart body of ``request`` into ``folder``.

    ``max_bytes`` limits the files together. Parts named in ``file_fields`` that carry a file
    name are files; other parts are short text fields; other file parts are refused.

    Raises
    ------
    UploadError
        415 not ``multipart/form-data``; 413 too large (nothing is left on disk); 400 a
        malformed body or an unexpected file field.
    """
    kind, params = parse_options_header(request.headers.get("content-type"))
    boundary = params.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadError(415, "expected a multipart/form-data body with a 'file' field")
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_bytes + OVERHEAD_BYTES:
        raise UploadError(413, _too_large(max_bytes))
    sink = _Sink(folder, max_bytes, file_fields)
    parser = MultipartParser(boundary, sink.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > max_bytes + OVERHEAD_BYTES:
                raise UploadError(413, _too_large(max_bytes))
            parser.write(chunk)
            if sink.error is not None:
                raise sink.error
        parser.finalize()
        if sink.error is not None:
            raise sink.error
    except UploadError as exc:
        sink.close()
        sink.result.discard()
        if exc.status == 413:
            await drain(request)
        raise
    except Exception as exc:  # a malformed body (the parser's own errors) or a dropped client
        sink.close()
        sink.result.discard()
        raise UploadError(400, f"malformed multipart body ({exc})") from exc
    sink.close()
    return sink.result


async def drain(request: Request) -> None:
    """Read and drop up to :data:`DRAIN_BYTES` more of the body (nothing is kept)."""
    dropped = 0
    try:
        async for chunk in request.stream():
            dropped += len(chunk)
            if dropped > DRAIN_BYTES:
                return
    except Exception:  # noqa: BLE001 - the client went away: nothing to drain
        return


def _too_large(max_bytes: int) -> str:
    return f"the upload is larger than the limit of {max_bytes / 1e6:g} MB (--max-upload-mb)"


class _Sink:
    """The parser's callbacks: headers of each part, then its data to a file or a buffer."""

    def __init__(self, folder: Path, max_bytes: int, file_fields: tuple[str, ...]) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.file_fields = file_fields
        self.result = ReceivedUpload()
        self.error: UploadError | None = None
        self.file_bytes = 0
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._headers: dict[str, bytes] = {}
        self._name: str | None = None
        self._fh = None
        self._text = bytearray()

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self._begin,
            "on_header_field": lambda d, s, e: self._header_field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._header_value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_done,
            "on_part_data": self._data,
            "on_part_end": self._end,
        }

    def _begin(self) -> None:
        self._headers = {}
        self._name = None
        self._text = bytearray()

    def _header_end(self) -> None:
        self._headers[bytes(self._header_field).decode("latin-1").lower()] = bytes(
            self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def _headers_done(self) -> None:
        _, params = parse_options_header(self._headers.get("content-disposition", b""))
        name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = params.get(b"filename")
        self._name = name
        if filename is None:
            return
        if name in self.result.files:
            self.error = UploadError(400, f"the field {name!r} holds one file, got more: upload "
                                          "one recording or annotation per request (a "
                                          "recording to play with an annotation goes in "
                                          "'media')")
            return
        if name not in self.file_fields:
            self.error = UploadError(400, f"unexpected file field {name!r}; expected "
                                          f"{', '.join(repr(f) for f in self.file_fields)}")
            return
        path = self.folder / f"{TEMP_PREFIX}{TMP_MARK}{os.getpid()}-{secrets.token_hex(8)}"
        self._fh = open(path, "xb")  # noqa: SIM115 - closed in _end or close()
        self.result.files[name] = (path, filename.decode("utf-8", "replace"))

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        size = end - start
        if self._fh is not None:
            self.file_bytes += size
            if self.file_bytes > self.max_bytes:
                self.error = UploadError(413, _too_large(self.max_bytes))
                return
            self._fh.write(data[start:end])
        else:
            if len(self._text) + size > MAX_FIELD_BYTES:
                self.error = UploadError(400, f"the field {self._name!r} is too long")
                return
            self._text.extend(data[start:end])

    def _end(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        elif self._name and self.error is None:
            self.result.fields[self._name] = self._text.decode("utf-8", "replace")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
