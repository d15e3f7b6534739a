"""The Ray executor: the same worker function on Ray actors, one model load per actor.

``RayExecutor()`` starts a local Ray instance (``ray.init(num_cpus=...)``);
``RayExecutor(address="ray://head:10001")`` (or ``"auto"``, or ``"head:6379"``) connects to
an existing cluster. It starts ``workers`` actors, each reserving ``threads`` CPUs and
building its diarizer once, on its first recording; the driver gives each actor one job at a
time, so it knows which job an actor holds. An actor that dies (its node lost, killed, out of
memory) has its job retried on a new actor, up to ``max_attempts`` attempts in all. Only the
driver writes the store: actors return :class:`~talkover.batch.jobs.JobResult` values.

Workers read each job's input from ``job.path``, so inputs must be on storage every node sees
at the same path (NFS, a mounted bucket); with ``ship_inputs=True`` the driver sends each
input's bytes instead (through Ray's object store), and only the driver needs to see them.
Either way the store is written by the driver alone, on the driver's machine.

Ray is an optional dependency: ``pip install 'talkover[ray]'``.
"""

from __future__ import annotations

import os
import socket
import time
from collections import deque
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from talkover.batch.executor import MAX_ATTEMPTS, died_result
from talkover.batch.jobs import Job, JobProgress, JobResult, JobRetried, JobStarted, Update
from talkover.batch.worker import Models, prepare_worker_process, run_job, threads_per_worker
from talkover.errors import ConfigError

__all__ = ["RayExecutor", "require_ray", "check_ray_address"]

#: Least seconds between two progress queries of the busy actors.
PROGRESS_EVERY_S = 1.0


#: Seconds to wait for a cluster's port to answer before calling its address unreachable.
CONNECT_TIMEOUT_S = 5.0


def check_ray_address(address: str) -> None:
    """Refuse at once a ``host:port`` (or ``ray://host:port``) where nothing answers: Ray
    itself retries such an address for minutes, with only its own logs to show for it.
    ``auto`` and addresses without a port are left to Ray.

    Raises
    ------
    ConfigError
        Naming the address and why it cannot be reached.
    """
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise ConfigError(f"--ray {address}: no Ray cluster answers there "
                          f"({exc.strerror or exc}); start one with ray start --head, or "
                          "give --ray alone for a local instance") from None


def require_ray() -> Any:
    """The ``ray`` module.

    Raises
    ------
    ConfigError
        Ray is not installed (saying how to install it).
    """
    try:
        import ray
    except ImportError as exc:
        raise ConfigError(
            "--ray needs Ray, an optional dependency: pip install 'talkover[ray]'"
        ) from exc
    return ray


class _Worker:
    """The actor: keeps its models between jobs; answers ``progress`` while a job runs."""

    def __init__(self, threads: int) -> None:
        prepare_worker_process(threads)
        self.models = Models(threads)
        self.fraction = 0.0

    def run(self, job: Job) -> JobResult:
        self.fraction = 0.0
        return run_job(job, self.models, self._report)

    def _report(self, fraction: float) -> None:
        self.fraction = fraction

    def progress(self) -> float:
        return self.fraction


@dataclass
class _Actor:
    handle: Any
    name: str
    job: Job | None = None
    ref: Any = None


