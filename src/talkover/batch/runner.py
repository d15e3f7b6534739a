"""The driver: decides what each recording needs, hands jobs to an executor, writes the store.

::

    with Store.open("corpus-store", create=True) as store, LocalExecutor(workers=2) as pool:
        runner = Runner(store, pool)
        plan = runner.plan(find_requests(["calls/"], AnalysisOptions()))
        runner.start(plan)
        runner.run()                         # until every job has come back
        failed = runner.failed(plan)

:meth:`Runner.plan` gives each request its uri, hashes its content (a file whose size and
modification time match the manifest is not hashed again) and decides (:data:`Action`):

==============  ===============================================================================
``skip``        done, and neither content nor options changed
``retable``     done and unchanged, but the manifest CSV's metadata changed: tables rewritten
``events``      a recording whose diarization is kept: its events are re-derived (no model)
``full``        new, changed, interrupted, or its diarization options changed: analysed anew
``failed``      it failed before with the same content and options (``retry_failed``: ``full``)
``unreadable``  its file cannot be read (missing, a folder, no permission): failed at once
==============  ===============================================================================

The plan's rows are written in one transaction (``queued``); :meth:`start` submits their jobs.
:meth:`step` polls the executor and writes each update to the store: a started job is
``running``, progress goes in the row, a result is committed (``done``) or recorded
(``failed``), a job whose worker died is ``queued`` again. Only the driver writes the store.

A long-running server uses the same pieces: :meth:`add` plans and starts one request at a
time, :meth:`step` is called in its loop, :meth:`resume` submits what a previous process left
queued, and ``on_update`` sees every update (per-job progress included).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from talkover.batch.executor import Executor
from talkover.batch.inputs import Request
from talkover.batch.jobs import (
    AnalysisOptions,
    Job,
    JobProgress,
    JobResult,
    JobRetried,
    JobStarted,
    Stage,
    Update,
    job_hashes,
)
from talkover.errors import InputError
from talkover.store import (
    CommittedResult,
    RecordingRow,
    Store,
    StoreError,
    unique_uri,
    uri_from_stem,
)

__all__ = ["Runner", "Plan", "Planned", "Action"]

Action = Literal["skip", "retable", "events", "full", "failed", "unreadable"]
#: Least seconds between two progress writes of one job to the manifest.
PROGRESS_WRITE_EVERY_S = 1.0


@dataclass(frozen=True, slots=True)
class Planned:
    """What a plan decided for one request."""

    uri: str
    request: Request
    action: Action
    stage: Stage | None = None
    diarization_hash: str | None = None
    events_hash: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """Every request of a batch with its uri and action, in the order given."""

    items: tuple[Planned, ...]

    @property
    def uris(self) -> list[str]:
        return [p.uri for p in self.items]

    def count(self, *actions: Action) -> int:
        return sum(p.action in actions for p in self.items)

    @property
    def jobs(self) -> int:
        """How many recordings are (re)analysed."""
        return self.count("events", "full")


class Runner:
    """The one writer of a store during a batch (see the module docstring).

    Parameters
    ----------
    store
        Opened for writing.
    executor
        Local processes or Ray.
    on_update
        Called with every update after the store has been written.
    retry_failed
        Plan recordings that failed before with the same content and options again.
    """

    def __init__(
        self,
        store: Store,
        executor: Executor,
        *,
        on_update: Callable[[Update], None] | None = None,
        retry_failed: bool = False,
    ) -> None:
        self.store = store
        self.executor = executor
        self.on_update = on_update
        self.retry_failed = retry_failed
        self._inflight: dict[str, Job] = {}
        self._progress_written: dict[str, float] = {}
        self._hashes: dict[tuple[str, int, int], str] = {}

    # --- planning --------------------------------------------------------------------------

    def plan(self, requests: Sequence[Request]) -> Plan:
        """Give each request a uri and an action, and write the rows (see the module docstring).

        Raises
        ------
        InputError
            Two requests claim the same uri.
        """
        uris = self._assign_uris(requests)
        items = [self._decide(uri, request) for uri, request in zip(uris, requests, strict=True)]
        with self.store.manifest.transaction():
            for item in items:
                self._record(item)
        return Plan(tuple(items))

    def start(self, plan: Plan) -> int:
        """Submit the jobs of ``plan`` (``events`` and ``full``); how many were submitted."""
        submitted = 0
        for item in plan.items:
            if item.stage is not None and item.uri not in self._inflight:
                self._submit(item)
                submitted += 1
        return submitted

    def add(self, request: Request) -> Planned:
        """Plan and start one request (for a server that receives recordings over time)."""
        plan = self.plan([request])
        self.start(plan)
        return plan.items[0]

    def resume(self) -> Plan:
        """Plan and start every recording the store has queued (a previous run was stopped or
        killed), and the failed ones when ``retry_failed``, with the options they were queued
        with."""
        statuses = ("queued", "failed") if self.retry_failed else ("queued",)
        rows = [r for r in self.store.recordings(status=statuses) if r.uri not in self._inflight]
        plan = self.plan([_request_of(row) for row in rows])
        self.start(plan)
        return plan

    # --- running ---------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Jobs submitted whose result has not come back."""
        return len(self._inflight)

    def step(self, timeout_s: float = 0.5) -> list[Update]:
        """Poll the executor once and write what it says to the store."""
        updates = self.executor.poll(timeout_s)
        for update in updates:
            try:
                self._apply(update)
            finally:  # one update that cannot be written does not lose the others
                if self.on_update is not None:
                    self.on_update(update)
        return updates

    def run(self, *, timeout_s: float = 0.5) -> None:
        """Step until every submitted job has come back."""
        while self._inflight:
            self.step(timeout_s)

    def cancel(self, uri: str, *, reason: str = "cancelled") -> bool:
        """Stop the job of ``uri`` (queued or running) and mark the recording failed with
        ``reason`` (a rerun or ``--retry-failed`` takes it up again); ``False`` when it has no
        job in flight."""
        if uri not in self._inflight:
            return False
        self.executor.cancel(uri)
        del self._inflight[uri]
        self._progress_written.pop(uri, None)
        self.store.mark_failed(uri, reason)
        return True

    def statuses(self, plan: Plan) -> dict[str, RecordingRow]:
        """The manifest row of each recording of ``plan``, by uri."""
        return {uri: row for uri in plan.uris if (row := self.store.get(uri)) is not None}

    def failed(self, plan: Plan) -> list[RecordingRow]:
        """The recordings of ``plan`` that are failed, in plan order."""
        rows = self.statuses(plan)
        return [rows[u] for u in dict.fromkeys(plan.uris) if rows[u].status == "failed"]

    # --- internals -------------------------------------------------------------------------

    def _assign_uris(self, requests: Sequence[Request]) -> list[str]:
        """Given uris as they are; others from the file name, unique and stable (a path that
        already has a row keeps its uri; a file moved or renamed since takes the uri of the row
        whose file is gone and had its content)."""
        rows = self.store.recordings()
        existing = {r.uri: r.path for r in rows}
        moved = _Moved(rows, self._content)
        by_path: dict[str, list[str]] = {}  # by real path: a file keeps its uri however named
        for uri, path in existing.items():
            by_path.setdefault(os.path.realpath(path), []).append(uri)
        folded = {u.lower(): u for u in existing}
        taken: dict[str, str] = {}  # lower-case uri -> who claimed it, in this plan
        out: list[str | None] = [None] * len(requests)
        for i, request in enumerate(requests):
            if request.uri is not None:
                twin = folded.get(request.uri.lower())
                if twin is not None and twin != request.uri:
                    raise InputError(f"uri {request.uri!r} ({request.where or request.path}) "
                                     f"differs only in case from the store's recording "
                                     f"{twin!r}; give it another uri")
                if request.uri.lower() in taken:
                    raise InputError(f"uri {request.uri!r} is given to two recordings "
                                     f"({taken[request.uri.lower()]} and "
                                     f"{request.where or request.path})")
                taken[request.uri.lower()] = request.where or request.path
                out[i] = request.uri
        order = sorted((i for i, r in enumerate(requests) if r.uri is None),
                       key=lambda i: requests[i].path)
        for i in order:
            request = requests[i]
            path = Path(request.path)
            mine = by_path.get(os.path.realpath(request.path), [])
            names = _candidates(path) | _candidates(Path(os.path.realpath(path)))
            own = [u for u in mine if u.lower() not in taken and u in names]
            if own:
                uri = own[0]
            elif (was := moved.claim(request, taken)) is not None:
                uri = was
            else:
                others = _Excluding(existing, set(mine), taken)
                uri = unique_uri(path.stem, request.path, suffix=path.suffix, taken=others)
            taken[uri.lower()] = request.where or request.path
            out[i] = uri
        return [u for u in out if u is not None]

    def _decide(self, uri: str, request: Request) -> Planned:
        try:
            sha, size, mtime = self._content(request.path)
        except OSError as exc:
            return Planned(uri, request, "unreadable", error=_why(request.path, exc))
        d_hash, e_hash = job_hashes(kind=request.kind, sha256=sha, path=request.path, uri=uri,
                                    options=request.options)
        row = self.store.get(uri)
        item = Planned(uri, request, "full", "full", d_hash, e_hash)
        if row is None:
            return item
        same_content = row.sha256 == sha and row.kind == request.kind
        if row.status == "done" and (row.diarization_hash, row.events_hash) == (d_hash, e_hash):
            action: Action = "retable" if row.metadata != request.metadata else "skip"
            return replace(item, action=action, stage=None)
        if (row.status == "failed" and not self.retry_failed and same_content
                and row.path == request.path
                and dict(row.options) == request.options.to_dict()):
            return replace(item, action="failed", stage=None)
        if (request.kind == "audio" and row.has_analysis and row.diarization_hash == d_hash
                and self.store.analysis_path(uri).is_file()):
            return replace(item, action="events", stage="events")
        return item

    def _content(self, path: str) -> tuple[str, int, int]:
        """sha256, size and mtime of a file; the manifest's sha256 when size and mtime match."""
        st = os.stat(path)
        if not Path(path).is_file():
            raise IsADirectoryError(21, "is a directory, expected a file", path)
        key = (path, st.st_size, st.st_mtime_ns)
        if key not in self._hashes:
            for row in self.store.manifest.with_path(path):
                if row.sha256 and (row.size_bytes, row.mtime_ns) == (st.st_size, st.st_mtime_ns):
                    self._hashes[key] = row.sha256
                    break
            else:
                self._hashes[key] = _sha256_file(path)
        return self._hashes[key], st.st_size, st.st_mtime_ns

    def _record(self, item: Planned) -> None:
        """Write what the plan decided for one recording."""
        request, uri = item.request, item.uri
        if item.action in ("skip", "failed"):
            return
        if item.action == "retable":
            self.store.set_metadata(uri, request.metadata)
            return
        sha = size = mtime = None
        if item.action != "unreadable":
            sha, size, mtime = self._content(request.path)
        self.store.queue(
            uri, path=request.path, kind=request.kind, sha256=sha, size_bytes=size,
            mtime_ns=mtime, options=request.options.to_dict(), metadata=request.metadata,
        )
        if item.action == "unreadable":
            self.store.mark_failed(uri, item.error or "cannot read")

    def _submit(self, item: Planned) -> None:
        assert item.stage is not None and item.diarization_hash and item.events_hash
        request = item.request
        kept = None
        if item.stage == "events":
            kept = self.store.analysis_path(item.uri).read_text(encoding="utf-8")
        job = Job(
            uri=item.uri, path=request.path, kind=request.kind, stage=item.stage,
            options=request.options, diarization_hash=item.diarization_hash,
            events_hash=item.events_hash, analysis_json=kept,
        )
        self._inflight[item.uri] = job
        self.executor.submit(job)

    def _apply(self, update: Update) -> None:
        uri = update.uri
        if uri not in self._inflight:
            return  # not ours (a stale message)
        if isinstance(update, JobStarted):
            self.store.mark_running(uri, worker=update.worker)
        elif isinstance(update, JobProgress):
            now = time.monotonic()
            if now - self._progress_written.get(uri, 0.0) >= PROGRESS_WRITE_EVERY_S:
                self._progress_written[uri] = now
                self.store.set_progress(uri, update.fraction)
        elif isinstance(update, JobRetried):
            self.store.mark_queued(uri)
        elif isinstance(update, JobResult):
            del self._inflight[uri]
            self._progress_written.pop(uri, None)
            self._commit(update)

    def _commit(self, result: JobResult) -> None:
        """Write ``result``; a result that cannot be stored (disk full, a table the analysis
        does not fit) marks its recording failed with the reason instead of stopping the
        batch."""
        if not result.ok or result.analysis_json is None:
            self.store.mark_failed(result.uri, result.error or "no analysis",
                                   timings=result.timings, worker=result.worker,
                                   warnings=result.warnings)
            return
        try:
            self._store_result(result)
        except (OSError, ValueError, StoreError) as exc:
            self.store.mark_failed(result.uri, f"could not store the result: {exc}",
                                   timings=result.timings, worker=result.worker)

    def _store_result(self, result: JobResult) -> None:
        self.store.commit(result.uri, CommittedResult(
            analysis_json=result.analysis_json, diarization_hash=result.diarization_hash,
            events_hash=result.events_hash,
            diarized=result.diarized, duration_s=result.duration_s, timings=result.timings,
            worker=result.worker, warnings=result.warnings,
        ))


