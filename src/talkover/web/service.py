"""The server's one writer of the store: a thread that owns the store, the batch runner and its
executor.

```
request threads --call(fn)--> [store thread: Store (SQLite), Runner, LocalExecutor] --> workers
                 <--result---        |  runner.step(): JobStarted/Progress/Result
page (SSE) <--------- broadcast -----+  written to the store first, then sent to the pages
```

SQLite connections belong to the thread that made them, and a store has one writer, so every
store operation of the app runs on this thread (:meth:`StoreService.call`); between calls the
thread steps the runner, which polls the workers (models loaded once per worker process) and
commits their results. Progress reaches the pages as server-sent events the moment a worker
reports it (at most every 0.5 s per job), and the manifest row keeps it too (at most every
second), for polling and for a restart.

On start the store is opened for writing (which puts jobs a killed server left ``running``
back to ``queued``) and :meth:`Runner.resume` submits every queued job again.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

from talkover.batch import (
    Executor,
    JobProgress,
    JobResult,
    JobRetried,
    JobStarted,
    LocalExecutor,
    Runner,
    Update,
)
from talkover.store import Store

__all__ = ["StoreService", "ServiceError"]

log = logging.getLogger(__name__)
T = TypeVar("T")


class ServiceError(RuntimeError):
    """The store thread is not running (it failed to start or was stopped)."""


class StoreService:
    """Owns the store at ``path`` on one thread; see the module docstring.

    ``executor`` makes the executor (default: :class:`~talkover.batch.LocalExecutor` with
    ``workers`` processes); it is called on the store thread.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        workers: int = 1,
        executor: Callable[[], Executor] | None = None,
        create: bool = True,
    ) -> None:
        self.path = Path(path)
        self._make_executor = executor or (lambda: LocalExecutor(workers=workers))
        self._create = create
        self._commands: queue.Queue[tuple[Callable[..., Any], Future] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._subscribers: list[tuple[asyncio.AbstractEventLoop, asyncio.Queue]] = []
        self._sub_lock = threading.Lock()
        self._streams_ended = False
        self.progress: dict[str, float] = {}  # fresher than the manifest's (every report)
        self.store: Store | None = None
        self.runner: Runner | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self, timeout_s: float = 60.0) -> None:
        """Start the store thread and wait until the store is open and resumed.

        Raises
        ------
        StoreError and the like
            Whatever opening the store raised (not a store, another writer...).
        """
        self._thread = threading.Thread(target=self._main, name="talkover-store", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout_s):
            raise ServiceError("the store thread did not start")
        if self._error is not None:
            raise self._error

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop stepping, close the executor (its workers) and the store."""
        self._stop.set()
        self._commands.put(None)
        if self._thread is not None:
            self._thread.join(timeout_s)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def call(self, fn: Callable[[Store, Runner], T], timeout_s: float = 60.0) -> T:
        """Run ``fn(store, runner)`` on the store thread and return its result (or raise its
        exception)."""
        if not self.running:
            raise ServiceError("the store is closed")
        future: Future = Future()
        self._commands.put((fn, future))
        return future.result(timeout_s)

    # ------------------------------------------------------------------ server-sent events
    def subscribe(self) -> asyncio.Queue:
        """A queue (of the calling event loop) that receives every update, as a dict, and
        ``None`` when the server shuts down (the stream then ends)."""
        q: asyncio.Queue = asyncio.Queue(maxsize=1000)
        with self._sub_lock:
            if self._streams_ended:
                q.put_nowait(None)
                return q
            self._subscribers.append((asyncio.get_running_loop(), q))
        return q

    def end_streams(self) -> None:
        """The server is shutting down: every subscribed stream receives ``None`` (and
        ends), and so does any stream opened from now on. Safe from a signal handler."""
        with self._sub_lock:
            self._streams_ended = True
            subscribers, self._subscribers = self._subscribers, []
        for loop, q in subscribers:
            try:
                loop.call_soon_threadsafe(_end, q)
            except RuntimeError:  # its loop is closed already
                pass

    def unsubscribe(self, q: asyncio.Queue) -> None:
        with self._sub_lock:
            self._subscribers = [(lp, x) for lp, x in self._subscribers if x is not q]

    def broadcast(self, message: dict[str, Any]) -> None:
        """Send ``message`` to every subscribed page (any thread)."""
        with self._sub_lock:
            subscribers = list(self._subscribers)
        for loop, q in subscribers:
            try:
                loop.call_soon_threadsafe(_offer, q, message)
            except RuntimeError:  # its loop is closed: the page went away
                self.unsubscribe(q)

    # ------------------------------------------------------------------ the thread
    def _main(self) -> None:
        executor: Executor | None = None
        try:
            self.store = Store.open(self.path, create=self._create)
            executor = self._make_executor()
            self.runner = Runner(self.store, executor, on_update=self._on_update)
            plan = self.runner.resume()
            if plan.jobs:
                log.info("resumed %d queued job(s)", plan.jobs)
        except BaseException as exc:  # noqa: BLE001 - reported to start()
            self._error = exc
            self._ready.set()
            if executor is not None:
                executor.close()
            if self.store is not None:
                self.store.close()
            return
        self._ready.set()
        try:
            self._loop()
        finally:
            executor.close()
            self.store.close()

    def _loop(self) -> None:
        assert self.runner is not None
        while not self._stop.is_set():
            self._run_commands(block_s=0.0 if self.runner.pending else 0.25)
            if self.runner.pending:
                try:
                    self.runner.step(timeout_s=0.1)
                except Exception:  # noqa: BLE001 - one bad update must not stop the server
                    log.exception("the batch runner failed on an update")
                    time.sleep(0.1)

    def _run_commands(self, block_s: float) -> None:
        try:
            item = self._commands.get(timeout=block_s) if block_s else self._commands.get_nowait()
        except queue.Empty:
            return
        while item is not None:
            fn, future = item
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(fn(self.store, self.runner))
                except BaseException as exc:  # noqa: BLE001 - handed to the caller
                    future.set_exception(exc)
            try:
                item = self._commands.get_nowait()
            except queue.Empty:
                return

    def _on_update(self, update: Update) -> None:
        """Called by the runner after the store was written."""
        message: dict[str, Any] = {"id": update.uri}
        if isinstance(update, JobStarted):
            self.progress[update.uri] = 0.0
            message.update(status="running", progress=0.0)
        elif isinstance(update, JobProgress):
            self.progress[update.uri] = update.fraction
            message.update(status="running", progress=round(update.fraction, 3))
        elif isinstance(update, JobRetried):
            self.progress.pop(update.uri, None)
            message.update(status="queued", progress=0.0, error=None)
        elif isinstance(update, JobResult):
            self.progress.pop(update.uri, None)
            message.update(status="done" if update.ok else "failed",
                           progress=1.0 if update.ok else 0.0, error=update.error)
        self.broadcast(message)


def _end(q: asyncio.Queue) -> None:
    while True:  # room for the end, even in a full queue of a page that does not read
        try:
            q.put_nowait(None)
            return
        except asyncio.QueueFull:
            q.get_nowait()


def _offer(q: asyncio.Queue, message: dict[str, Any]) -> None:
    try:
        q.put_nowait(message)
    except asyncio.QueueFull:  # a page that does not read: it reloads the list on reconnect
        pass