class RayExecutor:
    """Ray actors running :func:`~talkover.batch.worker.run_job` (see the module docstring).

    Parameters
    ----------
    workers
        Actors; default: the cluster's CPUs divided by ``threads``.
    address
        An existing cluster (``ray.init(address=...)``); ``None`` starts a local instance (or
        uses the one this process already started).
    threads
        CPUs (torch threads) per actor; default: the cluster's CPUs divided by ``workers``
        (1 when neither is given).
    num_cpus
        CPUs of a local instance this executor starts (default: all cores).
    max_attempts
        Attempts of a job whose actor dies, before it fails.
    ship_inputs
        Send each input's bytes to the actor instead of its path.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        address: str | None = None,
        threads: int | None = None,
        num_cpus: int | None = None,
        max_attempts: int = MAX_ATTEMPTS,
        ship_inputs: bool = False,
    ) -> None:
        ray = require_ray()
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            if address is None:
                ray.init(num_cpus=num_cpus or os.cpu_count() or 1, include_dashboard=False,
                         log_to_driver=False, logging_level="ERROR")
            else:
                check_ray_address(address)
                ray.init(address=address, log_to_driver=False, logging_level="ERROR")
            self._started = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        if workers is None:
            threads = threads or 1
            workers = max(1, cpus // threads)
        self.workers = workers
        self.threads = threads or threads_per_worker(workers, cpus)
        self.max_attempts = max_attempts
        self.ship_inputs = ship_inputs
        self._remote = ray.remote(max_concurrency=2)(_Worker).options(num_cpus=self.threads)
        self._actors: list[_Actor] = []
        self._queue: deque[Job] = deque()
        self._attempts: dict[str, int] = {}
        self._updates: list[Update] = []
        self._last_progress = 0.0
        self._asked: list[tuple[Any, _Actor, Job]] = []  # progress queries in flight

    @property
    def capacity(self) -> int:
        return self.workers

    @property
    def pending(self) -> int:
        return len(self._queue) + sum(a.job is not None for a in self._actors)

    def submit(self, job: Job) -> None:
        if self.ship_inputs and job.content is None and job.stage == "full":
            job = replace(job, content=Path(job.path).read_bytes())
        self._queue.append(job)

    def poll(self, timeout_s: float = 0.5) -> list[Update]:
        ray = self._ray
        self._dispatch()
        busy = [a for a in self._actors if a.job is not None]
        if busy and not self._updates:
            refs = [a.ref for a in busy]
            ready, _ = ray.wait(refs, num_returns=1, timeout=timeout_s)
            if ready:
                ready, _ = ray.wait(refs, num_returns=len(refs), timeout=0)
            for actor in busy:
                if any(actor.ref == r for r in ready):
                    self._collect(actor)
        elif not busy and not self._updates:
            time.sleep(min(timeout_s, 0.05))
        self._dispatch()
        self._ask_progress()
        updates, self._updates = self._updates, []
        return updates

    def cancel(self, uri: str) -> bool:
        """See :meth:`~talkover.batch.executor.Executor.cancel`: a running job's actor is
        killed (the next job starts a new one)."""
        queued = next((job for job in self._queue if job.uri == uri), None)
        actor = next((a for a in self._actors if a.job is not None and a.job.uri == uri), None)
        if queued is not None:
            self._queue.remove(queued)
        elif actor is not None:
            try:
                self._ray.kill(actor.handle)
            except Exception:  # noqa: BLE001 - already gone
                pass
            self._actors.remove(actor)
            self._asked = [entry for entry in self._asked if entry[1] is not actor]
        else:
            return False
        self._attempts.pop(uri, None)
        self._updates = [u for u in self._updates if u.uri != uri]
        return True

    def close(self) -> None:
        for actor in self._actors:
            try:
                self._ray.kill(actor.handle)
            except Exception:  # noqa: BLE001 - already gone
                pass
        self._actors.clear()
        self._queue.clear()
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()
            self._started = False

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals -------------------------------------------------------------------------

    def _dispatch(self) -> None:
        while self._queue:
            actor = next((a for a in self._actors if a.job is None), None)
            if actor is None and len(self._actors) < self.workers:
                handle = self._remote.remote(self.threads)
                actor = _Actor(handle, f"ray:{handle._actor_id.hex()[:12]}")
                self._actors.append(actor)
            if actor is None:
                return
            job = self._queue.popleft()
            actor.job, actor.ref = job, actor.handle.run.remote(job)
            self._attempts[job.uri] = self._attempts.get(job.uri, 0) + 1
            self._updates.append(JobStarted(job.uri, actor.name))

    def _collect(self, actor: _Actor) -> None:
        ray = self._ray
        job = actor.job
        assert job is not None
        try:
            result = ray.get(actor.ref)
        except (ray.exceptions.RayActorError, ray.exceptions.WorkerCrashedError,
                ray.exceptions.ObjectLostError) as exc:
            self._lost(actor, type(exc).__name__)
            return
        except ray.exceptions.RayError as exc:  # OutOfMemoryError and other system errors
            self._lost(actor, f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
            return
        actor.job = actor.ref = None
        self._attempts.pop(job.uri, None)
        self._updates.append(result)

    def _lost(self, actor: _Actor, reason: str) -> None:
        job = actor.job
        assert job is not None
        try:
            self._ray.kill(actor.handle)
        except Exception:  # noqa: BLE001 - already gone
            pass
        self._actors.remove(actor)
        attempts = self._attempts.get(job.uri, 1)
        if attempts >= self.max_attempts:
            self._attempts.pop(job.uri, None)
            self._updates.append(died_result(job, reason, attempts))
        else:
            self._queue.appendleft(job)
            self._updates.append(JobRetried(job.uri, reason))

    def _ask_progress(self) -> None:
        """Report the answers to earlier progress queries that have come, and ask the busy
        actors again every :data:`PROGRESS_EVERY_S`; never waits (a query must not hold up
        the dispatch of the next job)."""
        if self._asked:
            refs = [ref for ref, _, _ in self._asked]
            ready, _ = self._ray.wait(refs, num_returns=len(refs), timeout=0)
            still = []
            for ref, actor, job in self._asked:
                if ref not in ready:
                    still.append((ref, actor, job))
                    continue
                try:
                    fraction = self._ray.get(ref)
                except self._ray.exceptions.RayError:
                    continue
                if fraction > 0 and actor.job is job:  # still on that job
                    self._updates.append(JobProgress(job.uri, float(fraction)))
            self._asked = still
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_EVERY_S and not self._asked:
            self._last_progress = now
            self._asked = [(a.handle.progress.remote(), a, a.job) for a in self._actors
                           if a.job is not None]
