"""``/api/recordings``: upload, list, status, the analysis, the audio, delete; ``/api/events``:
job updates as server-sent events."""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from talkover.batch import AnalysisOptions
from talkover.cast import Cast
from talkover.errors import ConfigError
from talkover.review.edits import MAX_NAME_CHARS
from talkover.store import RecordingRow
from talkover.web.catalog import (
    NewRecording,
    Summaries,
    add_recording,
    delete_recording,
    public_text,
)
from talkover.web.catalog import recording_row as row_json
from talkover.web.dependencies import Reviews, Row, Service, get_settings
from talkover.web.errors import ApiError
from talkover.web.playback import NotPlayable, playable_audio
from talkover.web.review_data import public_document
from talkover.web.sniff import ANNOTATION_FORMATS, sniff_file
from talkover.web.uploads import UploadError, receive_upload

router = APIRouter(prefix="/api", tags=["recordings"])
_summaries = Summaries()

#: The upload form's text fields (besides its files, ``file`` and ``media``).
OPTION_FIELDS = ("speakers", "num_speakers")
#: Most speakers a count may ask for.
MAX_SPEAKERS = 64
_WHOLE_NUMBER = re.compile(r"[0-9]{1,3}")


@router.post("/recordings", status_code=201)
async def upload(request: Request, service: Service, reviews: Reviews,
                 settings: Annotated[Any, Depends(get_settings)]) -> dict[str, str]:
    """A recording or an annotation (multipart field ``file``; optional ``media``, a recording
    to listen to with an annotation; ``speakers``, names in order of first speech;
    ``num_speakers``). 201 ``{"id": ...}``; the job is queued."""
    folder = settings.store_path / "media"
    try:
        received = await receive_upload(request, folder=folder,
                                        max_bytes=settings.max_upload_bytes,
                                        file_fields=("file", "media"))
    except UploadError as exc:
        raise ApiError(exc.status, str(exc)) from None
    try:
        if "file" not in received.files:
            raise ApiError(422, "no file: send the recording or annotation in the field 'file'")
        options = _options(received.fields)
        upload_path, name = received.files["file"]
        sniffed = await run_in_threadpool(sniff_file, upload_path)
        if sniffed.format == "text":
            raise ApiError(422, f"{name!r} is text in no format talkover reads: an annotation "
                                f"is {ANNOTATION_FORMATS}; else send a recording")
        if sniffed.kind == "annotation" and options.num_speakers is not None:
            raise ApiError(422, f"num_speakers applies only to a recording that is diarized; "
                                f"{name!r} is an annotation ({sniffed.format}): its speakers "
                                "are the ones it names")
        media = received.files.get("media")
        media_sniffed = await run_in_threadpool(sniff_file, media[0]) if media else None
        if media_sniffed is not None and not (media_sniffed.kind == "audio"
                                              and media_sniffed.has_audio):
            raise ApiError(422, f"the field 'media' ({media[1]!r}) is not a recording this "
                                "server can read (audio, or video with sound): it is played "
                                "with the annotation in 'file'")
        new = NewRecording(upload_path, sniffed, name, options,
                           media[0] if media else None, media_sniffed)
        uri = await run_in_threadpool(service.call,
                                      lambda store, runner: add_recording(store, runner, new))
        reviews.added(uri)  # an id a deleted recording had is reviewable again
    except BaseException:
        received.discard()
        raise
    return {"id": uri, "kind": sniffed.kind, "format": sniffed.format}


def _options(fields: dict[str, str]) -> AnalysisOptions:
    """The form's options, checked (422 names the form field, never a command-line flag; a
    field the form does not have is refused: a misspelt option would be ignored)."""
    if unknown := sorted(set(fields) - set(OPTION_FIELDS)):
        name = unknown[0]
        raise ApiError(422, f"{name!r} must be a file (a part with a file name)"
                       if name in ("file", "media") else
                       f"{name!r} is not a field of the form; expected 'file', 'media' (files), "
                       f"{', '.join(map(repr, OPTION_FIELDS))}")
    speakers = (fields.get("speakers") or "").strip() or None
    count = (fields.get("num_speakers") or "").strip()
    num: int | None = None
    if count:  # ASCII digits only: "²".isdigit() is true, and int("٣") is 3
        if not _WHOLE_NUMBER.fullmatch(count) or not 1 <= int(count) <= MAX_SPEAKERS:
            raise ApiError(422, f"num_speakers: expected a whole number from 1 to {MAX_SPEAKERS},"
                                f" got {count!r}")
        num = int(count)
    if speakers is not None:
        names = [n.strip() for n in speakers.split(",")]
        if any(not n for n in names):
            raise ApiError(422, f"speakers: expected names separated by commas, each non-empty, "
                                f"got {speakers!r}")
        if long := [n for n in names if len(n) > MAX_NAME_CHARS]:
            raise ApiError(422, f"speakers: a name is at most {MAX_NAME_CHARS} characters, got "
                                f"one of {len(long[0])}")
        if twice := sorted(n for n, k in Counter(names).items() if k > 1):
            raise ApiError(422, f"speakers: each name once, got {', '.join(twice)} twice")
        try:
            Cast.from_names(speakers)
        except ConfigError as exc:  # the library's own check, worded for the command line
            raise ApiError(422, f"speakers: {str(exc).removeprefix('--speakers: ')}") from None
        if num is not None and len(names) != num:
            raise ApiError(422, f"speakers: {len(names)} name(s) given but "
                                f"num_speakers is {num}")
    return AnalysisOptions(speakers=speakers, num_speakers=num)