class _Moved:
    """The rows whose file is gone, by content: a request for a new path with that content is
    the same recording moved or renamed, and keeps its uri (so a reorganised corpus is not
    counted twice). Content is hashed only when some row's file is gone."""

    def __init__(self, rows: Sequence[RecordingRow],
                 content: Callable[[str], tuple[str, int, int]]) -> None:
        self._content = content
        self._gone: dict[tuple[str, str], list[str]] = {}
        for row in rows:
            if row.sha256 and not os.path.lexists(row.path):
                self._gone.setdefault((row.sha256, row.kind), []).append(row.uri)

    def claim(self, request: Request, taken: dict[str, str]) -> str | None:
        """The uri of a gone row with ``request``'s content and kind, not yet taken."""
        if not self._gone:
            return None
        try:
            sha = self._content(request.path)[0]
        except OSError:
            return None
        for uri in self._gone.get((sha, request.kind), []):
            if uri.lower() not in taken:
                self._gone[(sha, request.kind)].remove(uri)
                return uri
        return None


class _Excluding:
    """The lower-case uris a new path may not take: the store's (but the path's own) and those
    claimed in this plan; a view, not a copy per request."""

    def __init__(self, existing: dict[str, str], mine: set[str], taken: dict[str, str]):
        self._lower = {u.lower() for u in existing if u not in mine}
        self._taken = taken

    def __contains__(self, uri: object) -> bool:
        return isinstance(uri, str) and (uri.lower() in self._lower or uri.lower() in self._taken)


def _candidates(path: Path) -> set[str]:
    return {uri_from_stem(path.stem), uri_from_stem(f"{path.stem}{path.suffix}")} | {
        f"{uri_from_stem(path.stem)}-{hashlib.sha256(str(path).encode()).hexdigest()[:8]}"
    }


def _request_of(row: RecordingRow) -> Request:
    return Request(row.path, row.kind, AnalysisOptions.from_dict(dict(row.options)), row.uri,
                   row.metadata)


def _why(path: str, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        if os.path.islink(path):  # git-annex / DataLad content not fetched, say
            return f"{path}: a symbolic link to a missing file ({os.readlink(path)})"
        return f"{path}: no such file"
    if isinstance(exc, IsADirectoryError):
        return f"{path}: is a directory, expected a file"
    return f"{path}: cannot read ({exc.strerror or exc})"


def _sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

