"""``/api/recordings/{id}/export/{format}``: the corrected analysis (or the automatic one) as a
file: talkover JSON, RTTM, ELAN, Praat TextGrid, the event list as CSV, the segments as CSV."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Response

from talkover.outputs import write_output
from talkover.web.dependencies import Reviews, Row
from talkover.web.errors import ApiError

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
    with reviews.open(row.uri, row.analysis_sha256 or "") as review, \
            tempfile.TemporaryDirectory(prefix="talkover-export-") as tmp:
        corrected = version == "corrected" and len(review.log) > 0
        if corrected:
            path = review.export(Path(tmp) / name)
        else:  # the automatic analysis, as `talkover analyze -o` writes it
            path = Path(tmp) / name
            write_output(review.base, path)
        data = path.read_bytes()
    label = "corrected" if corrected else "automatic"
    filename = f"{row.uri}.{label}{suffix}"
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
