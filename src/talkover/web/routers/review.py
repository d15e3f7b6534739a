"""``/api/recordings/{id}/review``, ``/edits``, ``/diff``: the review of a done recording.

Every answer that changes or shows the review is the page's data block for the current
version (:func:`talkover.web.review_data.review_payload`): the report's data with every
event's identity and verdict, the counts with rejected events left out, and the review's
progress (``review``).
"""

from __future__ import annotations

import json
import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from talkover.review import EditError, Review, StaleEditError, parse_edit
from talkover.store import RecordingRow
from talkover.web.dependencies import Reviews, Row
from talkover.web.errors import ApiError
from talkover.web.review_data import review_payload
from talkover.web.uploads import drain

router = APIRouter(prefix="/api/recordings/{id}", tags=["review"])

#: Largest edit body (bytes): an edit is a few hundred bytes; names are capped by the edit's
#: own checks (talkover.review.edits.MAX_NAME_CHARS).
MAX_EDIT_BYTES = 64 * 1024


async def edit_body(request: Request) -> Any:
    """The JSON body of an edit, read up to :data:`MAX_EDIT_BYTES` (413 beyond: a declared
    ``Content-Length`` before a byte is read, else the moment the body passes it)."""
    too_large = ApiError(413, f"an edit is a JSON object of at most {MAX_EDIT_BYTES // 1024} kB")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_EDIT_BYTES:
        await drain(request)
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_EDIT_BYTES:
            await drain(request)
            raise too_large
    try:
        return json.loads(body)
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
        raise ApiError(422, f"an edit is a JSON object ({exc})") from None
    except RecursionError:  # [[[[...]]]]: an edit nests a few levels
        raise ApiError(422, "an edit is a JSON object (this one is nested too deeply)") from None


def _open(reviews, row: RecordingRow):  # noqa: ANN202 - a context manager of Review
    if row.status != "done":
        raise ApiError(409, f"{row.uri} is {row.status}; it can be reviewed once it is done")
    return reviews.open(row.uri, row.analysis_sha256 or "")


@router.get("/review")
def get_review(row: Row, reviews: Reviews) -> JSONResponse:
    """The current version as the page shows it (data block + ``review`` progress)."""
    with _open(reviews, row) as review:
        return JSONResponse(review_payload(review, row.uri))


@router.post("/edits")
def post_edit(row: Row, reviews: Reviews,
              edit: Annotated[Any, Depends(edit_body)]) -> JSONResponse:
    """Apply one edit (``{"op": ...}``, see docs/web.md; undo and redo included); the new
    version as ``GET review`` gives it, with ``Server-Timing`` (``recompute``: applying the
    edit and recomputing the analysis; ``payload``: building the answer). 422 a malformed or
    impossible edit, 409 an edit of a segment or event this version does not have, 413 a
    body over 64 kB."""
    try:
        parsed = parse_edit(edit)
    except EditError as exc:
        raise ApiError(422, str(exc)) from None
    with _open(reviews, row) as review:
        t0 = time.perf_counter()
        try:
            review.apply(parsed)
        except StaleEditError as exc:
            raise ApiError(409, str(exc)) from None
        except EditError as exc:
            raise ApiError(422, str(exc)) from None
        t1 = time.perf_counter()
        payload = review_payload(review, row.uri)
        t2 = time.perf_counter()
    reviews.edited(row.uri)
    timing = f"recompute;dur={(t1 - t0) * 1000:.1f}, payload;dur={(t2 - t1) * 1000:.1f}"
    return JSONResponse(payload, headers={"Server-Timing": timing})


@router.get("/edits")
def get_edits(row: Row, reviews: Reviews) -> list[dict[str, Any]]:
    """The edit log, oldest first: ``[{"seq", "time", "op", ...}]`` (undo and redo included)."""
    with _open(reviews, row) as review:
        return [entry.to_dict() for entry in review.log.entries]


@router.get("/diff")
def get_diff(row: Row, reviews: Reviews) -> dict[str, Any]:
    """What the review changed from the automatic version (see docs/web.md)."""
    with _open(reviews, row) as review:
        return diff_json(review)


@router.head("/review")
def head_review(row: Row) -> Response:
    return Response(status_code=200 if row.status == "done" else 409)


def diff_json(review: Review) -> dict[str, Any]:
    d = review.diff()
    c = d.changes

    def event(e) -> dict[str, Any]:  # noqa: ANN001 - an Event
        return {"type": e.type, "start_s": round(e.start_s, 3), "by": e.by, "of": e.of}

    def segment(s) -> dict[str, Any]:  # noqa: ANN001 - a Segment
        return {"start_s": round(s.start_s, 3), "end_s": round(s.end_s, 3), "speaker": s.speaker}

    return {
        "events_added": [event(e) for e in c.added],
        "events_removed": [event(e) for e in c.removed],
        "events_retyped": [{"from": event(a), "to": event(b)} for a, b in c.retyped],
        "events_moved": [{"from": event(a), "to": event(b)} for a, b in c.moved],
        "segments_added": [segment(s) for s in c.segments_added],
        "segments_removed": [segment(s) for s in c.segments_removed],
        "renamed": [{"speaker": sid, "from": a, "to": b} for sid, a, b in c.renamed],
        "confirmed": [event(e) for e in d.confirmed],
        "rejected": [event(e) for e in d.rejected],
        "counts": {t: {"automatic": a, "corrected": b} for t, a, b in d.counts},
    }
