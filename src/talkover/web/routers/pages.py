"""The pages: home (``/``: the drop zone and the history) and a recording's page
(``/recordings/{id}``: the report page with the review; while the job runs, its progress).

Pages are self-contained like the static report (CSS and JavaScript inline, nothing from the
network); their scripts call only the JSON API (docs/web.md).
"""

from __future__ import annotations

import html
import json
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from talkover._version import __version__
from talkover.report.html import render_page
from talkover.web.catalog import companion
from talkover.web.dependencies import Reviews, Row
from talkover.web.review_data import review_payload

router = APIRouter(tags=["pages"], include_in_schema=False)

#: No framing by other sites, no resources from anywhere but the page itself and the server.
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src 'self' data:; media-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def asset(name: str) -> str:
    return resources.files("talkover.web").joinpath("assets", name).read_text(encoding="utf-8")


@router.get("/")
def home() -> HTMLResponse:
    page = asset("home.html")
    for key, value in {"__CSS__": asset("app.css"), "__JS__": asset("home.js"),
                       "__VERSION__": html.escape(__version__)}.items():
        page = page.replace(f"/*{key}*/" if key != "__VERSION__" else key, value)
    return HTMLResponse(page, headers=HEADERS)


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/recordings/{id}")
def recording_page(row: Row, reviews: Reviews) -> HTMLResponse:
    if row.status != "done":
        return _status_page(row.uri)
    with reviews.open(row.uri, row.analysis_sha256 or "") as review:
        data = review_payload(review, row.uri)
        version = review.base.talkover_version
    has_audio = row.kind == "audio" or companion(reviews.store_path / "media", row.uri) is not None
    data["media"] = {
        "mode": "served" if has_audio else "none",
        "note": "" if has_audio else "No recording was uploaded with this annotation.",
        "size_bytes": 0,
    }
    audio = (f'<audio id="audio" controls preload="auto" aria-label="Recording" '
             f'src="/api/recordings/{html.escape(row.uri, quote=True)}/audio"></audio>'
             if has_audio else "")
    tools = asset("review.html").replace("__ID__", html.escape(row.uri, quote=True))
    page = render_page(data, version=version, audio_html=audio, tools_html=tools,
                       extra_css=asset("review.css"), extra_js=asset("review.js"))
    return HTMLResponse(page, headers=HEADERS)


def _status_page(uri: str) -> HTMLResponse:
    page = asset("status.html")
    page = page.replace("/*__CSS__*/", asset("app.css"))
    page = page.replace("__ID_JSON__", json.dumps(uri).replace("<", "\\u003c"))
    page = page.replace("__ID__", html.escape(uri))
    return HTMLResponse(page, headers=HEADERS)


def error_page(status: int, message: str) -> HTMLResponse:
    """A page saying what went wrong (``message``), with the way back to the recordings."""
    page = asset("status.html").split("<main>")[0].replace("/*__CSS__*/", asset("app.css"))
    page = page.replace("__ID__", "not found" if status == 404 else f"error {status}")
    page += (f'<main><p class="error" role="alert">{html.escape(message)}</p></main>\n'
             "</body>\n</html>\n")
    return HTMLResponse(page, status_code=status, headers=HEADERS)