@router.get("/recordings")
def list_recordings(service: Service,
                    q: Annotated[str | None, Query(description="part of the id")] = None,
                    status: Literal["queued", "running", "done", "failed"] | None = None,
                    ) -> list[dict[str, Any]]:
    """Every recording, newest first: status, progress, duration, speakers, counts, dates."""

    def rows(store, runner) -> list[dict[str, Any]]:
        out = []
        recordings = store.recordings()
        first = _first_with_content(recordings)
        for row in recordings:
            if q and q.lower() not in row.uri.lower():
                continue
            if status and row.status != status:
                continue
            out.append(row_json(row, _summaries.of(store, row), service.progress.get(row.uri),
                                store_path=service.path) | {"same_file_as": _same(row, first)})
        out.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)
        return out

    return service.call(rows)


def _first_with_content(recordings: list[RecordingRow]) -> dict[str, str]:
    """sha256 -> the id of the earliest recording with that content (an upload of the same
    file again gets an id of its own; the history says which it repeats)."""
    first: dict[str, str] = {}
    for row in sorted(recordings, key=lambda r: (r.created_at, r.uri)):
        if row.sha256:
            first.setdefault(row.sha256, row.uri)
    return first


def _same(row: RecordingRow, first: dict[str, str]) -> str | None:
    found = first.get(row.sha256) if row.sha256 else None
    return found if found != row.uri else None


@router.get("/recordings/{id}")
def get_recording(row: Row, service: Service) -> dict[str, Any]:
    """``{"id", "status": queued|running|done|failed, "progress": 0..1, "error", ...}``."""
    summary, first = service.call(lambda store, runner: (
        _summaries.of(store, row), _first_with_content(store.recordings())))
    return row_json(row, summary, service.progress.get(row.uri), store_path=service.path) | {
        "same_file_as": _same(row, first)}


@router.get("/recordings/{id}/analysis")
def get_analysis(row: Row, service: Service, reviews: Reviews,
                 version: Literal["corrected", "automatic"] = "corrected") -> Response:
    """The talkover JSON: the corrected version when the review changed anything (its
    ``review`` block says what), else the automatic one."""
    _need_done(row, service.path)
    if version == "corrected":
        folder = reviews.folder(row.uri)
        if (folder / "edits.jsonl").is_file():
            with reviews.open(row.uri, row.analysis_sha256 or "") as review:
                frozen = review.version(sensitivity=False) if len(review.log) else None
            if frozen is not None:  # the sensitivity recomputed without holding the review
                return JSONResponse(public_document(frozen.with_sensitivity().document()))
    path = service.path / "analyses" / f"{row.uri}.json"
    try:
        document = json.loads(path.read_bytes())
    except FileNotFoundError:  # deleted since the row was read
        raise ApiError(404, f"no recording {row.uri!r}") from None
    return JSONResponse(public_document(document))


@router.get("/recordings/{id}/audio")
def get_audio(row: Row, service: Service) -> FileResponse:
    """The recording, in a form the browser plays; HTTP Range requests are answered (seeking).
    404 for an annotation uploaded without a recording; 409 when the recording cannot be
    decoded (the decoder's reason; decoding is not tried again until the file changes)."""
    try:
        found = playable_audio(service.path / "media", row)
    except NotPlayable as exc:
        raise ApiError(409, f"{row.uri}'s recording cannot be played: "
                            f"{public_text(str(exc), service.path)}") from None
    if found is None:
        raise ApiError(404, f"{row.uri} has no recording to play (an annotation uploaded "
                            "without one)")
    path, mime = found
    return FileResponse(path, media_type=mime, headers={"Cache-Control": "no-cache"})


@router.delete("/recordings/{id}", status_code=204)
def delete(row: Row, service: Service, reviews: Reviews) -> Response:
    """Remove the recording, its analysis, tables, upload and review; a job still queued or
    running is stopped first (on the store thread, with the deletion: no result of it can
    come in between)."""

    def remove(store, runner) -> None:  # noqa: ANN001 - the store thread's Store and Runner
        runner.cancel(row.uri, reason="deleted")
        delete_recording(store, row.uri)

    with reviews.deleting(row.uri):  # no edit or background save in between
        try:
            service.call(remove)
        except KeyError:  # deleted by a request that came first
            raise ApiError(404, f"no recording {row.uri!r}") from None
    return Response(status_code=204)


@router.get("/events")
async def events(request: Request, service: Service) -> StreamingResponse:
    """Server-sent events: one ``data: {"id", "status", "progress", "error"?}`` per job update
    (progress at most every 0.5 s per job), and a comment every 15 s to keep the line open.
    The stream ends when the server shuts down (the page reconnects to the next one)."""
    q = service.subscribe()

    async def stream() -> AsyncIterator[bytes]:
        try:
            yield b"retry: 1000\n\n"
            while True:
                try:
                    message = await asyncio.wait_for(q.get(), timeout=15.0)
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    yield b": keep-alive\n\n"
                    continue
                if message is None:  # shutting down
                    return
                if message.get("error"):
                    message = {**message, "error": public_text(message["error"], service.path)}
                yield f"data: {json.dumps(message)}\n\n".encode()
        finally:
            service.unsubscribe(q)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _need_done(row: RecordingRow, store_path: Path) -> None:
    if row.status != "done":
        why = (f": {public_text(row.error, store_path)}"
               if row.status == "failed" and row.error else "")
        raise ApiError(409, f"{row.uri} is {row.status}{why}; its analysis is not ready")

