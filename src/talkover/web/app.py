"""The FastAPI application: ``create_app(store_path, ...)``.

Laid out as FastAPI's "bigger applications": one router per resource (recordings, review,
exports, pages) under :mod:`talkover.web.routers`, and one dependency that hands each request
the open store (:func:`talkover.web.dependencies.get_service`). The store is opened when the
app starts (its lifespan) by :class:`~talkover.web.service.StoreService`, the one writer,
which also resumes the jobs a previous server left queued or running.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from talkover.batch import Executor
from talkover.errors import ConfigError
from talkover.web.errors import ApiError
from talkover.web.reviews import ReviewGone, ReviewRegistry
from talkover.web.routers import exports, pages, recordings, review
from talkover.web.security import GuardMiddleware, HostPolicy, is_loopback, parse_allowed_host
from talkover.web.service import StoreService
from talkover.web.uploads import remove_leftovers

__all__ = ["create_app", "check_settings", "AppSettings", "ApiError", "new_token",
           "end_streams"]


@dataclass(frozen=True, slots=True)
class AppSettings:
    """What the routers need to know about the server (``app.state.settings``)."""

    store_path: Path
    max_upload_bytes: int


def new_token() -> str:
    """A random token for a server reachable beyond this machine."""
    return secrets.token_urlsafe(24)


def create_app(
    store_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    max_upload_mb: float = 2048,
    workers: int = 1,
    executor: Callable[[], Executor] | None = None,
    allow_hosts: Iterable[str] = (),
    service: StoreService | None = None,
) -> FastAPI:
    """The app serving the store at ``store_path`` (created when missing).

    Parameters
    ----------
    host, port
        Where the server listens: the Host header must name it (see
        :mod:`talkover.web.security`).
    token
        Required on every request when given; must be given when ``host`` is not a loopback
        address.
    max_upload_mb
        Largest upload (the files together), in MB (10^6 bytes).
    workers
        Worker processes analysing recordings (models loaded once per process).
    executor
        Makes the executor instead (tests, Ray).
    allow_hosts
        More Host names to answer to (a reverse proxy's name), ``NAME`` (any port) or
        ``NAME:PORT``.
    service
        The store, opened already (``talkover serve`` opens it before it listens, so that a
        store another process writes is said at once); the app stops it when it stops.
        ``None``: the app opens the store when it starts.

    Raises
    ------
    ConfigError
        A non-loopback ``host`` without a token; a bad limit or worker count.
    """
    check_settings(host=host, token=token, max_upload_mb=max_upload_mb, workers=workers,
                   allow_hosts=allow_hosts)
    path = Path(store_path).resolve()
    settings = AppSettings(path, int(max_upload_mb * 1_000_000))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = service or StoreService(path, workers=workers, executor=executor)
        reviews: ReviewRegistry | None = None
        try:  # whatever fails at start, the store (its lock) and the workers are let go
            if service is None:
                store.start()
            remove_leftovers(path / "media")
            reviews = ReviewRegistry(path)
            app.state.service = store
            app.state.reviews = reviews
            _resave_stale_reviews(store, reviews)
            yield
        finally:
            store.end_streams()
            if reviews is not None:
                reviews.close()
            store.stop()

    app = FastAPI(title="talkover", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.settings = settings
    app.include_router(recordings.router)
    app.include_router(review.router)
    app.include_router(exports.router)
    app.include_router(pages.router)
    _errors(app)
    app.add_middleware(GuardMiddleware, hosts=HostPolicy(host, port, extra=allow_hosts),
                       token=token)
    return app


def _resave_stale_reviews(store: StoreService, reviews: ReviewRegistry) -> None:
    """In the background: the corrected versions a killed server did not write (their
    recordings' rows in the history would keep the counts of before the last edits)."""
    def row_of(uri: str):  # noqa: ANN202 - a RecordingRow or None
        return store.call(lambda s, runner: s.get(uri))

    def run() -> None:
        try:
            reviews.resave_stale(row_of)
        except Exception:  # noqa: BLE001 - a convenience; the next edit writes it anyway
            logging.getLogger(__name__).exception("could not rewrite stale corrected versions")

    threading.Thread(target=run, name="talkover-review-resave", daemon=True).start()


def check_settings(*, host: str, token: str | None, max_upload_mb: float, workers: int,
                   allow_hosts: Iterable[str] = ()) -> None:
    """The checks :func:`create_app` makes, for a caller to make before it opens anything.

    Raises
    ------
    ConfigError
        A non-loopback ``host`` without a token; a bad limit, worker count or allowed host.
    """
    if not is_loopback(host) and not token:
        raise ConfigError(f"--host {host} makes the app reachable from other machines: it needs "
                          "a token (talkover serve generates one unless --token is given)")
    if not max_upload_mb > 0:
        raise ConfigError(f"--max-upload-mb must be > 0, got {max_upload_mb}")
    if workers < 1:
        raise ConfigError(f"--workers must be >= 1, got {workers}")
    for entry in allow_hosts:
        parse_allowed_host(entry)


def end_streams(app: FastAPI) -> None:
    """End the app's open event streams (the server is stopping). Safe from a signal
    handler; nothing to do before the app has started."""
    service = getattr(app.state, "service", None)
    if service is not None:
        service.end_streams()


def _error(request: Request, status: int, message: str) -> Response:
    """``{"error": message}``; a page (HTML, with a way home) to a browser that asked for a
    page outside the API, such as a link to a recording deleted since."""
    page = not request.url.path.startswith("/api/")
    if page and "text/html" in request.headers.get("accept", ""):
        return pages.error_page(status, message)
    return JSONResponse({"error": message}, status_code=status)


def _errors(app: FastAPI) -> None:
    """Every error as ``{"error": message}`` (a page to a browser asking for one)."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return _error(request, exc.status, exc.message)

    @app.exception_handler(ReviewGone)
    async def review_gone(request: Request, exc: ReviewGone) -> Response:
        return _error(request, 404, f"no recording {exc.args[0]!r} (it was deleted)")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()))
        return JSONResponse({"error": f"{where}: {first.get('msg', 'invalid request')}"},
                            status_code=422)
