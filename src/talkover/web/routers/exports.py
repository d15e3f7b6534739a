"""``/api/recordings/{id}/export/{format}``: the corrected analysis (or the automatic one) as a
file: talkover JSON, RTTM, ELAN, Praat TextGrid, the event list as CSV, the segments as CSV."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Response

from talkover.outputs import write_output
from talkover.web.dependencies import Reviews, Row
from talkover.web.errors import ApiError
from talkover.web.review_data import public_document

router = APIRouter(prefix="/api/recordings/{id}", tags=["exports"])

#: format -> (file name suffix, writer's file name, media type)
FORMATS: dict[str, tuple[str, str, str]] = {
    "json": (".json", "x.json", "application/json"),
    "rttm": (".rttm", "x.rttm", "text/plain; charset=utf-8"),
    "eaf": (".eaf", "x.eaf", "application/xml"),
    "textgrid": (".TextGrid", "x.TextGrid", "text/plain; charset=utf-8"),
    "csv": (".events.csv", "x.events.csv", "text/csv; charset=utf-8"),
    "segments.csv": (".segments.csv", "x.csv", "text/csv; charset=utf-8"),
}


@router.get("/export/{format}")
def export(row: Row, reviews: Reviews, format: str,
           version: Literal["corrected", "automatic"] = "corrected") -> Response:
    """The analysis as a download (``Content-Disposition: attachment``). ``format``: json,
    rttm, eaf, textgrid, csv (the events), segments.csv. The corrected version leaves
    rejected events out; its JSON has a ``review`` block."""
    if format.lower() not in FORMATS:
        raise ApiError(404, f"unknown export format {format!r}; expected "
                            f"{', '.join(FORMATS)}")
    suffix, name, media_type = FORMATS[format.lower()]
    if row.status != "done":
        raise ApiError(409, f"{row.uri} is {row.status}; there is nothing to export yet")
    with reviews.open(row.uri, row.analysis_sha256 or "") as review:
        corrected = version == "corrected" and len(review.log) > 0
        frozen = review.version(sensitivity=False) if corrected else None
        base = review.base
    # written without holding the review: the sensitivity grid (when the recording has one)
    # is a second of recomputation on an hour-long meeting, and edits go on meanwhile
    with tempfile.TemporaryDirectory(prefix="talkover-export-") as tmp:
        path = Path(tmp) / name
        if frozen is not None:
            frozen.with_sensitivity().export(path)
        else:  # the automatic analysis, as `talkover analyze -o` writes it
            write_output(base, path)
        data = path.read_bytes()
    if format.lower() == "json":  # the upload's name, not the server's folders
        document = public_document(json.loads(data))
        data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    label = "corrected" if corrected else "automatic"
    filename = f"{row.uri}.{label}{suffix}"
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": content_disposition(filename)})


def content_disposition(filename: str) -> str:
    """``attachment`` with the file name as HTTP headers can carry it (RFC 6266): an ASCII
    ``filename`` for old clients, and the exact name, UTF-8 and percent-encoded, as
    ``filename*`` (which browsers prefer).

    >>> content_disposition("call.rttm")
    'attachment; filename="call.rttm"'
    >>> print(content_disposition("Stra\u00dfe.rttm"))
    attachment; filename="Stra_e.rttm"; filename*=UTF-8''Stra%C3%9Fe.rttm
    """
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header
