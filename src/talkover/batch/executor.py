"""The executor interface, and the local one: worker processes on this machine.

An executor runs :func:`talkover.batch.worker.run_job` on jobs and reports back; it never
touches the store. The driver (:class:`talkover.batch.runner.Runner`, or the web server)
submits jobs at any time and polls for updates::

    executor.submit(job)
    for update in executor.poll(timeout_s=0.5):   # JobStarted, JobProgress, JobRetried, JobResult
        ...

:class:`LocalExecutor` starts ``workers`` processes with the ``spawn`` start method (no fork of
a process that holds threads or a SQLite connection). Each loads the models once, on its first
recording, with ``threads`` torch threads (by default the cores divided among the workers, so
that workers x threads <= cores). Each worker has its own pipe and runs one job at a time, so
the driver always knows which job a worker holds: when a worker process dies (killed, out of
memory), its job is queued again, up to ``max_attempts`` attempts in all, and a new worker
takes its place.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Protocol, runtime_checkable

from talkover.batch.jobs import Job, JobProgress, JobResult, JobRetried, JobStarted, Update
from talkover.batch.worker import Models, prepare_worker_process, run_job, threads_per_worker
from talkover.store.manifest import Timings

__all__ = ["Executor", "LocalExecutor", "MAX_ATTEMPTS", "died_result"]

#: Attempts of a job whose worker keeps dying before it is failed.
MAX_ATTEMPTS = 3
#: Least seconds between two progress reports of one job.
PROGRESS_EVERY_S = 0.5


@runtime_checkable
class Executor(Protocol):
    """What the driver needs of an executor (local processes or Ray)."""

    #: How many jobs run at once.
    capacity: int

    def submit(self, job: Job) -> None:
        """Queue ``job``; it runs when a worker is free."""

    def poll(self, timeout_s: float = 0.5) -> list[Update]:
        """Start queued jobs on free workers; wait up to ``timeout_s`` for news; return it."""

    @property
    def pending(self) -> int:
        """Jobs submitted and not yet answered with a :class:`JobResult`."""

    def cancel(self, uri: str) -> bool:
        """Drop the job of ``uri``: out of the queue, or stopped where it runs (its worker
        stopped; another takes its place). No update comes for it afterwards. ``False`` when
        no job of ``uri`` is here."""

    def close(self) -> None:
        """Stop the workers (jobs still running are abandoned)."""


def died_result(job: Job, reason: str, attempts: int) -> JobResult:
    """The failed result of a job whose workers died ``attempts`` times."""
    return JobResult(
        uri=job.uri, diarization_hash=job.diarization_hash, events_hash=job.events_hash,
        analysis_json=None, diarized=job.stage == "full",
        error=f"the worker died while analysing it ({reason}), {attempts} time(s); "
        "it may need more memory than the machine has",
        duration_s=None, timings=Timings(), worker="",
    )


@dataclass
class _Slot:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: Job | None = None
    last_progress: float = 0.0


@dataclass
class LocalExecutor:
    """Worker processes on this machine (see the module docstring).

    Parameters
    ----------
    workers
        Processes (at least 1).
    threads
        Torch threads per process; default ``cores // workers`` (at least 1).
    max_attempts
        Attempts of a job whose worker dies, before it fails.
    """

    workers: int = 1
    threads: int | None = None
    max_attempts: int = MAX_ATTEMPTS
    _queue: deque[Job] = field(default_factory=deque, init=False)
    _slots: list[_Slot] = field(default_factory=list, init=False)
    _attempts: dict[str, int] = field(default_factory=dict, init=False)
    _updates: list[Update] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be >= 1, got {self.workers}")
        self.threads = self.threads or threads_per_worker(self.workers)
        self._context = multiprocessing.get_context("spawn")

    @property
    def capacity(self) -> int:
        return self.workers

    @property
    def pending(self) -> int:
        return len(self._queue) + sum(s.job is not None for s in self._slots)

    def submit(self, job: Job) -> None:
        self._queue.append(job)

    def poll(self, timeout_s: float = 0.5) -> list[Update]:
        self._dispatch()
        busy = [s for s in self._slots if s.job is not None]
        if busy and not self._updates:
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout_s)
            for slot in busy:
                if slot.conn in ready:
                    self._receive(slot)
            for slot in busy:
                if slot.job is not None and slot.process.sentinel in ready:
                    self._lost(slot)
        elif not busy and not self._updates:
            time.sleep(min(timeout_s, 0.05))
        self._dispatch()
        updates, self._updates = self._updates, []
        return updates

    def cancel(self, uri: str) -> bool:
        """See :meth:`Executor.cancel`: a running job's worker process is killed (the next job
        starts a new one, which loads the models again)."""
        queued = next((job for job in self._queue if job.uri == uri), None)
        slot = next((s for s in self._slots if s.job is not None and s.job.uri == uri), None)
        if queued is not None:
            self._queue.remove(queued)
        elif slot is not None:
            slot.job = None
            self._replace(slot)
        else:
            return False
        self._attempts.pop(uri, None)
        self._updates = [u for u in self._updates if u.uri != uri]
        return True

    def close(self) -> None:
        for slot in self._slots:
            try:
                slot.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 2.0
        for slot in self._slots:
            slot.process.join(max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            slot.conn.close()
        self._slots.clear()
        self._queue.clear()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals -------------------------------------------------------------------------

    def _dispatch(self) -> None:
        """Hand queued jobs to idle workers, starting workers up to ``workers``."""
        while self._queue:
            slot = next((s for s in self._slots if s.job is None), None)
            if slot is None and len(self._slots) < self.workers:
                slot = self._start_worker()
            if slot is None:
                return
            job = self._queue.popleft()
            try:
                slot.conn.send(job)
            except (OSError, ValueError):  # the worker is gone: replace it, try again
                self._queue.appendleft(job)
                self._replace(slot)
                continue
            slot.job = job
            slot.last_progress = 0.0
            self._attempts[job.uri] = self._attempts.get(job.uri, 0) + 1
            self._updates.append(JobStarted(job.uri, f"local:{slot.process.pid}"))

    def _start_worker(self) -> _Slot:
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main, args=(theirs, self.threads, os.getpid()), daemon=True,
            name="talkover-batch-worker",
        )
        process.start()
        theirs.close()
        slot = _Slot(process, ours)
        self._slots.append(slot)
        return slot

    def _replace(self, slot: _Slot) -> None:
        slot.conn.close()
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join()
        self._slots.remove(slot)

    def _receive(self, slot: _Slot) -> None:
        try:
            while slot.conn.poll():
                message = slot.conn.recv()
                if isinstance(message, JobResult):
                    slot.job = None
                    self._attempts.pop(message.uri, None)
                    self._updates.append(message)
                elif isinstance(message, JobProgress):
                    self._updates.append(message)
        except (EOFError, OSError):
            pass  # the sentinel says it died; _lost handles the job

    def _lost(self, slot: _Slot) -> None:
        job = slot.job
        assert job is not None
        slot.process.join(5.0)  # the sentinel fired: reap it, so that exitcode is known
        code = slot.process.exitcode
        reason = _exit_reason(code)
        self._replace(slot)
        attempts = self._attempts.get(job.uri, 1)
        if attempts >= self.max_attempts:
            self._attempts.pop(job.uri, None)
            self._updates.append(died_result(job, reason, attempts))
        else:
            self._queue.appendleft(job)
            self._updates.append(JobRetried(job.uri, reason))


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the driver dies (no orphans after kill -9)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _worker_main(conn: Connection, threads: int, parent_pid: int) -> None:
    """A worker process: receive jobs, send progress and results, until told to stop."""
    _die_with_parent()
    if os.getppid() != parent_pid:  # the driver died before we could ask
        return
    prepare_worker_process(threads)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle
    models = Models(threads)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if job is None:
            return
        last = [0.0]

        def report(fraction: float, uri: str = job.uri, last: list[float] = last) -> None:
            now = time.monotonic()
            if now - last[0] >= PROGRESS_EVERY_S:
                last[0] = now
                conn.send(JobProgress(uri, fraction))

        result = run_job(job, models, report)
        try:
            conn.send(result)
        except (OSError, ValueError):
            return

